from django.urls import path

from . import views

app_name = "masyarakat"

urlpatterns = [
    path("", views.index, name="index"),
]
