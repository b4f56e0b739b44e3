"""Every write of billing. Status changes go through core.workflow.transition()."""

from __future__ import annotations

import csv
import datetime
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from binjai_portal.core.notifications import EMAIL, SMS, Rupiah, Text, notify
from binjai_portal.core.workflow import transition, workflow_start

from . import hooks, snap
from . import workflows as wf
from .models import Bill, BillCounter, Difference, Payment, SettlementLine

RECEIPT_RE = re.compile(r"^[A-Za-z0-9/\-.]{3,40}$")


def normalise_reference(value: str) -> str:
    """A receipt number or bank reference as typed: spaces (also inside, as printed on
    a receipt "KW 2026 0012") are dropped, letters upper-cased."""
    return re.sub(r"\s+", "", value or "").upper()


# NUMBERS


def _check_digit(digits: str) -> str:
    """Luhn check digit, so that a mistyped kode bayar is caught at the teller."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


@transaction.atomic
def bill_code_take(*, year: int) -> str:
    """The next kode bayar: YY + 8-digit serial + check digit, under the year's row lock."""
    BillCounter.objects.bulk_create([BillCounter(year=year)], ignore_conflicts=True)
    counter = BillCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    digits = f"{year % 100:02d}{counter.last:08d}"
    return digits + _check_digit(digits)


def code_is_valid(code: str) -> bool:
    return (
        len(code) == 11
        and code.isascii()
        and re.fullmatch(r"[0-9]+", code)
        and _check_digit(code[:-1]) == code[-1]
    )


# ISSUE, CANCEL, CORRECT


def _notify_issued(bill: Bill) -> None:
    notify(
        recipient=bill.payer,
        title=Text(
            _l("Tagihan retribusi %(what)s: %(amount)s"),
            what=bill.subject_label,
            amount=Rupiah(bill.amount),
        ),
        body=Text(
            _l(
                "Kode bayar %(code)s untuk %(what)s sebesar %(amount)s, bayar paling lambat "
                "%(due)s melalui virtual account %(va)s, QRIS, atau kasir."
            ),
            code=bill.code,
            what=bill.subject_label,
            amount=Rupiah(bill.amount),
            due=bill.due_at,
            va=snap.virtual_account_display(bill.code),
        ),
        url=bill.get_absolute_url(),
        channels=(EMAIL, SMS),
    )


@transaction.atomic
def bill_issue(
    *,
    payer,
    amount: Decimal,
    description: str,
    legal_basis: str,
    subject_kind: str,
    subject_id: str,
    subject_label: str,
    category: str = "",
    category_label: str = "",
    agency=None,
    due_at: datetime.datetime | None = None,
    replaces: Bill | None = None,
    actor=None,
    is_demo: bool = False,
) -> Bill:
    """Issue a bill; its amount is final (a correction is `bill_correct`)."""
    amount = Decimal(amount)
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("Jumlah tagihan harus lebih dari nol rupiah."))
    now = timezone.now()
    bill = Bill(
        code=bill_code_take(year=timezone.localdate().year),
        payer=payer,
        payer_name=payer.full_name,
        amount=amount,
        description=description[:300],
        legal_basis=(legal_basis or "").strip()[:300]
        or _("Peraturan Daerah %(region)s tentang Pajak Daerah dan Retribusi Daerah")
        % {"region": settings.REGION_NAME},
        subject_kind=subject_kind,
        subject_id=str(subject_id),
        subject_label=subject_label[:200],
        category=category[:60],
        category_label=category_label[:200],
        agency=agency,
        due_at=due_at or now + datetime.timedelta(days=settings.BILLING_BILL_DAYS),
        replaces=replaces,
        is_demo=is_demo,
    )
    bill.full_clean(exclude=["status"])
    try:
        with transaction.atomic():
            bill.save()
    except IntegrityError:
        raise ValidationError(_("Masih ada tagihan terbuka untuk permohonan ini.")) from None
    note = _("Koreksi atas tagihan %(code)s.") % {"code": replaces.code} if replaces else ""
    workflow_start(bill, workflow=wf.BILL, state=wf.ISSUED, actor=actor, note=note)
    _notify_issued(bill)
    return bill


@transaction.atomic
def bill_cancel(*, bill: Bill, actor, reason: str) -> Bill:
    bill.cancel_reason = (reason or "").strip()
    transition(
        bill,
        workflow=wf.BILL,
        action="cancel",
        actor=actor,
        note=bill.cancel_reason,
        extra_fields=["cancel_reason"],
    )
    return bill


