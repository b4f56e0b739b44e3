from django.urls import path

from binjai_portal.core.moved import moved

from . import views

app_name = "masyarakat"

NUMBER = "<str:number>"

# The Open311 GeoReport v2 API is in api_urls.py, mounted at /api/open311/v2/.
urlpatterns = [
    path("", views.index, name="index"),
    path("peta/", views.ticket_map, name="map"),
    path("peta.json", views.map_data, name="map-data"),
    path("lapor/", views.ticket_new, name="ticket-new"),
    path("lapor/tanpa-akun/", views.ticket_new_anonymous, name="ticket-new-anonymous"),
    path("lacak/", views.ticket_follow, name="ticket-follow"),
    path(f"lacak/{NUMBER}/", views.ticket_follow_detail, name="ticket-follow-detail"),
    path(
        f"lacak/{NUMBER}/aksi/<slug:action>/",
        views.ticket_follow_action,
        name="ticket-follow-action",
    ),
    path(f"lacak/{NUMBER}/pesan/", views.ticket_follow_message, name="ticket-follow-message"),
    path("saya/", views.my_tickets, name="my-tickets"),
    # The officers' work queue: "work-queue" in every app.
    path("antrean-kerja/", views.work_queue, name="work-queue"),
    path(f"tiket/{NUMBER}/", views.ticket_detail, name="ticket-detail"),
    path(f"tiket/{NUMBER}/aksi/<slug:action>/", views.ticket_action, name="ticket-action"),
    path(f"tiket/{NUMBER}/saya-juga/", views.ticket_me_too, name="ticket-me-too"),
    path(f"tiket/{NUMBER}/pesan/", views.message_post, name="message-post"),
    # Old paths, until no bookmark has them.
    path("petugas/", moved("masyarakat:work-queue")),
]
