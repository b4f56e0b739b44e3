from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "binjai_portal.core.privacy"
    label = "privacy"
    verbose_name = _("Pelindungan data pribadi")

    def ready(self) -> None:
        from binjai_portal.core import demo

        from . import registry
        from .demo import seed as demo_seed
        from .demo import seed_english as demo_seed_english

        registry.autodiscover()
        from django.contrib.auth.signals import user_logged_in

        from .services import consent_check_on_login

        user_logged_in.connect(consent_check_on_login, dispatch_uid="privacy.consent_on_login")
        demo.register("privacy", demo_seed, order=90)
        demo.register("privacy-english", demo_seed_english, order=95)
