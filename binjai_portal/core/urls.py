from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("notifikasi/", views.inbox, name="inbox"),
    path("notifikasi/<int:pk>/baca/", views.inbox_mark_read, name="inbox-mark-read"),
    path("notifikasi/baca-semua/", views.inbox_mark_all_read, name="inbox-mark-all-read"),
    path("berkas/<str:token>/", views.upload_serve, name="upload"),
]
