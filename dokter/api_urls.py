"""Queue API for kiosks and partner apps, mounted at /api/dokter/."""

from django.urls import path

from . import api

app_name = "dokter-api"

urlpatterns = [
    path(
        "antrean/status/<str:facility_code>/<slug:poli_code>/<str:date>/",
        api.queue_status_view,
        name="queue-status",
    ),
    # Kiosk writes, bearer token of the facility (before the <code> route below).
    path("antrean/ambil/", api.onsite_create_view, name="onsite-create"),
    path("antrean/checkin/", api.check_in_view, name="check-in"),
    path("antrean/<str:code>/", api.booking_status_view, name="booking-status"),
]
