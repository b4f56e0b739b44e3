"""e-Musrenbang: planning cycles, citizens' proposals, supports, flags and forum records."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from binjai_portal.core.labels import choice_label

from . import workflows as wf

RT_RW = RegexValidator(r"^[0-9]{1,3}$", _("Isi 1 sampai 3 angka, misalnya 004."))


class Cycle(models.Model):
    """One musrenbang cycle per plan year, with the date windows of its three forums."""

    plan_year = models.PositiveSmallIntegerField(
        _("tahun rencana"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    name = models.CharField(_("nama"), max_length=120)
    kelurahan_opens = models.DateField(_("musrenbang kelurahan dibuka"))
    kelurahan_closes = models.DateField(_("musrenbang kelurahan ditutup"))
    kecamatan_opens = models.DateField(_("musrenbang kecamatan dibuka"))
    kecamatan_closes = models.DateField(_("musrenbang kecamatan ditutup"))
    city_opens = models.DateField(_("musrenbang kota dibuka"))
    city_closes = models.DateField(_("musrenbang kota ditutup"))
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        ordering = ["-plan_year"]
        verbose_name = _("siklus musrenbang")
        verbose_name_plural = pgettext_lazy("plural", "siklus musrenbang")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        windows = [
            (self.kelurahan_opens, self.kelurahan_closes),
            (self.kecamatan_opens, self.kecamatan_closes),
            (self.city_opens, self.city_closes),
        ]
        if any(a is None or b is None for a, b in windows):
            return
        for opens, closes in windows:
            if closes < opens:
                raise ValidationError(_("Tanggal tutup tidak boleh sebelum tanggal buka."))
        if not (
            self.kelurahan_closes <= self.kecamatan_opens
            and self.kecamatan_closes <= self.city_opens
        ):
            raise ValidationError(
                _("Tahapan harus berurutan: kelurahan, lalu kecamatan, lalu kota.")
            )

    def kelurahan_window_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.kelurahan_opens <= today <= self.kelurahan_closes


# The proposal's states, declared once in its workflow (musrenbang.workflows.PROPOSAL).
Status = wf.PROPOSAL.text_choices("Status")


class Proposal(models.Model):
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("siklus"), on_delete=models.PROTECT, related_name="proposals"
    )
    reference = models.CharField(_("nomor usulan"), max_length=12, unique=True, editable=False)
    title = models.CharField(_("judul usulan"), max_length=160)
    problem = models.TextField(_("permasalahan"), max_length=3000)
    activity = models.TextField(_("kegiatan yang diusulkan"), max_length=3000)
    category = models.ForeignKey(
        "core.Urusan",
        verbose_name=_("bidang urusan"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": "bidang"},
        related_name="+",
    )
    suggested_agency = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("perangkat daerah yang disarankan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"kind": "opd"},
        related_name="+",
    )
    agency = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("perangkat daerah pelaksana"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"kind": "opd"},
        related_name="+",
    )
    program = models.CharField(_("program RKPD"), max_length=200, blank=True)
    kelurahan = models.ForeignKey(
        "core.Region",
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    rt = models.CharField(_("RT"), max_length=3, validators=[RT_RW])
    rw = models.CharField(_("RW"), max_length=3, validators=[RT_RW])
    address = models.CharField(_("alamat/lokasi"), max_length=255)
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-11")), MaxValueValidator(Decimal("6"))],
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("95")), MaxValueValidator(Decimal("141"))],
    )
    volume = models.DecimalField(
        _("volume"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    volume_unit = models.CharField(_("satuan"), max_length=30)
    estimated_cost = models.DecimalField(
        _("perkiraan biaya (Rp)"),
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1"))],
    )
    beneficiaries = models.PositiveIntegerField(
        _("jumlah penerima manfaat"), validators=[MinValueValidator(1)]
    )
    photos = models.ManyToManyField(
        "core.Upload", verbose_name=_("foto"), blank=True, related_name="+"
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengusul"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    show_proposer_name = models.BooleanField(
        _("tampilkan nama saya di halaman publik"), default=False
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("digabung ke"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    carried_from = models.OneToOneField(
        "self",
        verbose_name=_("lanjutan dari"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_to",
    )
    rank_kelurahan = models.PositiveIntegerField(_("peringkat kelurahan"), null=True, blank=True)
    rank_kecamatan = models.PositiveIntegerField(_("peringkat kecamatan"), null=True, blank=True)
    decision_note = models.TextField(_("alasan/catatan terakhir"), blank=True)
    budget_reference = models.CharField(_("referensi anggaran"), max_length=100, blank=True)
    support_count = models.PositiveIntegerField(_("dukungan"), default=0)
    flag_count = models.PositiveIntegerField(default=0)
    is_hidden = models.BooleanField(_("disembunyikan"), default=False)
    is_demo = models.BooleanField(_("data demo"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("usulan")
        verbose_name_plural = pgettext_lazy("plural", "usulan")
        indexes = [
            models.Index(fields=["cycle", "status"]),
            models.Index(fields=["kelurahan", "status"]),
            # the public list's order, over the rows it shows
            models.Index(
                fields=["-support_count", "-id"],
                name="proposal_public_list",
                condition=Q(is_hidden=False) & ~Q(status="draft"),
            ),
            # the command center's periods
            models.Index(
                fields=["submitted_at"],
                name="proposal_submitted_at",
                include=["id", "status", "estimated_cost", "kelurahan", "is_hidden"],
                condition=Q(submitted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("musrenbang:detail", args=[self.reference])

    def notification_subject(self) -> tuple:
        """Kind, number and title that notifications about this record name."""
        return pgettext_lazy("record kind", "Usulan"), self.reference, self.title

    @property
    def status_label(self) -> str:
        """get_status_display() from a label map built once per language (core.labels)."""
        return choice_label(Status, self.status)

    @property
    def is_public(self) -> bool:
        return self.status != Status.DRAFT and not self.is_hidden

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)


class Support(models.Model):
    """A citizen's support; withdrawing keeps the row (withdrawn_at) so history stays."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    carried = models.BooleanField(default=False, help_text="copied from the earlier cycle")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("dukungan")
        verbose_name_plural = pgettext_lazy("plural", "dukungan")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="musrenbang_support_once")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}/{self.user_id}"


