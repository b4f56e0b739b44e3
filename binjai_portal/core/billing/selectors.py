"""Reads of billing, scoped to the user: the payer sees their bills, the treasurer all."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import rules
from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from binjai_portal.core.workflow import timeline

from . import qris, snap
from . import workflows as wf
from .models import BankEvent, Bill, Difference, Payment
from .terbilang import terbilang


def bill_list_visible(*, user) -> QuerySet[Bill]:
    """The one rule of who sees a bill: its payer, the treasurer."""
    qs = Bill.objects.select_related("payer", "agency", "replaces")
    if not (user and user.is_authenticated):
        return qs.none()
    if rules.has_perm("billing.act_as_treasurer", user):
        return qs
    return qs.filter(payer=user)


def bill_get_for_user(*, user, code: str) -> Bill:
    bill = bill_list_visible(user=user).filter(code=code).first()
    if bill is None:
        raise Http404
    return bill


def bill_for_subject(*, kind: str, subject_id) -> Bill | None:
    """The billed record's current bill (open, else the latest): for the issuing app's page,
    which has checked the viewer's right to the record itself."""
    return (
        Bill.objects.filter(subject_kind=kind, subject_id=str(subject_id))
        .select_related("replaces")
        .order_by("-issued_at", "-pk")
        .first()
    )


def bill_get_by_receipt_token(*, token: str) -> Bill:
    bill = Bill.objects.filter(receipt_token=token, status=wf.PAID).first()
    if bill is None:
        raise Http404
    return bill


@dataclass(frozen=True)
class BillView:
    bill: Bill
    amount_words: str
    virtual_account: str
    qris_payload: str
    qris_svg: str
    overdue: bool
    collector: str


def qr_data_uri(text: str) -> str:
    import segno

    return segno.make(text, error="m", micro=False).svg_data_uri(scale=4, border=2)


def bill_view(*, bill: Bill) -> BillView:
    payload = qris.payload(amount=bill.amount, bill_code=bill.code) if qris.configured() else ""
    return BillView(
        bill=bill,
        amount_words=terbilang(bill.amount),
        virtual_account=snap.virtual_account_display(bill.code),
        qris_payload=payload,
        qris_svg=qr_data_uri(payload) if payload and bill.status == wf.ISSUED else "",
        overdue=bill.status == wf.ISSUED and bill.due_at < timezone.now(),
        collector=settings.BILLING_COLLECTOR_NAME,
    )


def bill_timeline(*, bill: Bill, viewer):
    return timeline(bill, workflow=wf.BILL, viewer=viewer)


@dataclass(frozen=True)
class TreasurerDay:
    day: datetime.date
    bills: list
    payments: list
    events: list
    differences: list
    billed_total: Decimal
    paid_total: Decimal


def _day_range(day: datetime.date):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    return start, start + datetime.timedelta(days=1)


def treasurer_day(*, user, day: datetime.date, limit: int = 500) -> TreasurerDay:
    if not rules.has_perm("billing.act_as_treasurer", user):
        raise Http404
    start, end = _day_range(day)
    bills = list(
        Bill.objects.filter(issued_at__gte=start, issued_at__lt=end)
        .select_related("replaces")
        .order_by("issued_at", "pk")[:limit]
    )
    payments = list(
        Payment.objects.filter(paid_at__gte=start, paid_at__lt=end)
        .select_related("bill", "recorded_by")
        .order_by("paid_at", "pk")[:limit]
    )
    events = list(
        BankEvent.objects.filter(created_at__gte=start, created_at__lt=end)
        .filter(Q(duplicate=True) | ~Q(response_code__startswith="200"))
        .select_related("bill")
        .order_by("created_at", "pk")[:limit]
    )
    differences = list(Difference.objects.filter(day=day).select_related("bill")[:limit])
    totals = Bill.objects.filter(issued_at__gte=start, issued_at__lt=end).aggregate(
        n=Count("pk"), total=Sum("amount")
    )
    paid = Payment.objects.filter(paid_at__gte=start, paid_at__lt=end).aggregate(
        total=Sum("amount")
    )
    return TreasurerDay(
        day=day,
        bills=bills,
        payments=payments,
        events=events,
        differences=differences,
        billed_total=totals["total"] or Decimal("0"),
        paid_total=paid["total"] or Decimal("0"),
    )


def treasurer_rows(data: TreasurerDay) -> tuple[list[str], list[list]]:
    """The day as one table (for the export): bills, payments, differences, bank refusals."""
    columns = [
        "jenis",
        "kode_bayar",
        "status",
        "jumlah",
        "waktu",
        "saluran",
        "referensi",
        "keterangan",
    ]
    rows = []
    for b in data.bills:
        rows.append(
            [
                "tagihan",
                b.code,
                b.status,
                b.amount,
                timezone.localtime(b.issued_at),
                "",
                "",
                b.subject_label,
            ]
        )
    for p in data.payments:
        rows.append(
            [
                "pembayaran",
                p.bill.code,
                "",
                p.amount,
                timezone.localtime(p.paid_at),
                p.channel,
                p.reference,
                p.note,
            ]
        )
    for d in data.differences:
        rows.append(
            [
                "selisih",
                d.bill.code if d.bill else "",
                d.kind,
                d.bank_amount,
                "",
                "",
                d.bank_reference,
                str(d.get_kind_display()),
            ]
        )
    for e in data.events:
        rows.append(
            [
                "bank",
                e.bill.code if e.bill else "",
                e.response_code,
                e.amount,
                timezone.localtime(e.created_at),
                e.service,
                e.external_id,
                e.response_message,
            ]
        )
    return columns, rows
