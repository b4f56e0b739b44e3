from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MasyarakatConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "masyarakat"
    verbose_name = _("e-Masyarakat")

    def ready(self) -> None:
        from binjai_portal.core import demo
        from binjai_portal.core.uploads import register_policy

        from . import policies

        register_policy("masyarakat.photo", policies.photo_visible)
        register_policy("masyarakat.resolution", policies.resolution_visible)

        def seed(log):
            from .demo import seed as run

            run(log)

        demo.register("masyarakat", seed, order=50)
