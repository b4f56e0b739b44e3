"""Personal data protection records (UU 27/2022): notices and consent, the access log,
the citizens' rights requests, retention runs and the breach register."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import workflows as wf

# Pasal 30, 32, 40, 41 and 46: "paling lambat 3 x 24 (tiga kali dua puluh empat) jam".
LEGAL_HOURS = 72


class PrivacyNotice(models.Model):
    """One version of the portal's privacy notice (pemberitahuan privasi, Pasal 21).

    A published version is never edited: a change is a new version, and where consent is
    the basis the citizens are asked again.
    """

    version = models.PositiveIntegerField(_("versi"), unique=True)
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"))
    summary_of_changes = models.TextField(_("ringkasan perubahan"), blank=True)
    requires_consent = models.BooleanField(
        _("memerlukan persetujuan"),
        default=True,
        help_text=_("Bila ya, warga diminta menyetujui versi ini saat masuk."),
    )
    published_at = models.DateTimeField(_("diterbitkan"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("pemberitahuan privasi")
        verbose_name_plural = pgettext_lazy("plural", "pemberitahuan privasi")
        permissions = [("act_as_dpo", _("Bertindak sebagai Pejabat Pelindungan Data Pribadi"))]

    def __str__(self) -> str:
        return f"v{self.version} {self.title}"


class Consent(models.Model):
    """What a citizen agreed to and when: one row per notice version (Pasal 22, 24)."""

    class Source(models.TextChoices):
        REGISTRATION = "registration", _("Pendaftaran akun")
        PROMPT = "prompt", _("Diminta saat masuk (versi baru)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="privacy_consents"
    )
    notice = models.ForeignKey(PrivacyNotice, on_delete=models.PROTECT, related_name="consents")
    source = models.CharField(_("cara"), max_length=20, choices=Source.choices)
    accepted_at = models.DateTimeField(_("disetujui"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("ditarik"), null=True, blank=True)

    class Meta:
        ordering = ["-accepted_at", "-pk"]
        verbose_name = _("persetujuan")
        verbose_name_plural = pgettext_lazy("plural", "persetujuan")
        constraints = [
            models.UniqueConstraint(fields=["user", "notice"], name="privacy_consent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} v{self.notice.version}"


class AccessLog(models.Model):
    """Who in the government looked at, or exported, whose personal data, and why.

    Append-only: the admin offers no change or delete, and a PostgreSQL trigger refuses
    UPDATE and DELETE except for the retention job's purge of expired rows.
    """

    class Kind(models.TextChoices):
        NIK = "nik", _("NIK lengkap dibuka")
        QUEUE = "queue", _("Data antrean pasien dilihat petugas")
        REPORTER = "reporter", _("Identitas pelapor rahasia dilihat")
        EXPORT = "export", _("Ekspor berisi data pribadi")

    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dilihat oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The person whose data it was (the account holder; a dependant's guardian); no FK:
    # an erased account keeps its log (the log proves lawful access, Pasal 31).
    subject_id = models.BigIntegerField(_("subjek data"), null=True, blank=True, db_index=True)
    dependant_id = models.BigIntegerField(null=True, blank=True)
    record = models.CharField(_("data"), max_length=120)  # e.g. "dokter.booking:AB12CD"
    reason = models.CharField(_("alasan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("log akses data pribadi")
        verbose_name_plural = pgettext_lazy("plural", "log akses data pribadi")
        indexes = [models.Index(fields=["subject_id", "-created_at"], name="accesslog_subject")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.record}"


class RightsRequest(models.Model):
    """A citizen's correction (Pasal 6) or erasure (Pasal 8) request, handled by the DPO
    through the workflow engine."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Perbaikan data")
        ERASURE = "erasure", _("Penghapusan data")

    class Refusal(models.TextChoices):
        NONE = "", "-"
        LEGAL_RETENTION = (
            "legal_retention",
            _(
                "Data wajib disimpan pengendali berdasarkan peraturan perundang-undangan "
                "(Pasal 15 dan Pasal 43 UU 27/2022)"
            ),
        )
        PUBLIC_TASK = (
            "public_task",
            _("Data diperlukan untuk penyelenggaraan pelayanan publik yang sedang berjalan"),
        )
        OTHERS_DATA = "others_data", _("Permintaan menyangkut data pribadi orang lain (Pasal 33)")
        UNVERIFIED = "unverified", _("Kebenaran data pengganti tidak dapat dipastikan")

    reference = models.CharField(_("nomor"), max_length=20, unique=True, null=True)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="privacy_requests"
    )
    dependant_id = models.BigIntegerField(null=True, blank=True)
    about = models.CharField(_("data yang dimaksud"), max_length=200)
    details = models.TextField(_("uraian"), max_length=2000)
    Status = wf.RIGHTS_REQUEST.text_choices("Status")

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    received_at = models.DateTimeField(_("diterima"), default=timezone.now)
    due_at = models.DateTimeField(_("batas waktu (3 x 24 jam)"), null=True, blank=True)
    sla_due = models.DateField(_("batas waktu SLA"), null=True, blank=True)
    answer = models.TextField(_("jawaban"), blank=True)
    refusal = models.CharField(
        _("alasan penolakan"), max_length=20, choices=Refusal.choices, blank=True
    )
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("permintaan hak subjek data")
        verbose_name_plural = pgettext_lazy("plural", "permintaan hak subjek data")

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("privacy:request-detail", args=[self.reference])


