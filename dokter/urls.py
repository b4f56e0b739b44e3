from django.urls import path

from . import views

app_name = "dokter"

urlpatterns = [
    path("", views.index, name="index"),
]
