"""SNAP BI endpoints, at the paths the standard gives (…/{version}/…)."""

from django.urls import path

from . import api

app_name = "snap"

urlpatterns = [
    path("v1.0/access-token/b2b", api.access_token, name="access-token"),
    path("v1.0/transfer-va/inquiry", api.va_inquiry, name="va-inquiry"),
    path("v1.0/transfer-va/payment", api.va_payment, name="va-payment"),
    path("v1.0/transfer-va/status", api.va_status, name="va-status"),
    path("v1.0/qr/qr-mpm-notify", api.qr_mpm_notify, name="qr-mpm-notify"),
]
