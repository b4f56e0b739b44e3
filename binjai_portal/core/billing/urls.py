from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("bendahara/", views.treasurer, name="treasurer"),
    path("bendahara/ekspor.<str:fmt>", views.treasurer_export, name="treasurer-export"),
    path("tanda-bukti/<str:token>/", views.receipt_verify, name="receipt-verify"),
    path("<str:code>/", views.bill_detail, name="bill-detail"),
    path("<str:code>/cetak/", views.bill_pdf, name="bill-pdf"),
    path("<str:code>/tanda-bukti.pdf", views.receipt_pdf, name="receipt-pdf"),
    path("<str:code>/kasir/", views.bill_record_cash, name="bill-record-cash"),
    path("<str:code>/koreksi/", views.bill_correct, name="bill-correct"),
    path("<str:code>/bayar-simulasi/<str:channel>/", views.bill_simulate, name="bill-simulate"),
]
