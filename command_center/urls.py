from django.urls import path

from . import views

app_name = "command_center"

urlpatterns = [
    path("", views.index, name="index"),
    path("ekspor/<slug:slug>.<str:fmt>", views.export, name="export"),
    path("wall/", views.wall, name="wall"),
    path("wall/panel/", views.wall_panels, name="wall-panels"),
    path("peringatan/", views.alert_list, name="alert-list"),
    path("peringatan/<int:pk>/", views.alert_detail, name="alert-detail"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/<slug:slug>.csv", views.open_data_download, name="open-data-download"),
]
