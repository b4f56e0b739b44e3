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

        # After the services' seeders and their English names (95): it snapshots their
        # demo data and raises the alerts, which keep the names they find in each language.
        demo.register("command_center", seed, order=99)
