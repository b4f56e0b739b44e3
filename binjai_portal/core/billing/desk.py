"""What billing puts on the treasurer's desk and on the citizen's "Aktivitas saya"."""

from __future__ import annotations

import datetime

import rules
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from binjai_portal.core import desk

from . import workflows as wf
from .models import Bill, Difference

#: The reconciliation differences the desk shows: the last week's (older ones are on the
#: treasurer's page, by day).
DIFFERENCE_DAYS = 7


@desk.waiting("billing", title=_("Retribusi"), order=60)
def differences_waiting(user, *, limit: int) -> desk.Pile | None:
    if not rules.has_perm("billing.act_as_treasurer", user):
        return None
    since = timezone.localdate() - datetime.timedelta(days=DIFFERENCE_DAYS)
    qs = Difference.objects.filter(day__gte=since).select_related("bill")
    items = tuple(
        desk.Item(
            kind=pgettext_lazy("record kind", "Selisih rekonsiliasi"),
            reference=(d.bill.code if d.bill_id else d.bank_reference) or "—",
            title=d.get_kind_display(),
            state=_("Perlu dicocokkan"),
            url=f"{reverse('billing:treasurer')}?tanggal={d.day.isoformat()}",
            since=d.day,
            next_step=_("Cocokkan dengan rekening koran dan catat penyelesaiannya"),
        )
        for d in qs.order_by("day", "pk")[:limit]
    )
    return desk.Pile(
        count=qs.count(), items=items, overdue=0, list_url=reverse("billing:treasurer")
    )


@desk.activity("billing", order=60)
def my_bills(user, *, limit: int) -> list[desk.Item]:
    """The citizen's bills still to pay, and the latest paid ones."""
    bills = (
        Bill.objects.filter(payer=user, status__in=(wf.ISSUED, wf.PAID))
        .order_by("-issued_at", "-pk")
        .only("code", "status", "subject_label", "issued_at", "due_at")[:limit]
    )
    return [
        desk.Item(
            kind=pgettext_lazy("record kind", "Tagihan retribusi"),
            reference=b.code,
            title=b.subject_label,
            state=wf.BILL.label(b.status),
            url=b.get_absolute_url(),
            since=b.issued_at,
            due=timezone.localdate(b.due_at) if b.status == wf.ISSUED else None,
            next_step=(
                _("Bayar melalui virtual account atau QRIS sebelum batas waktu")
                if b.status == wf.ISSUED
                else _("Unduh tanda bukti pembayaran")
            ),
        )
        for b in bills
    ]
