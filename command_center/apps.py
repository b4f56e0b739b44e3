from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandCenterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "command_center"
    verbose_name = _("Command Center")

    def ready(self) -> None:
        from binjai_portal.core import demo

        def seed(log):
            from .demo import seed as run

            run(log)

        # After the services' seeders: it snapshots their demo data.
        demo.register("command_center", seed, order=90)
