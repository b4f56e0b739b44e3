"""Payment of the levy (retribusi): an interface for a future bank gateway.

Today a DPMPTSP officer records the reference printed on the bank's receipt
(`ManualGateway`). A bank's host-to-host API will be another `PaymentGateway`
selected with the PERIZINAN_PAYMENT_GATEWAY setting (dotted path); tests use
`FakeBankGateway`, which answers like a bank would from a table of known payments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
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

    def confirm(self, *, levy_number, reference, amount) -> PaymentResult:
        known = self.payments.get(reference)
        if known is None:
            return PaymentResult(False, _("Bank tidak mengenal referensi pembayaran ini."))
        if known != (levy_number, Decimal(amount)):
            return PaymentResult(False, _("Pembayaran di bank tidak cocok dengan SKRD."))
        return PaymentResult(True)


def get_gateway() -> PaymentGateway:
    path = getattr(settings, "PERIZINAN_PAYMENT_GATEWAY", "perizinan.payments.ManualGateway")
    return import_string(path)()
