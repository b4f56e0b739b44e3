from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    """Levies billed by any service (kode bayar), paid by bank virtual account, QRIS or at
    the cashier; receipts and reconciliation. Its own app (label "billing") so that its
    migrations never collide with core's."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "binjai_portal.core.billing"
    label = "billing"
    verbose_name = _("Penagihan retribusi")

    def ready(self) -> None:
        from django.core import checks

        from . import settings_check

        checks.register(settings_check.check_snap_settings)
