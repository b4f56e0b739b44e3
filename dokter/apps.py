from django.apps import AppConfig


class DokterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dokter"
    verbose_name = "e-Dokter"
