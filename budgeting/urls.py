from django.urls import path

from . import views

app_name = "budgeting"

urlpatterns = [
    path("", views.index, name="index"),
    path("apbd/", views.transparency, name="transparency"),
    path("apbd/<int:year>/<str:version>/anggaran.csv", views.public_csv, name="public-csv"),
    path(
        "apbd/<int:year>/<str:version>/datapackage.json",
        views.public_datapackage,
        name="public-datapackage",
    ),
    path("rka/", views.budget_list, name="budget-list"),
    path("rka/<int:pk>/", views.budget_detail, name="budget-detail"),
    path("rka/<int:pk>/aksi/", views.budget_act, name="budget-act"),
    path("rka/<int:pk>/kegiatan/", views.activity_create, name="activity-create"),
    path("rka/<int:pk>/riwayat/", views.budget_history, name="budget-history"),
    path("rka/<int:pk>/perbandingan/", views.budget_compare, name="budget-compare"),
    path("rka/<int:pk>/rka.<str:fmt>", views.rka_export, name="rka-export"),
    path("kegiatan/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("kegiatan/<int:pk>/usulan/", views.activity_fund, name="activity-fund"),
    path("kegiatan/<int:pk>/realisasi/", views.activity_realisation, name="activity-realisation"),
    path("didanai/<int:pk>/selesai/", views.funded_complete, name="funded-complete"),
    path("rincian/<int:pk>/ubah/", views.line_edit, name="line-edit"),
    path("rincian/<int:pk>/hapus/", views.line_delete, name="line-delete"),
    path("rincian/<int:pk>/catatan/", views.line_note, name="line-note"),
    path("rincian/<int:pk>/nonstandar/", views.line_decide, name="line-decide"),
    path("harga/", views.price_lists, name="price-lists"),
    path("harga/<int:pk>/", views.price_list_detail, name="price-list"),
    path("impor/", views.import_reference, name="import"),
]
