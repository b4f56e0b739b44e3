from django.apps import AppConfig


class MasyarakatConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "masyarakat"
    verbose_name = "e-Masyarakat"
