from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("pemberitahuan/", views.notice, name="notice"),
    path("pemberitahuan/tarik/", views.consent_withdraw, name="consent-withdraw"),
    path("data-saya/", views.my_data, name="my-data"),
    path("data-saya/unduh.json", views.my_data_json, name="my-data-json"),
    path("data-saya/unduh.pdf", views.my_data_pdf, name="my-data-pdf"),
    path("data-saya/siapa-melihat/", views.access_mine, name="access-mine"),
    path("permintaan/baru/", views.request_new, name="request-new"),
    path("permintaan/<str:reference>/", views.request_detail, name="request-detail"),
    path("permintaan/<str:reference>/tindak/", views.request_act, name="request-act"),
    path("nik/<str:token>/", views.nik_reveal, name="nik-reveal"),
    path("pejabat/catatan-pemrosesan/", views.records, name="records"),
    path("pejabat/permintaan/", views.request_list, name="request-list"),
    path("pejabat/log-akses/", views.access_log, name="access-log"),
    path("pejabat/retensi/", views.retention, name="retention"),
    path("pejabat/pemberitahuan/baru/", views.notice_new, name="notice-new"),
    path("pejabat/insiden/", views.incident_list, name="incident-list"),
    path("pejabat/insiden/baru/", views.incident_new, name="incident-new"),
    path("pejabat/insiden/<int:pk>/", views.incident_detail, name="incident-detail"),
    path("pejabat/insiden/<int:pk>/tindak/", views.incident_act, name="incident-act"),
]
