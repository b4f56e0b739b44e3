from __future__ import annotations

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
from simple_history.models import HistoricalRecords

from . import workflows as wf
from .formula import FormulaError, formula_parse
from .schema import numeric_names, schema_validate

NUMBER_RE = r"^IZN-[0-9]{4}-[0-9]{6}$"


class PermitType(models.Model):
    """A kind of permit or licence DPMPTSP issues, with its own form fields and fee."""

    class FeeKind(models.TextChoices):
        NONE = "none", _("Tanpa biaya")
        FIXED = "fixed", _("Tarif tetap")
        FORMULA = "formula", _("Dihitung dengan rumus")

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=160)
    description = models.TextField(_("uraian"), blank=True)
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    fee_kind = models.CharField(
        _("jenis biaya"), max_length=8, choices=FeeKind.choices, default=FeeKind.NONE
    )
    fee_amount = models.DecimalField(
        _("tarif tetap (Rp)"),
        max_digits=14,
        decimal_places=0,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    fee_formula = models.CharField(
        _("rumus retribusi"),
        max_length=300,
        blank=True,
        help_text=_(
            "Hanya angka, nama isian numerik, + - * / dan tanda kurung, "
            "misalnya luas_bangunan * 15000 + 250000."
        ),
    )
    service_days = models.PositiveSmallIntegerField(
        _("standar pelayanan (hari kerja)"), validators=[MinValueValidator(1)]
    )
    needs_survey = models.BooleanField(_("perlu survei lapangan"), default=False)
    agency = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("instansi teknis"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "opd"},
        related_name="permit_types",
    )
    validity_years = models.PositiveSmallIntegerField(
        _("masa berlaku (tahun)"), default=0, help_text=_("0 berarti berlaku selamanya.")
    )
    fields = models.JSONField(_("isian formulir"), default=list, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("jenis izin")
        verbose_name_plural = pgettext_lazy("plural", "jenis izin")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        try:
            schema_validate(self.fields)
        except ValidationError as exc:
            errors["fields"] = exc.messages
        if self.fee_kind == self.FeeKind.FORMULA and "fields" not in errors:
            try:
                formula_parse(self.fee_formula, names=numeric_names(self.fields))
            except FormulaError as exc:
                errors["fee_formula"] = [str(exc)]
        if self.fee_kind == self.FeeKind.FIXED and not self.fee_amount:
            errors["fee_amount"] = [_("Isi tarif tetap lebih dari nol.")]
        if self.agency_id and self.agency.kind != "opd":
            errors["agency"] = [_("Instansi teknis harus perangkat daerah (OPD).")]
        if errors:
            raise ValidationError(errors)

    @property
    def has_fee(self) -> bool:
        return self.fee_kind != self.FeeKind.NONE


class DocumentRequirement(models.Model):
    class Kinds(models.TextChoices):
        PDF = "pdf", _("PDF")
        IMAGE = "image", _("Gambar (JPEG/PNG/WebP)")
        ANY = "image_pdf", _("PDF atau gambar")

    permit_type = models.ForeignKey(
        PermitType, on_delete=models.CASCADE, related_name="requirements"
    )
    name = models.CharField(_("nama dokumen"), max_length=160)
    mandatory = models.BooleanField(_("wajib"), default=True)
    kinds = models.CharField(
        _("jenis berkas"), max_length=10, choices=Kinds.choices, default=Kinds.ANY
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["permit_type", "order", "pk"]
        verbose_name = _("persyaratan dokumen")
        verbose_name_plural = pgettext_lazy("plural", "persyaratan dokumen")

    def __str__(self) -> str:
        return self.name

    @property
    def kind_tuple(self) -> tuple[str, ...]:
        return {"pdf": ("pdf",), "image": ("image",)}.get(self.kinds, ("image", "pdf"))


class Application(models.Model):
    class ApplicantKind(models.TextChoices):
        PERSON = "person", _("Perorangan")
        BUSINESS = "business", _("Badan usaha")

    number = models.CharField(
        _("nomor registrasi"),
        max_length=15,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(NUMBER_RE)],
    )
    permit_type = models.ForeignKey(
        PermitType,
        verbose_name=_("jenis izin"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pemohon"),
        on_delete=models.PROTECT,
        related_name="permit_applications",
    )
    agency = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("instansi teknis"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    applicant_kind = models.CharField(
        _("pemohon sebagai"),
        max_length=10,
        choices=ApplicantKind.choices,
        default=ApplicantKind.PERSON,
    )
    business_name = models.CharField(_("nama badan usaha"), max_length=160, blank=True)
    nib = models.CharField(
        _("NIB"),
        max_length=13,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{13}$", _("NIB terdiri dari 13 angka."))],
    )
    npwp = models.CharField(
        _("NPWP"),
        max_length=16,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{15,16}$", _("NPWP terdiri dari 15 atau 16 angka."))],
    )
    data = models.JSONField(_("data permohonan"), default=dict, blank=True)
    location_address = models.CharField(_("alamat lokasi"), max_length=255, blank=True)
    kelurahan = models.ForeignKey(
        "core.Region",
        verbose_name=_("kelurahan lokasi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    Status = wf.APPLICATION.text_choices("Status")

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    submitted_on = models.DateField(_("tanggal diajukan"), null=True, blank=True)
    finished_on = models.DateField(_("tanggal selesai"), null=True, blank=True)
    sla_due = models.DateField(_("batas standar pelayanan"), null=True, blank=True)
    sla_paused_on = models.DateField(_("jeda sejak"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("hari kerja jeda"), default=0)
    overdue_reported_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Steps
    survey_date = models.DateField(_("tanggal survei"), null=True, blank=True)
    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("surveyor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    survey_findings = models.TextField(_("hasil survei"), blank=True)
    survey_photos = models.ManyToManyField("core.Upload", blank=True, related_name="+")
    review_minutes = models.TextField(_("berita acara rapat teknis"), blank=True)
    recommendation = models.TextField(_("rekomendasi teknis"), blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    fee = models.DecimalField(
        _("retribusi (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    levy_number = models.CharField(_("nomor SKRD"), max_length=40, blank=True)
    payment_reference = models.CharField(_("referensi pembayaran"), max_length=60, blank=True)
    paid_at = models.DateTimeField(_("dibayar"), null=True, blank=True)
    is_demo = models.BooleanField(_("data demo"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("permohonan izin")
        verbose_name_plural = pgettext_lazy("plural", "permohonan izin")
        indexes = [
            models.Index(fields=["status", "submitted_on"]),
            models.Index(fields=["submitted_on"], name="application_submitted_on"),
            models.Index(
                fields=["paid_at"], name="application_paid_at", condition=Q(paid_at__isnull=False)
            ),
            # The work queues (oldest first, a role's states): files in progress only, so a
            # page reads the queue's own rows, not every file finished since the first one.
            models.Index(
                fields=["submitted_on", "id"],
                name="application_queue",
                condition=Q(status__in=wf.IN_PROGRESS),
            ),
            models.Index(
                fields=["sla_due"],
                name="application_open_due",
                condition=Q(sla_paused_on__isnull=True) & Q(status__in=wf.IN_PROGRESS),
            ),
        ]

    def __str__(self) -> str:
        return self.number or _("Draf #%(pk)s") % {"pk": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("perizinan:application-detail", args=[self.pk])

    def notification_subject(self) -> tuple:
        """Kind, number and title that notifications about this file name."""
        return (
            pgettext_lazy("record kind", "Permohonan izin"),
            self.number or f"#{self.pk}",
            self.permit_type,  # named in the reader's language
        )

    def clean(self):
        if self.applicant_kind == self.ApplicantKind.BUSINESS and not (
            self.business_name and self.nib
        ):
            raise ValidationError(_("Badan usaha wajib mengisi nama usaha dan NIB."))


class ApplicationDocument(models.Model):
    class Check(models.TextChoices):
        PENDING = "pending", _("Belum diperiksa")
        OK = "ok", _("Sesuai")
        REVISE = "revise", _("Perlu diperbaiki")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(DocumentRequirement, on_delete=models.PROTECT, related_name="+")
    upload = models.ForeignKey("core.Upload", on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(
        _("pemeriksaan"), max_length=8, choices=Check.choices, default=Check.PENDING
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["requirement__order", "requirement_id"]
        verbose_name = _("dokumen permohonan")
        verbose_name_plural = pgettext_lazy("plural", "dokumen permohonan")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement"], name="perizinan_one_document_per_requirement"
            )
        ]

    def __str__(self) -> str:
        return str(self.requirement)


class Certificate(models.Model):
    """An issued permit document. A re-issue replaces the previous one (kept, marked)."""

    class State(models.TextChoices):
        VALID = "valid", _("Berlaku")
        REVOKED = "revoked", _("Dicabut")
        REPLACED = "replaced", _("Diganti")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField(_("nomor izin"), max_length=40, db_index=True)
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    token = models.CharField(max_length=43, unique=True, editable=False)
    issued_on = models.DateField(_("tanggal terbit"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    holder_name = models.CharField(_("pemegang izin"), max_length=160)
    state = models.CharField(_("keadaan"), max_length=8, choices=State.choices, default=State.VALID)
    state_note = models.CharField(_("keterangan"), max_length=300, blank=True)
    replaced_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces"
    )
    pdf = models.ForeignKey("core.Upload", on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("sertifikat izin")
        verbose_name_plural = pgettext_lazy("plural", "sertifikat izin")
        constraints = [
            models.UniqueConstraint(
                fields=["number", "version"], name="perizinan_certificate_number_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("perizinan:verify", args=[self.token])

    def public_state(self, today=None) -> str:
        """valid, expired, revoked or replaced."""
        if self.state != self.State.VALID:
            return self.state
        today = today or timezone.localdate()
        if self.valid_until and self.valid_until < today:
            return "expired"
        return "valid"


IKM_ELEMENTS = (
    ("u1", _("Persyaratan")),
    ("u2", _("Sistem, mekanisme, dan prosedur")),
    ("u3", _("Waktu penyelesaian")),
    ("u4", _("Biaya/tarif")),
    ("u5", _("Produk spesifikasi jenis pelayanan")),
    ("u6", _("Kompetensi pelaksana")),
    ("u7", _("Perilaku pelaksana")),
    ("u8", _("Penanganan pengaduan, saran dan masukan")),
    ("u9", _("Sarana dan prasarana")),
)

_SCALE = [MinValueValidator(1), MaxValueValidator(4)]


class SatisfactionSurvey(models.Model):
    """The nine elements of the community satisfaction index (PermenPANRB 14/2017), 1-4."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="survey")
    u1 = models.PositiveSmallIntegerField(validators=_SCALE)
    u2 = models.PositiveSmallIntegerField(validators=_SCALE)
    u3 = models.PositiveSmallIntegerField(validators=_SCALE)
    u4 = models.PositiveSmallIntegerField(validators=_SCALE)
    u5 = models.PositiveSmallIntegerField(validators=_SCALE)
    u6 = models.PositiveSmallIntegerField(validators=_SCALE)
    u7 = models.PositiveSmallIntegerField(validators=_SCALE)
    u8 = models.PositiveSmallIntegerField(validators=_SCALE)
    u9 = models.PositiveSmallIntegerField(validators=_SCALE)
    comment = models.TextField(_("saran"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survei kepuasan")
        verbose_name_plural = pgettext_lazy("plural", "survei kepuasan")

    def __str__(self) -> str:
        return f"IKM {self.application_id}"


NIP_RE = r"^[0-9]{18}$"


class Signatory(models.Model):
    """The official who signs certificates (the head of the permit office): the name comes
    from the account, the NIP (18 digits, BKN) and the position as printed come from here."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pejabat"),
        on_delete=models.PROTECT,
        related_name="permit_signatory",
    )
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        validators=[RegexValidator(NIP_RE, _("NIP 18 angka."))],
    )
    position = models.CharField(
        _("jabatan pada tanda tangan"),
        max_length=200,
        help_text=_("Misalnya: Kepala Dinas Penanaman Modal dan PTSP"),
    )
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        verbose_name = _("penanda tangan izin")
        verbose_name_plural = pgettext_lazy("plural", "penanda tangan izin")

    def __str__(self) -> str:
        return f"{self.user} ({self.position})"
