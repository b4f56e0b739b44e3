from django.apps import AppConfig


class MusrenbangConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "musrenbang"
    verbose_name = "e-Musrenbang"
