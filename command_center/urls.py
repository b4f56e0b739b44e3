from django.urls import path

from . import views

app_name = "command_center"

urlpatterns = [
    path("", views.index, name="index"),
]
