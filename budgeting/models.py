"""e-Budgeting: nomenclature, accounts, standard prices, agency budgets (RKA), lines.

Structure follows Permendagri 90/2019: urusan and bidang (core.Urusan) → program →
kegiatan → sub-kegiatan; expense accounts akun.kelompok.jenis.objek.rincian.sub-rincian.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from . import workflows as wf

MONEY = {"max_digits": 20, "decimal_places": 2}


class Account(models.Model):
    """One node of the expense account tree (kode rekening)."""

    class Level(models.TextChoices):
        AKUN = "akun", _("Akun")
        KELOMPOK = "kelompok", _("Kelompok")
        JENIS = "jenis", _("Jenis")
        OBJEK = "objek", _("Objek")
        RINCIAN = "rincian", _("Rincian objek")
        SUB_RINCIAN = "sub_rincian", _("Sub rincian objek")

    code = models.CharField(_("kode rekening"), max_length=24, unique=True)
    name = models.CharField(_("nama"), max_length=255)
    level = models.CharField(_("tingkat"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kode rekening")
        verbose_name_plural = pgettext_lazy("plural", "kode rekening")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Nomenclature(models.Model):
    """Program, kegiatan or sub-kegiatan under a bidang (Permendagri 90/2019)."""

    class Level(models.TextChoices):
        PROGRAM = "program", _("Program")
        KEGIATAN = "kegiatan", _("Kegiatan")
        SUB_KEGIATAN = "sub_kegiatan", _("Sub kegiatan")

    code = models.CharField(_("kode"), max_length=24, unique=True)
    name = models.CharField(_("nama"), max_length=255)
    level = models.CharField(_("tingkat"), max_length=14, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    bidang = models.ForeignKey(
        "core.Urusan",
        verbose_name=_("bidang urusan"),
        on_delete=models.PROTECT,
        related_name="budget_nomenclature",
    )
    output_indicator = models.CharField(_("indikator keluaran"), max_length=255, blank=True)
    output_unit = models.CharField(_("satuan keluaran"), max_length=40, blank=True)
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("program/kegiatan/sub kegiatan")
        verbose_name_plural = pgettext_lazy("plural", "program/kegiatan/sub kegiatan")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AgencyBidang(models.Model):
    """Which bidang an agency (OPD) carries out."""

    agency = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("perangkat daerah"),
        on_delete=models.CASCADE,
        related_name="budget_bidang",
    )
    bidang = models.ForeignKey(
        "core.Urusan", verbose_name=_("bidang urusan"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("bidang perangkat daerah")
        verbose_name_plural = pgettext_lazy("plural", "bidang perangkat daerah")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "bidang"], name="budgeting_agency_bidang_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.bidang}"


class FiscalYear(models.Model):
    class Version(models.TextChoices):
        ORIGINAL = "murni", _("APBD murni")
        REVISED = "perubahan", _("APBD perubahan")

    Phase = wf.FISCAL_YEAR.text_choices("Phase")

    year = models.PositiveSmallIntegerField(
        _("tahun anggaran"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    version = models.CharField(
        _("versi"), max_length=10, choices=Version.choices, default=Version.ORIGINAL
    )
    phase = models.CharField(
        _("tahap"), max_length=12, choices=Phase.choices, default=Phase.PLANNING
    )
    revises = models.ForeignKey(
        "self",
        verbose_name=_("perubahan dari"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("tahun anggaran")
        verbose_name_plural = pgettext_lazy("plural", "tahun anggaran")
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="budgeting_fiscal_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_version_display()} {self.year}"


class PriceList(models.Model):
    """A version of the standard price list (SSH/HSPK/ASB) of a year.

    Published versions are locked: a change is a new version with who and why.
    """

    Status = wf.PRICE_LIST.text_choices("Status")

    year = models.PositiveSmallIntegerField(_("tahun"))
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    reason = models.TextField(_("alasan perubahan"), blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("versi sebelumnya"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("daftar harga standar")
        verbose_name_plural = pgettext_lazy("plural", "daftar harga standar")
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="budgeting_price_list_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} v{self.version}"


class PriceItem(models.Model):
    class Kind(models.TextChoices):
        SSH = "ssh", _("SSH (standar satuan harga)")
        HSPK = "hspk", _("HSPK (harga satuan pokok kegiatan)")
        ASB = "asb", _("ASB (analisis standar belanja)")

    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("kode"), max_length=40)
    name = models.CharField(_("uraian"), max_length=255)
    specification = models.CharField(_("spesifikasi"), max_length=255, blank=True)
    unit = models.CharField(_("satuan"), max_length=30)
    price = models.DecimalField(
        _("harga satuan (Rp)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    kind = models.CharField(_("jenis"), max_length=5, choices=Kind.choices)
    accounts = models.ManyToManyField(
        Account, verbose_name=_("kode rekening"), related_name="price_items"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("item harga standar")
        verbose_name_plural = pgettext_lazy("plural", "item harga standar")
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "code"], name="budgeting_price_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.unit})"


class Budget(models.Model):
    """An agency's budget work plan (RKA-SKPD) for one fiscal year version, with its ceiling."""

    Status = wf.BUDGET.text_choices("Status")

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    PUBLIC = (Status.APPROVED, Status.LOCKED)

    fiscal_year = models.ForeignKey(
        FiscalYear,
        verbose_name=_("tahun anggaran"),
        on_delete=models.PROTECT,
        related_name="budgets",
    )
    agency = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("perangkat daerah"),
        on_delete=models.PROTECT,
        related_name="budgets",
    )
    ceiling = models.DecimalField(
        _("pagu (Rp)"), **MONEY, validators=[MinValueValidator(Decimal(0))]
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    source = models.ForeignKey(
        "self",
        verbose_name=_("disalin dari"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies",
    )
    is_demo = models.BooleanField(_("data demo"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["fiscal_year", "agency__name"]
        verbose_name = _("RKA perangkat daerah")
        verbose_name_plural = pgettext_lazy("plural", "RKA perangkat daerah")
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "agency"], name="budgeting_budget_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.fiscal_year}"

    def get_absolute_url(self) -> str:
        return reverse("budgeting:budget-detail", args=[self.pk])

    def notification_subject(self) -> tuple:
        """Kind, number and title that notifications about this RKA name."""
        return _("RKA"), str(self.fiscal_year), self.agency  # named in the reader's language

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class Activity(models.Model):
    """A sub-kegiatan an agency budgets for in a year."""

    class Funding(models.TextChoices):
        PAD = "pad", _("Pendapatan Asli Daerah (PAD)")
        DAU = "dau", _("Dana Alokasi Umum (DAU)")
        DAK = "dak", _("Dana Alokasi Khusus (DAK)")
        DBH = "dbh", _("Dana Bagi Hasil (DBH)")
        OTHER = "lain", _("Lain-lain pendapatan yang sah")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="activities")
    sub_kegiatan = models.ForeignKey(
        Nomenclature,
        verbose_name=_("sub kegiatan"),
        on_delete=models.PROTECT,
        related_name="activities",
        limit_choices_to={"level": Nomenclature.Level.SUB_KEGIATAN},
    )
    output_target = models.DecimalField(
        _("target keluaran"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    kecamatan = models.ForeignKey(
        "core.Region",
        verbose_name=_("kecamatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kelurahan = models.ForeignKey(
        "core.Region",
        verbose_name=_("kelurahan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    funding_source = models.CharField(
        _("sumber dana"), max_length=4, choices=Funding.choices, default=Funding.PAD
    )
    source = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sub_kegiatan__code", "pk"]
        verbose_name = _("kegiatan anggaran")
        verbose_name_plural = pgettext_lazy("plural", "kegiatan anggaran")

    def __str__(self) -> str:
        return str(self.sub_kegiatan)

    def get_absolute_url(self) -> str:
        return reverse("budgeting:activity-detail", args=[self.pk])


class FundedProposal(models.Model):
    """An accepted e-Musrenbang proposal this activity funds (a snapshot, no model tie)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="proposals")
    proposal_id = models.PositiveBigIntegerField(_("ID usulan"), unique=True)
    reference = models.CharField(_("nomor usulan"), max_length=20)
    title = models.CharField(_("judul usulan"), max_length=200)
    estimated_cost = models.DecimalField(_("perkiraan biaya (Rp)"), **MONEY, default=0)
    funded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    funded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("usulan musrenbang yang didanai")
        verbose_name_plural = pgettext_lazy("plural", "usulan musrenbang yang didanai")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class Line(models.Model):
    """A budget line: account, priced item, volume as a product of factors, total."""

    class Standard(models.TextChoices):
        STANDARD = "standard", _("Harga standar")
        PENDING = "pending", _("Non-standar: menunggu persetujuan TAPD")
        APPROVED = "approved", _("Non-standar: disetujui TAPD")
        REJECTED = "rejected", _("Non-standar: ditolak TAPD")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="lines")
    account = models.ForeignKey(
        Account, verbose_name=_("kode rekening"), on_delete=models.PROTECT, related_name="lines"
    )
    price_item = models.ForeignKey(
        PriceItem,
        verbose_name=_("item harga standar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
    )
    description = models.CharField(_("uraian"), max_length=255)
    specification = models.CharField(_("spesifikasi"), max_length=255, blank=True)
    unit = models.CharField(_("satuan harga"), max_length=30)
    unit_price = models.DecimalField(
        _("harga satuan (Rp)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    factors = models.JSONField(_("faktor volume"), default=list)
    volume = models.DecimalField(
        _("volume"),
        max_digits=18,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    volume_unit = models.CharField(_("satuan volume"), max_length=80)
    total = models.DecimalField(_("jumlah (Rp)"), **MONEY)
    standard = models.CharField(
        _("kesesuaian harga"), max_length=10, choices=Standard.choices, default=Standard.STANDARD
    )
    justification = models.TextField(_("justifikasi item non-standar"), blank=True)
    review_note = models.TextField(_("catatan TAPD"), blank=True)
    source = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["account__code", "pk"]
        verbose_name = _("rincian belanja")
        verbose_name_plural = pgettext_lazy("plural", "rincian belanja")
        indexes = [
            # the command center's totals per activity (budgeting/metrics.py), from the
            # index alone: a budget year is a hundred thousand lines
            models.Index(
                fields=["activity"], include=["total", "standard"], name="line_activity_cover"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account.code} {self.description}"


class Realisation(models.Model):
    """Spending of an activity in one month."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="realisations")
    month = models.PositiveSmallIntegerField(
        _("bulan"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    amount = models.DecimalField(
        _("realisasi (Rp)"), **MONEY, validators=[MinValueValidator(Decimal(0))]
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "month"]
        verbose_name = _("realisasi")
        verbose_name_plural = pgettext_lazy("plural", "realisasi")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "month"], name="budgeting_realisation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}/{self.month}: {self.amount}"
