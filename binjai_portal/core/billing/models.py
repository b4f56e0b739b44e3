"""A bill (kode bayar) for a levy, its payment, and what the bank told us.

A bill's amount never changes after issue (a database trigger refuses it on PostgreSQL,
the service never writes it): a correction cancels the bill and issues a new one that
points back at it, so both stay visible.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import workflows as wf


def _token() -> str:
    return secrets.token_urlsafe(18)


class BillCounter(models.Model):
    """The last serial of a year's kode bayar, taken under a row lock."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.year)


class Bill(models.Model):
    class Channel(models.TextChoices):
        VA = "va", _("Virtual account")
        QRIS = "qris", _("QRIS")
        TELLER = "teller", _("Kasir bendahara penerimaan")

    code = models.CharField(_("kode bayar"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=wf.BILL.choices(), default=wf.ISSUED
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("wajib retribusi"),
        on_delete=models.PROTECT,
        related_name="bills",
    )
    payer_name = models.CharField(_("nama wajib retribusi"), max_length=200)
    description = models.CharField(_("uraian"), max_length=300)
    legal_basis = models.CharField(_("dasar hukum"), max_length=300)
    amount = models.DecimalField(_("jumlah (Rp)"), max_digits=16, decimal_places=2)
    # What is billed: the issuing service's record (kind registered in billing.hooks).
    subject_kind = models.CharField(_("jenis tagihan"), max_length=60)
    subject_id = models.CharField(max_length=40)
    subject_label = models.CharField(_("untuk"), max_length=200)
    category = models.CharField(_("kategori"), max_length=60, blank=True)
    category_label = models.CharField(_("nama kategori"), max_length=200, blank=True)
    agency = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("perangkat daerah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("diterbitkan"), auto_now_add=True)
    due_at = models.DateTimeField(_("batas bayar"))
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("menggantikan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    cancel_reason = models.TextField(_("alasan pembatalan"), blank=True)
    # Set once, when paid.
    paid_at = models.DateTimeField(_("dibayar"), null=True, blank=True)
    channel = models.CharField(_("saluran"), max_length=8, choices=Channel.choices, blank=True)
    receipt_number = models.CharField(_("nomor tanda bukti"), max_length=40, blank=True)
    receipt_token = models.CharField(max_length=32, unique=True, default=_token)
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("tagihan")
        verbose_name_plural = _("tagihan")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="bill_amount_positive"),
            # One open bill per billed record: a correction cancels the old one first.
            models.UniqueConstraint(
                fields=["subject_kind", "subject_id"],
                condition=Q(status="issued"),
                name="bill_one_open_per_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["subject_kind", "subject_id"]),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["issued_at"]),
            models.Index(
                fields=["paid_at"], name="bill_paid_at", condition=Q(paid_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("billing:bill-detail", args=[self.code])

    @property
    def virtual_account_no(self) -> str:
        from .snap import virtual_account_no

        return virtual_account_no(self.code)

    @property
    def label(self) -> str:
        return wf.BILL.label(self.status)


class Payment(models.Model):
    """The one payment a bill receives (a second is refused by the unique bill)."""

    bill = models.OneToOneField(Bill, on_delete=models.PROTECT, related_name="payment")
    channel = models.CharField(max_length=8, choices=Bill.Channel.choices)
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    paid_at = models.DateTimeField()
    reference = models.CharField(_("referensi"), max_length=64)
    partner_id = models.CharField(max_length=36, blank=True)
    external_id = models.CharField(max_length=36, blank=True)
    payment_request_id = models.CharField(max_length=128, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_at"]
        indexes = [models.Index(fields=["paid_at"])]

    def __str__(self) -> str:
        return f"{self.bill_id} {self.reference}"


class BankEvent(models.Model):
    """Every request the bank sent to the SNAP endpoints and what we answered: accepted,
    repeated or refused, so that the treasurer sees duplicates and refusals."""

    created_at = models.DateTimeField(auto_now_add=True)
    service = models.CharField(max_length=40)
    partner_id = models.CharField(max_length=36, blank=True)
    external_id = models.CharField(max_length=36, blank=True)
    virtual_account_no = models.CharField(max_length=40, blank=True)
    bill = models.ForeignKey(
        Bill, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    amount = models.CharField(max_length=40, blank=True)
    http_status = models.PositiveSmallIntegerField()
    response_code = models.CharField(max_length=7)
    response_message = models.CharField(max_length=200)
    duplicate = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.service} {self.response_code}"


class ExternalId(models.Model):
    """X-EXTERNAL-ID is unique per partner and day (SNAP): the first answer is kept and a
    repeat of the same request gets it again; a different request with the same id is a
    conflict."""

    partner_id = models.CharField(max_length=36)
    external_id = models.CharField(max_length=36)
    day = models.DateField()
    request_hash = models.CharField(max_length=64)
    http_status = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partner_id", "external_id", "day"], name="snap_external_id_per_day"
            )
        ]

    def __str__(self) -> str:
        return self.external_id


class AccessToken(models.Model):
    token_hash = models.CharField(max_length=64, unique=True)
    client_id = models.CharField(max_length=100)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.client_id


class SettlementLine(models.Model):
    """A line of the bank's daily settlement file, as read."""

    day = models.DateField()
    file_name = models.CharField(max_length=200)
    line_no = models.PositiveIntegerField()
    bank_reference = models.CharField(max_length=64)
    virtual_account_no = models.CharField(max_length=40)
    bill_code = models.CharField(max_length=20, blank=True)
    channel = models.CharField(max_length=8, blank=True)
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    paid_at = models.DateTimeField()

    class Meta:
        ordering = ["day", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["day", "bank_reference"], name="settlement_line_once")
        ]

    def __str__(self) -> str:
        return self.bank_reference


class Difference(models.Model):
    """A difference between the bank's settlement and the portal's bills, for the
    treasurer to settle by hand: the reconciliation never marks a bill paid."""

    class Kind(models.TextChoices):
        NOT_IN_PORTAL = "not_in_portal", _("Ada di bank, tidak tercatat lunas di portal")
        NOT_IN_BANK = "not_in_bank", _("Lunas di portal, tidak ada di berkas bank")
        AMOUNT = "amount", _("Jumlah berbeda")
        UNKNOWN_BILL = "unknown_bill", _("Kode bayar tidak dikenal")
        DUPLICATE = "duplicate", _("Dibayar lebih dari sekali di bank")

    day = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    bill = models.ForeignKey(
        Bill, null=True, blank=True, on_delete=models.PROTECT, related_name="differences"
    )
    bank_reference = models.CharField(max_length=64, blank=True)
    bank_amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    portal_amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "bank_reference", "bill"],
                name="difference_once",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}"
