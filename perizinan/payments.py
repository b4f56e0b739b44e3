"""Payment of the levy (retribusi): an interface for a future bank gateway.

Today a DPMPTSP officer records the reference printed on the bank's receipt
(`ManualGateway`). A bank's host-to-host API will be another `PaymentGateway`
selected with the PERIZINAN_PAYMENT_GATEWAY setting (dotted path); tests use
`FakeBankGateway`, which answers like a bank would from a table of known payments.
The fake exists only where ENABLE_TEST_ENDPOINTS is on: anywhere else it cannot be
built, and selecting it fails the system checks (perizinan.E001), so a deployment can
never confirm a levy against a table anybody could fill in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

REFERENCE_RE = re.compile(r"^[A-Za-z0-9/\-.]{4,60}$")


@dataclass(frozen=True)
class PaymentResult:
    ok: bool
    message: str = ""


class PaymentGateway:
    def confirm(self, *, levy_number: str, reference: str, amount: Decimal) -> PaymentResult:
        raise NotImplementedError


class ManualGateway(PaymentGateway):
    """The officer saw the receipt: accept a well-formed reference."""

    def confirm(self, *, levy_number, reference, amount) -> PaymentResult:
        if not REFERENCE_RE.match(reference or ""):
            return PaymentResult(False, _("Referensi pembayaran tidak sah (4–60 huruf/angka)."))
        return PaymentResult(True)


class FakeBankGateway(PaymentGateway):
    """Test double of a bank: knows payments as {reference: (levy_number, amount)}."""

    payments: dict[str, tuple[str, Decimal]] = {}

    def __init__(self):
        if not settings.ENABLE_TEST_ENDPOINTS:
            raise ImproperlyConfigured(
                "FakeBankGateway is for tests only (ENABLE_TEST_ENDPOINTS is off)."
            )

    def confirm(self, *, levy_number, reference, amount) -> PaymentResult:
        known = self.payments.get(reference)
        if known is None:
            return PaymentResult(False, _("Bank tidak mengenal referensi pembayaran ini."))
        if known != (levy_number, Decimal(amount)):
            return PaymentResult(False, _("Pembayaran di bank tidak cocok dengan SKRD."))
        return PaymentResult(True)


def get_gateway() -> PaymentGateway:
    return import_string(settings.PERIZINAN_PAYMENT_GATEWAY)()


def check_gateway(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: the configured gateway exists and is not the test double."""
    try:
        gateway = import_string(settings.PERIZINAN_PAYMENT_GATEWAY)
    except ImportError as exc:
        return [
            checks.Error(
                f"PERIZINAN_PAYMENT_GATEWAY cannot be imported: {exc}", id="perizinan.E002"
            )
        ]
    if (
        isinstance(gateway, type)
        and issubclass(gateway, FakeBankGateway)
        and not settings.ENABLE_TEST_ENDPOINTS
    ):
        return [
            checks.Error(
                "PERIZINAN_PAYMENT_GATEWAY selects the fake bank gateway, which exists only for "
                "tests.",
                hint="Use perizinan.payments.ManualGateway or a real bank's gateway.",
                id="perizinan.E001",
            )
        ]
    return []
