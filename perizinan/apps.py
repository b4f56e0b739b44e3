from django.apps import AppConfig


class PerizinanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "perizinan"
    verbose_name = "e-Perizinan"
