"""WS Antrean for Mobile JKN, mounted at /api/jkn/ (the base URL given to BPJS)."""

from django.urls import path

from . import ws

app_name = "jkn"

urlpatterns = [
    path("token", ws.token_view, name="token"),
    path("statusantrean", ws.status_view, name="status"),
    path("ambilantrean", ws.take_view, name="take"),
    path("sisaantrean", ws.remaining_view, name="remaining"),
    path("batalantrean", ws.cancel_view, name="cancel"),
    path("checkin", ws.check_in_view, name="check-in"),
    path("pasienbaru", ws.new_patient_view, name="new-patient"),
]
