from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "binjai_portal.core"
    label = "core"
    verbose_name = _("Inti portal")

    def ready(self) -> None:
        from . import desk, kpi, signals  # noqa: F401

        kpi.autodiscover()
        desk.autodiscover()
        signals.connect_page_cache()

        from django.db.models.signals import post_migrate

        from .translations import fill_indonesian_everywhere

        post_migrate.connect(fill_indonesian_everywhere, sender=self, dispatch_uid="mt-fill-ind")
