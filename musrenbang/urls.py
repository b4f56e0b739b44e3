from django.urls import path

from binjai_portal.core.moved import moved

from . import views

app_name = "musrenbang"

REF = "<str:reference>"

urlpatterns = [
    path("", views.index, name="index"),
    path("peta/", views.proposal_map, name="map"),
    path("usulan/baru/", views.create, name="create"),
    path("usulan/mirip/", views.similar, name="similar"),
    path(f"usulan/{REF}/", views.detail, name="detail"),
    path(f"usulan/{REF}/ubah/", views.edit, name="edit"),
    path(f"usulan/{REF}/ajukan/", views.submit, name="submit"),
    path(f"usulan/{REF}/dukung/", views.support, name="support"),
    path(f"usulan/{REF}/laporkan/", views.flag, name="flag"),
    path(f"usulan/{REF}/lanjutkan/", views.carry_over, name="carry-over"),
    path(f"usulan/{REF}/tanggapan/", views.feedback, name="feedback"),
    path("janji/", views.promises, name="promises"),
    path("janji/data.csv", views.promises_csv, name="promises-csv"),
    path("saya/", views.mine, name="mine"),
    # The officers' work queue: "work-queue" in every app.
    path("antrean-kerja/", views.work_queue, name="work-queue"),
    path("petugas/sekaligus/", views.officer_bulk, name="officer-bulk"),
    path(f"petugas/usulan/{REF}/tindakan/", views.officer_act, name="officer-act"),
    path("petugas/forum/", views.forum, name="forum"),
    path("petugas/forum/peringkat/", views.forum_rank, name="forum-rank"),
    path("petugas/forum/tetapkan/", views.forum_finalise, name="forum-finalise"),
    path("petugas/forum/berita-acara.pdf", views.forum_export, {"fmt": "pdf"}, name="forum-pdf"),
    path("petugas/forum/peringkat.xlsx", views.forum_export, {"fmt": "xlsx"}, name="forum-xlsx"),
    path("moderasi/", views.moderation, name="moderation"),
    path(f"moderasi/{REF}/", views.moderation, name="moderate"),
    # Old paths, until no bookmark has them.
    path("petugas/", moved("musrenbang:work-queue")),
]
