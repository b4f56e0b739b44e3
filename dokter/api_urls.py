"""Queue API for kiosks and partner apps, mounted at /api/dokter/."""

from django.urls import path

from . import api

app_name = "dokter-api"

urlpatterns = [
    path("antrean/status/<str:facility_code>/<slug:poli_code>/<str:date>/",
         api.queue_status_view, name="queue-status"),
    path("antrean/<str:code>/", api.booking_status_view, name="booking-status"),
]
