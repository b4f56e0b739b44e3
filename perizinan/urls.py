from django.urls import path

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
    path("kotak-masuk/", views.inbox, name="inbox"),
    path("lacak/", views.track, name="track"),
    path("verifikasi/", views.verify_search, name="verify-search"),
    path("verifikasi/<str:token>/", views.verify, name="verify"),
]
