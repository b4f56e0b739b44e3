from django.urls import path

from . import views

app_name = "musrenbang"

urlpatterns = [
    path("", views.index, name="index"),
]
