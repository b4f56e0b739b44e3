"""The declared workflow of a bill: issued → paid / expired / cancelled."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from binjai_portal.accounts import roles
from binjai_portal.core.workflow import SYSTEM, Action, State, Workflow

ISSUED, PAID, EXPIRED, CANCELLED = "issued", "paid", "expired", "cancelled"
TREASURER = roles.BENDAHARA_PENERIMAAN


def _payer(bill):
    return [bill.payer]


BILL = Workflow(
    name="billing.bill",
    model="billing.Bill",
    states=(
        State(ISSUED, _("Menunggu pembayaran")),
        State(PAID, _("Lunas"), final=True),
        State(EXPIRED, _("Kedaluwarsa"), final=True),
        State(CANCELLED, _("Dibatalkan"), final=True),
    ),
    actions=(
        # The bank's payment notification (VA or QRIS), verified by its signature.
        Action("pay", (ISSUED,), PAID, roles=(SYSTEM,), label=_("Dibayar melalui bank")),
        # Cash at the cashier's desk, with the receipt number: the treasurer only.
        Action(
            "record_cash",
            (ISSUED,),
            PAID,
            roles=(TREASURER,),
            label=_("Catat pembayaran di kasir"),
            note_required=True,
        ),
        Action("expire", (ISSUED,), EXPIRED, roles=(SYSTEM,), label=_("Kedaluwarsa")),
        Action(
            "cancel",
            (ISSUED, EXPIRED),
            CANCELLED,
            roles=(SYSTEM, TREASURER),
            label=_("Batalkan"),
            note_required=True,
        ),
    ),
)