@transaction.atomic
def bill_correct(*, bill: Bill, actor, amount: Decimal, reason: str) -> Bill:
    """A wrong bill is cancelled and a new one issued that replaces it: both stay."""
    bill_cancel(bill=bill, actor=actor, reason=reason)
    return bill_issue(
        payer=bill.payer,
        amount=amount,
        description=bill.description,
        legal_basis=bill.legal_basis,
        subject_kind=bill.subject_kind,
        subject_id=bill.subject_id,
        subject_label=bill.subject_label,
        category=bill.category,
        category_label=bill.category_label,
        agency=bill.agency,
        replaces=bill,
        actor=actor,
        is_demo=bill.is_demo,
    )


# PAYMENT


class PaymentRefused(Exception):
    def __init__(self, reason: str, bill: Bill | None = None):
        super().__init__(reason)
        self.reason, self.bill = reason, bill


@dataclass(frozen=True)
class PaymentOutcome:
    bill: Bill
    payment: Payment
    repeated: bool  # the same payment told again: nothing changed


def _notify_paid(bill: Bill) -> None:
    notify(
        recipient=bill.payer,
        title=Text(_l("Pembayaran diterima: %(what)s"), what=bill.subject_label),
        body=Text(
            _l("Tagihan %(code)s sebesar %(amount)s lunas. Tanda bukti: %(receipt)s."),
            code=bill.code,
            amount=Rupiah(bill.amount),
            receipt=bill.receipt_number,
        ),
        url=bill.get_absolute_url(),
        channels=(EMAIL, SMS),
    )


