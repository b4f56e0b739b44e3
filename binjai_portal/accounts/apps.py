from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "binjai_portal.accounts"
    label = "accounts"
    verbose_name = _("Akun dan unit kerja")

    def ready(self) -> None:
        from binjai_portal.core import demo

        from . import demo_data

        demo.register("accounts", demo_data.seed, order=10)