class Flag(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("alasan"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("laporan konten")
        verbose_name_plural = pgettext_lazy("plural", "laporan konten")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="musrenbang_flag_once")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}/{self.user_id}"


class Forum(models.Model):
    """The record of a kelurahan or kecamatan forum: for the berita acara."""

    class Level(models.TextChoices):
        KELURAHAN = "kelurahan", _("Musrenbang kelurahan")
        KECAMATAN = "kecamatan", _("Musrenbang kecamatan")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="forums")
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("tanggal forum"), null=True, blank=True)
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    participant_count = models.PositiveIntegerField(_("jumlah peserta"), null=True, blank=True)
    participants = models.TextField(_("peserta (unsur yang hadir)"), blank=True)
    notes = models.TextField(_("catatan/kesepakatan"), blank=True)
    chair_name = models.CharField(_("nama pimpinan forum"), max_length=150, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("forum musrenbang")
        verbose_name_plural = pgettext_lazy("plural", "forum musrenbang")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "level", "region"], name="musrenbang_forum_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.region} {self.cycle.plan_year}"


class Funding(models.Model):
    """What e-Budgeting reported about the money of a proposal.

    e-Musrenbang never reads e-Budgeting (DESIGN.md): e-Budgeting calls the services that
    write this row when it funds, approves, revises or realises, and the proposal page
    shows what is kept here.
    """

    class Phase(models.TextChoices):
        DRAFT = "draft", _("Rancangan APBD (belum ditetapkan)")
        APPROVED = "approved", _("APBD ditetapkan")
        REVISED = "revised", _("APBD perubahan ditetapkan")
        CANCELLED = "cancelled", _("Pendanaan dibatalkan")

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="funding")
    agency = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("perangkat daerah"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    sub_kegiatan_code = models.CharField(_("kode sub kegiatan"), max_length=40, blank=True)
    sub_kegiatan_name = models.CharField(_("nama sub kegiatan"), max_length=255)
    fiscal_year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    amount = models.DecimalField(
        _("anggaran (Rp)"), max_digits=20, decimal_places=2, default=Decimal(0)
    )
    phase = models.CharField(
        _("tahap anggaran"), max_length=10, choices=Phase.choices, default=Phase.DRAFT
    )
    cancelled_reason = models.TextField(_("alasan pembatalan"), blank=True)
    funded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    completed_on = models.DateField(_("tanggal selesai"), null=True, blank=True)
    completion_note = models.TextField(_("catatan penyelesaian"), blank=True)
    completion_photo = models.ForeignKey(
        "core.Upload",
        verbose_name=_("foto hasil pekerjaan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("pendanaan usulan")
        verbose_name_plural = pgettext_lazy("plural", "pendanaan usulan")

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.fiscal_year} {self.sub_kegiatan_code}"

    @property
    def is_active(self) -> bool:
        return self.phase != self.Phase.CANCELLED


class FundingMonth(models.Model):
    """Realisation of the activity that funds a proposal, one row per month."""

    funding = models.ForeignKey(Funding, on_delete=models.CASCADE, related_name="months")
    month = models.PositiveSmallIntegerField(
        _("bulan"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    amount = models.DecimalField(_("realisasi (Rp)"), max_digits=20, decimal_places=2)
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["funding", "month"]
        verbose_name = _("realisasi bulanan usulan")
        verbose_name_plural = pgettext_lazy("plural", "realisasi bulanan usulan")
        constraints = [
            models.UniqueConstraint(fields=["funding", "month"], name="musrenbang_funding_month")
        ]

    def __str__(self) -> str:
        return f"{self.funding_id}/{self.month}: {self.amount}"


class CompletionFeedback(models.Model):
    """A citizen's word on completed work: really done, or not (then a complaint)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed = models.BooleanField(_("benar sudah dikerjakan"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tanggapan warga atas penyelesaian")
        verbose_name_plural = pgettext_lazy("plural", "tanggapan warga atas penyelesaian")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="musrenbang_feedback_once")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}/{self.user_id}: {self.confirmed}"
