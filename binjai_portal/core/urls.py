from django.urls import path

from . import views
from .desk import views as desk_views

app_name = "core"

urlpatterns = [
    path("notifikasi/", views.inbox, name="inbox"),
    path("notifikasi/<int:pk>/baca/", views.inbox_mark_read, name="inbox-mark-read"),
    path("notifikasi/baca-semua/", views.inbox_mark_all_read, name="inbox-mark-all-read"),
    path("berkas/<str:token>/", views.upload_serve, name="upload"),
    path("meja-kerja/", desk_views.desk, name="desk"),
    path("aktivitas-saya/", desk_views.my_activity, name="my-activity"),
]
