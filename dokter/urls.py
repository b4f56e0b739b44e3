from django.urls import path

from binjai_portal.core.moved import moved as moved_to

from . import views

app_name = "dokter"


def moved(name: str):
    """An old path of e-Dokter (printed on slips, shared in messages)."""
    return moved_to(f"{app_name}:{name}")


urlpatterns = [
    path("", views.index, name="index"),
    path("fasilitas/<slug:code>/", views.facility_detail, name="facility-detail"),
    path("fasilitas/<slug:code>/antrean/", views.facility_queue, name="facility-queue"),
    path(
        "fasilitas/<slug:code>/<slug:poli_code>/ambil-antrean/",
        views.booking_create,
        name="booking-create",
    ),
    # The clinic slip is a "karcis" ("tiket" is a complaint in e-Masyarakat).
    path("karcis/<str:code>/", views.ticket, name="ticket"),
    path("karcis/<str:code>/langsung/", views.ticket_live, name="ticket-live"),
    path("karcis/<str:code>/batal/", views.ticket_cancel, name="ticket-cancel"),
    path("karcis/<str:code>/nilai/", views.ticket_rate, name="ticket-rate"),
    path("petugas/", views.console_index, name="console-index"),
    path("petugas/integrasi/", views.integrations, name="integrations"),
    path("petugas/<slug:poli_code>/", views.console, name="console"),
    path("petugas/<slug:poli_code>/antrean/", views.console_queue, name="console-queue"),
    path("petugas/<slug:poli_code>/aksi/", views.console_action, name="console-action"),
    path("display/<slug:code>/", views.display, name="display"),
    path("display/<slug:code>/papan/", views.display_board, name="display-board"),
    # The old paths, until no printed slip or shared link has them ("pesan" is a message
    # in e-Masyarakat, "tiket" a complaint).
    path("fasilitas/<slug:code>/<slug:poli_code>/pesan/", moved("booking-create")),
    path("tiket/<str:code>/", moved("ticket")),
    path("tiket/<str:code>/langsung/", moved("ticket-live")),
    path("tiket/<str:code>/batal/", moved("ticket-cancel")),
    path("tiket/<str:code>/nilai/", moved("ticket-rate")),
]
