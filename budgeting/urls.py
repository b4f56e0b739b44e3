from django.urls import path

from . import views

app_name = "budgeting"

urlpatterns = [
    path("", views.index, name="index"),
]
