from django.urls import path

from . import views

app_name = "dokter"

urlpatterns = [
    path("", views.index, name="index"),
    path("fasilitas/<slug:code>/", views.facility_detail, name="facility-detail"),
    path("fasilitas/<slug:code>/antrean/", views.facility_queue, name="facility-queue"),
    path(
        "fasilitas/<slug:code>/<slug:poli_code>/pesan/", views.booking_create, name="booking-create"
    ),
    path("tiket/<str:code>/", views.ticket, name="ticket"),
    path("tiket/<str:code>/langsung/", views.ticket_live, name="ticket-live"),
    path("tiket/<str:code>/batal/", views.ticket_cancel, name="ticket-cancel"),
    path("tiket/<str:code>/nilai/", views.ticket_rate, name="ticket-rate"),
    path("petugas/", views.console_index, name="console-index"),
    path("petugas/integrasi/", views.integrations, name="integrations"),
    path("petugas/<slug:poli_code>/", views.console, name="console"),
    path("petugas/<slug:poli_code>/antrean/", views.console_queue, name="console-queue"),
    path("petugas/<slug:poli_code>/aksi/", views.console_action, name="console-action"),
    path("display/<slug:code>/", views.display, name="display"),
    path("display/<slug:code>/papan/", views.display_board, name="display-board"),
]