class RetentionRun(models.Model):
    """What one run of the retention job did, per category: the report the DPO reads."""

    ran_at = models.DateTimeField(_("waktu"), default=timezone.now)
    report = models.JSONField(_("laporan"), default=dict)  # "app.key" -> records handled
    total = models.PositiveIntegerField(_("jumlah"), default=0)

    class Meta:
        ordering = ["-ran_at", "-pk"]
        verbose_name = _("jalannya retensi")
        verbose_name_plural = pgettext_lazy("plural", "jalannya retensi")

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} ({self.total})"


class Incident(models.Model):
    """A personal data breach (kegagalan Pelindungan Data Pribadi, Pasal 46): the people
    affected and the authority must be told in writing within 3 x 24 hours."""

    reference = models.CharField(_("nomor"), max_length=20, unique=True, null=True)
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("kronologi"))
    data_disclosed = models.TextField(_("data pribadi yang terungkap"))
    handling = models.TextField(_("upaya penanganan dan pemulihan"), blank=True)
    discovered_at = models.DateTimeField(_("diketahui"))
    Status = wf.INCIDENT.text_choices("Status")

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    # The access log window the affected people are found from.
    suspect_viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun yang disalahgunakan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window_start = models.DateTimeField(_("awal rentang"), null=True, blank=True)
    window_end = models.DateTimeField(_("akhir rentang"), null=True, blank=True)
    affected = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("subjek terdampak"), blank=True, related_name="+"
    )
    notice_title = models.CharField(_("judul pemberitahuan"), max_length=200, blank=True)
    notice_body = models.TextField(_("isi pemberitahuan"), blank=True)
    notified_at = models.DateTimeField(_("diberitahukan"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-discovered_at", "-pk"]
        verbose_name = _("insiden data pribadi")
        verbose_name_plural = pgettext_lazy("plural", "insiden data pribadi")

    def __str__(self) -> str:
        return self.reference or self.title

    def get_absolute_url(self) -> str:
        return reverse("privacy:incident-detail", args=[self.pk])

    @property
    def deadline(self) -> datetime.datetime:
        return self.discovered_at + datetime.timedelta(hours=LEGAL_HOURS)

    def hours_left(self, now: datetime.datetime | None = None) -> float:
        now = now or timezone.now()
        return round((self.deadline - now).total_seconds() / 3600, 1)
