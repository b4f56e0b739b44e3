from django.urls import path

from binjai_portal.core.moved import moved

from . import views

app_name = "perizinan"

urlpatterns = [
    path("", views.index, name="index"),
    path("ajukan/<slug:code>/", views.apply, name="apply"),
    path("permohonan/", views.my_applications, name="my-applications"),
    path("permohonan/<int:pk>/", views.application_detail, name="application-detail"),
    path("permohonan/<int:pk>/ubah/", views.application_edit, name="application-edit"),
    path(
        "permohonan/<int:pk>/tindakan/<slug:action>/", views.application_act, name="application-act"
    ),
    path("permohonan/<int:pk>/survei-kepuasan/", views.satisfaction, name="satisfaction"),
    # The officers' work queue: "work-queue" in every app ("inbox" is the notification list).
    path("antrean-kerja/", views.work_queue, name="work-queue"),
    path("lacak/", views.track, name="track"),
    path("verifikasi/", views.verify_search, name="verify-search"),
    path("verifikasi/<str:token>/", views.verify, name="verify"),
    # Old paths, until no bookmark has them.
    path("kotak-masuk/", moved("perizinan:work-queue")),
]
