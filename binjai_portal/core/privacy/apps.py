from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "binjai_portal.core.privacy"
    label = "privacy"
    verbose_name = _("Pelindungan data pribadi")

    def ready(self) -> None:
        from binjai_portal.core import demo

        from . import demo_data, registry

        registry.autodiscover()
        demo.register("privacy", demo_data.seed, order=90)