@transaction.atomic
def bill_pay(
    *,
    bill: Bill,
    channel: str,
    amount: Decimal,
    reference: str,
    paid_at: datetime.datetime | None = None,
    partner_id: str = "",
    external_id: str = "",
    payment_request_id: str = "",
    actor=None,
    receipt_number: str = "",
    note: str = "",
) -> PaymentOutcome:
    """Record the one payment of a bill (bank notification or cashier) and let the billed
    record move on in the same transaction. A repeat of the same payment (same bank
    reference or paymentRequestId) is acknowledged and changes nothing; anything else on
    a bill that is not open is refused."""
    locked = Bill.objects.select_for_update().get(pk=bill.pk)
    existing = Payment.objects.filter(bill=locked).first()
    if existing is not None:
        same = (payment_request_id and existing.payment_request_id == payment_request_id) or (
            existing.reference == reference and existing.channel == channel
        )
        if same:
            return PaymentOutcome(locked, existing, repeated=True)
        raise PaymentRefused("paid", locked)
    if locked.status == wf.EXPIRED or (
        locked.status == wf.ISSUED and locked.due_at < timezone.now() and actor is None
    ):
        raise PaymentRefused("expired", locked)
    if locked.status != wf.ISSUED:
        raise PaymentRefused(locked.status, locked)
    if Decimal(amount) != locked.amount:
        raise PaymentRefused("amount", locked)
    now = timezone.now()
    paid_at = paid_at or now
    locked.paid_at, locked.channel = paid_at, channel
    locked.receipt_number = (
        receipt_number or f"TBP/{timezone.localtime(paid_at).year}/{locked.code}"
    )
    payment = Payment.objects.create(
        bill=locked,
        channel=channel,
        amount=locked.amount,
        paid_at=paid_at,
        reference=reference[:64],
        partner_id=partner_id[:36],
        external_id=external_id[:36],
        payment_request_id=payment_request_id[:128],
        note=note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    transition(
        locked,
        workflow=wf.BILL,
        action="record_cash" if channel == Bill.Channel.TELLER else "pay",
        actor=actor,
        note=note
        or _("Dibayar melalui %(channel)s, referensi %(ref)s.")
        % {"channel": locked.get_channel_display(), "ref": reference},
        extra_fields=["paid_at", "channel", "receipt_number"],
    )
    on_paid = hooks.kind(locked.subject_kind).on_paid
    if on_paid is not None:
        on_paid(subject_id=locked.subject_id, bill=locked)
    _notify_paid(locked)
    return PaymentOutcome(locked, payment, repeated=False)


def bill_record_cash(*, bill: Bill, actor, receipt_number: str, note: str) -> PaymentOutcome:
    """The cashier (bendahara penerimaan) took the money: receipt number and a note."""
    receipt_number = normalise_reference(receipt_number)
    if not RECEIPT_RE.match(receipt_number):
        raise ValidationError(_("Nomor tanda bukti tidak sah (3–40 huruf/angka)."))
    if not (note or "").strip():
        raise ValidationError(_("Catatan wajib diisi untuk tindakan ini."))
    if not (actor and actor.is_authenticated and actor.has_role(wf.TREASURER)):
        raise ValidationError(_("Anda tidak berwenang melakukan tindakan ini."))
    try:
        return bill_pay(
            bill=bill,
            channel=Bill.Channel.TELLER,
            amount=bill.amount,
            reference=receipt_number,
            actor=actor,
            receipt_number=receipt_number,
            note=note.strip(),
        )
    except PaymentRefused as exc:
        raise ValidationError(
            _("Tagihan ini tidak dapat dibayar lagi (%(s)s).") % {"s": exc.reason}
        ) from None


def bill_expire_due(*, now: datetime.datetime | None = None) -> int:
    """Unpaid bills past their deadline become expired (the bank is then refused)."""
    now = now or timezone.now()
    count = 0
    for bill in Bill.objects.filter(status=wf.ISSUED, due_at__lt=now).order_by("pk")[:500]:
        with transaction.atomic():
            transition(bill, workflow=wf.BILL, action="expire", actor=None)
        count += 1
    return count


# RECONCILIATION

SETTLEMENT_COLUMNS = (
    "tanggal_transaksi",
    "jam_transaksi",
    "no_referensi",
    "no_virtual_account",
    "kode_bayar",
    "saluran",
    "keterangan",
    "kredit",
)


def settlement_path(day: datetime.date) -> Path:
    return Path(settings.BILLING_SETTLEMENT_DIR) / f"settlement-{day:%Y%m%d}.csv"


class SettlementError(ValueError):
    pass


def _parse_line(row: dict, line_no: int) -> dict:
    try:
        moment = datetime.datetime.strptime(
            f"{row['tanggal_transaksi']} {row['jam_transaksi']}", "%Y-%m-%d %H:%M:%S"
        ).replace(tzinfo=timezone.get_current_timezone())
        amount = Decimal(row["kredit"])
    except (KeyError, ValueError, TypeError, InvalidOperation):
        raise SettlementError(f"line {line_no}: unreadable") from None
    if not amount.is_finite():
        raise SettlementError(f"line {line_no}: amount")
    return {
        "line_no": line_no,
        "bank_reference": (row.get("no_referensi") or "").strip()[:64],
        "virtual_account_no": (row.get("no_virtual_account") or "").strip()[:40],
        "bill_code": (row.get("kode_bayar") or "").strip()[:20],
        "channel": (row.get("saluran") or "").strip().lower()[:8],
        "amount": amount,
        "paid_at": moment,
    }


@transaction.atomic
def reconciliation_run(*, day: datetime.date, path: Path | None = None) -> list[Difference]:
    """Compare the bank's settlement file of `day` with the bills paid that day and list
    the differences. Never marks a bill paid: the treasurer decides."""
    path = path or settlement_path(day)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = [_parse_line(r, n) for n, r in enumerate(csv.DictReader(fh), start=2)]
    except FileNotFoundError:
        rows = []
    SettlementLine.objects.filter(day=day).delete()
    SettlementLine.objects.bulk_create(
        [SettlementLine(day=day, file_name=path.name, **r) for r in rows], ignore_conflicts=True
    )
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    end = start + datetime.timedelta(days=1)
    paid = {
        b.code: b
        for b in Bill.objects.filter(paid_at__gte=start, paid_at__lt=end, status=wf.PAID).exclude(
            channel=Bill.Channel.TELLER
        )
    }
    codes = {r["bill_code"] for r in rows}
    known = {b.code: b for b in Bill.objects.filter(code__in=codes)}
    Difference.objects.filter(day=day).delete()
    out: list[Difference] = []
    seen: set[str] = set()
    for r in rows:
        bill = known.get(r["bill_code"])
        base = {"day": day, "bank_reference": r["bank_reference"], "bank_amount": r["amount"]}
        if bill is None:
            out.append(Difference(kind=Difference.Kind.UNKNOWN_BILL, **base))
            continue
        if bill.code in seen:
            out.append(
                Difference(
                    kind=Difference.Kind.DUPLICATE, bill=bill, portal_amount=bill.amount, **base
                )
            )
            continue
        seen.add(bill.code)
        if bill.status != wf.PAID:
            out.append(
                Difference(
                    kind=Difference.Kind.NOT_IN_PORTAL, bill=bill, portal_amount=bill.amount, **base
                )
            )
        elif bill.amount != r["amount"]:
            out.append(
                Difference(
                    kind=Difference.Kind.AMOUNT, bill=bill, portal_amount=bill.amount, **base
                )
            )
    for code, bill in paid.items():
        if code not in seen:
            out.append(
                Difference(
                    day=day, kind=Difference.Kind.NOT_IN_BANK, bill=bill, portal_amount=bill.amount
                )
            )
    Difference.objects.bulk_create(out)
    return out


def request_hash(body: str) -> str:
    return hashlib.sha256(snap.minify(body).encode("utf-8")).hexdigest()
