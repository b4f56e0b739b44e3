from django.apps import AppConfig


class CommandCenterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "command_center"
    verbose_name = "Binjai Command Center"
