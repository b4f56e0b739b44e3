"""e-Dokter: facilities, clinic units (poli), schedules and the numbered queue.

The queue entry (`Booking`) mirrors the BPJS online-queue ("antrean online") fields:
kodebooking (`code`), nomorantrean (`queue_number`), angkaantrean (`number`),
estimasidilayani (`estimated_at`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from binjai_portal.accounts import roles

from . import workflows as wf


class Facility(models.Model):
    """A health facility (puskesmas or hospital): the e-Dokter face of a faskes Unit."""

    class Kind(models.TextChoices):
        PUSKESMAS = "puskesmas", _("Puskesmas")
        HOSPITAL = "rumah_sakit", _("Rumah sakit")

    unit = models.OneToOneField(
        "accounts.Unit",
        verbose_name=_("unit kerja"),
        on_delete=models.PROTECT,
        related_name="facility",
        limit_choices_to={"kind": roles.FASKES},
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    kelurahan = models.ForeignKey(
        "core.Region",
        verbose_name=_("kelurahan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    opening_hours = models.CharField(
        _("jam buka"),
        max_length=200,
        blank=True,
        help_text=_("Misalnya: Senin–Kamis 08.00–14.00, Jumat 08.00–11.00."),
    )
    cutoff_minutes = models.PositiveIntegerField(
        _("batas pemesanan (menit sebelum sesi berakhir)"),
        default=60,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_(
            "Pemesanan daring untuk suatu sesi ditutup sekian menit sebelum sesi berakhir."
        ),
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
    is_demo = models.BooleanField(
        _("data demo"),
        default=False,
        help_text=_("Ditandai bila data fasilitas ini belum dari sumber resmi."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "unit__name"]
        verbose_name = _("fasilitas kesehatan")
        verbose_name_plural = pgettext_lazy("plural", "fasilitas kesehatan")

    def __str__(self) -> str:
        return self.unit.name

    def get_absolute_url(self) -> str:
        return reverse("dokter:facility-detail", args=[self.unit.code])

    @property
    def code(self) -> str:
        return self.unit.code

    @property
    def name(self) -> str:
        return self.unit.name


class Poli(models.Model):
    """A clinic unit of a facility with its own queue letter."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("fasilitas"), on_delete=models.CASCADE, related_name="polis"
    )
    name = models.CharField(_("nama"), max_length=80)
    code = models.SlugField(_("kode"), max_length=30)
    letter = models.CharField(
        _("huruf antrean"),
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{1,2}$", _("Isi 1–2 huruf kapital, misalnya A."))],
    )
    avg_service_minutes = models.PositiveIntegerField(
        _("rata-rata menit pelayanan"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    bookable_online = models.BooleanField(
        _("bisa dipesan daring"),
        default=True,
        help_text=_("Matikan untuk unit rujukan internal seperti laboratorium atau apotek."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    # name_ind/name_en are added by django-modeltranslation (translation.py) after the
    # history model is built: the history keeps `name`, the Indonesian name of record.
    history = HistoricalRecords(excluded_fields=["name_ind", "name_en"])

    class Meta:
        ordering = ["facility", "letter"]
        verbose_name = _("poli")
        verbose_name_plural = pgettext_lazy("plural", "poli")
        constraints = [
            models.UniqueConstraint(fields=["facility", "code"], name="dokter_poli_code_unique"),
            models.UniqueConstraint(
                fields=["facility", "letter"],
                name="dokter_poli_letter_unique",
                violation_error_message=_("Huruf antrean ini sudah dipakai poli lain."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Practitioner(models.Model):
    facility = models.ForeignKey(
        Facility,
        verbose_name=_("fasilitas"),
        on_delete=models.CASCADE,
        related_name="practitioners",
    )
    name = models.CharField(_("nama"), max_length=120)
    specialty = models.CharField(_("keahlian"), max_length=80, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tenaga kesehatan")
        verbose_name_plural = pgettext_lazy("plural", "tenaga kesehatan")

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Senin")
    TUESDAY = 1, _("Selasa")
    WEDNESDAY = 2, _("Rabu")
    THURSDAY = 3, _("Kamis")
    FRIDAY = 4, _("Jumat")
    SATURDAY = 5, _("Sabtu")
    SUNDAY = 6, _("Minggu")


class Schedule(models.Model):
    """A weekly session of a poli: the day, the hours, who serves, and the quotas."""

    poli = models.ForeignKey(
        Poli, verbose_name=_("poli"), on_delete=models.CASCADE, related_name="schedules"
    )
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    start = models.TimeField(_("mulai"))
    end = models.TimeField(_("selesai"))
    practitioner = models.ForeignKey(
        Practitioner,
        verbose_name=_("tenaga kesehatan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="schedules",
    )
    online_quota = models.PositiveIntegerField(_("kuota daring"), default=20)
    onsite_quota = models.PositiveIntegerField(_("kuota di tempat"), default=20)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["poli", "weekday", "start"]
        verbose_name = _("jadwal")
        verbose_name_plural = pgettext_lazy("plural", "jadwal")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="dokter_schedule_end_after_start",
                violation_error_message=_("Jam selesai harus setelah jam mulai."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.poli} {self.get_weekday_display()} {self.start:%H.%M}–{self.end:%H.%M}"

    @property
    def label(self) -> str:
        return f"{self.start:%H.%M}–{self.end:%H.%M}"


class FacilityClosure(models.Model):
    """An ad-hoc closure of a facility or one poli (national holidays come from core)."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("fasilitas"), on_delete=models.CASCADE, related_name="closures"
    )
    poli = models.ForeignKey(
        Poli,
        verbose_name=_("poli"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        help_text=_("Kosongkan bila seluruh fasilitas tutup."),
    )
    date = models.DateField(_("tanggal"))
    reason = models.CharField(_("alasan"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("penutupan layanan")
        verbose_name_plural = pgettext_lazy("plural", "penutupan layanan")

    def __str__(self) -> str:
        return f"{self.facility} {self.date}: {self.reason}"


class QueueCounter(models.Model):
    """The per poli per day counter row. A number is taken with one
    `UPDATE ... SET last_number = last_number + 1 RETURNING last_number`, and the
    queue's other moves lock it (SELECT ... FOR UPDATE) first, so concurrent bookings
    and clerks can neither share a number nor move the same queue at once."""

    poli = models.ForeignKey(Poli, on_delete=models.CASCADE, related_name="counters")
    date = models.DateField()
    last_number = models.PositiveIntegerField(default=0)
    # The entry called last (call or recall), set under this row's lock: the console's
    # "terakhir dipanggil", the ticket and the TV all read it, so they agree.
    last_called = models.ForeignKey(
        "Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poli", "date"], name="dokter_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.poli} {self.date}: {self.last_number}"


class QuotaCounter(models.Model):
    """Places taken against one session's quotas on one day: entries of that session and
    channel that are not cancelled (a cancellation gives the place back; its number is
    not reused). Moved by a conditional `UPDATE ... WHERE online_taken < quota` while
    the poli's QueueCounter row is locked, so the quota is never overrun, and readable
    without any lock, so a full session is refused before anyone waits for the lock."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="counters")
    date = models.DateField()
    online_taken = models.PositiveIntegerField(default=0)
    onsite_taken = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "date"], name="dokter_quota_counter_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} {self.date}: {self.online_taken}/{self.onsite_taken}"


class Booking(models.Model):
    """One queue entry: an online booking, an on-site registration or a transfer in."""

    Status = wf.BOOKING.text_choices("Status")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Daring")
        ONSITE = "onsite", _("Di tempat")
        TRANSFER = "transfer", _("Rujukan internal")

    class Payment(models.TextChoices):
        BPJS = "bpjs", _("BPJS Kesehatan (JKN)")
        GENERAL = "umum", _("Umum (bayar sendiri)")

    class Source(models.TextChoices):
        """Which door the patient came in by (one queue whichever it was)."""

        PORTAL = "portal", _("Portal")
        MOBILE_JKN = "mobile_jkn", _("Mobile JKN")
        COUNTER = "counter", _("Loket")
        KIOSK = "kiosk", _("Anjungan mandiri")

    class Priority(models.TextChoices):
        NONE = "", _("Tidak ada")
        ELDERLY = "lansia", _("Lanjut usia")
        DISABLED = "disabilitas", _("Penyandang disabilitas")
        PREGNANT = "hamil", _("Ibu hamil")
        EMERGENCY = "darurat", _("Kondisi darurat")

    ACTIVE = (Status.BOOKED, Status.CHECKED_IN, Status.CALLED, Status.SERVING)
    WAITING = (Status.BOOKED, Status.CHECKED_IN)

    code = models.CharField(_("kode booking"), max_length=12, unique=True)
    facility = models.ForeignKey(
        Facility, verbose_name=_("fasilitas"), on_delete=models.PROTECT, related_name="bookings"
    )
    poli = models.ForeignKey(
        Poli, verbose_name=_("poli"), on_delete=models.PROTECT, related_name="bookings"
    )
    schedule = models.ForeignKey(
        Schedule,
        verbose_name=_("sesi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    date = models.DateField(_("tanggal"))
    number = models.PositiveIntegerField(_("angka antrean"))
    letter = models.CharField(_("huruf antrean"), max_length=2)
    channel = models.CharField(_("cara daftar"), max_length=10, choices=Channel.choices)
    source = models.CharField(
        _("saluran"), max_length=10, choices=Source.choices, default=Source.PORTAL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.BOOKED
    )
    # Who the patient is: an account holder or one of their dependants, or, on site,
    # just a name. patient_key identifies the person for the one-per-day rule.
    patient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pasien (akun)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dokter_visits",
    )
    patient_dependant = models.ForeignKey(
        "accounts.Dependant",
        verbose_name=_("pasien (anggota keluarga)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dokter_visits",
    )
    patient_name = models.CharField(_("nama pasien"), max_length=150)
    patient_key = models.CharField(max_length=20, null=True, blank=True, editable=False)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dipesan oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dokter_bookings",
    )
    payment = models.CharField(_("pembayaran"), max_length=6, choices=Payment.choices)
    bpjs_number = models.CharField(
        _("nomor kartu BPJS"),
        max_length=13,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{13}$", _("Nomor kartu BPJS terdiri dari 13 angka."))],
    )
    complaint = models.TextField(_("keluhan"), max_length=1000, blank=True)
    priority = models.CharField(
        _("prioritas"), max_length=12, choices=Priority.choices, blank=True, default=""
    )
    priority_note = models.CharField(_("alasan prioritas"), max_length=200, blank=True)
    estimated_at = models.DateTimeField(_("perkiraan dilayani"))
    transferred_from = models.ForeignKey(
        "self",
        verbose_name=_("dirujuk dari"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    called_at = models.DateTimeField(null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(default=0)
    service_started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The reminder the day before and the "your turn is near" message are sent once per
    # entry by core `once` keys (dokter.services.common._once_key), not by flags here.

    class Meta:
        ordering = ["date", "poli", "number"]
        verbose_name = _("antrean")
        verbose_name_plural = pgettext_lazy("plural", "antrean")
        constraints = [
            models.UniqueConstraint(
                fields=["poli", "date", "number"], name="dokter_booking_number_unique"
            ),
            models.UniqueConstraint(
                fields=["patient_key", "poli", "date"],
                condition=Q(status__in=["booked", "checked_in", "called", "serving"]),
                name="dokter_booking_one_active_per_patient",
                violation_error_message=_(
                    "Pasien ini sudah punya antrean aktif di poli ini pada tanggal itu."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["poli", "date", "status"]),
            # the command center's periods over every facility
            models.Index(fields=["date", "status"], name="booking_date_status"),
        ]

    def __str__(self) -> str:
        return f"{self.queue_number} {self.date}"

    def get_absolute_url(self) -> str:
        return reverse("dokter:ticket", args=[self.code])

    @property
    def queue_number(self) -> str:
        return f"{self.letter}-{self.number}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def estimated_epoch_ms(self) -> int:
        return int(self.estimated_at.timestamp() * 1000)

    def session_bounds(self) -> tuple[datetime.time, datetime.time] | None:
        if self.schedule_id is None:
            return None
        return self.schedule.start, self.schedule.end


class ApiToken(models.Model):
    """A bearer token for a facility's kiosk or a partner system, issued in the admin.

    Only a SHA-256 digest of the token is stored (the token is 256 random bits, so a
    fast digest is enough); the token itself is shown once, when it is issued. A token
    acts as its owner, a clerk of the facility, and only ever for that facility.
    """

    name = models.CharField(
        _("nama"), max_length=100, help_text=_("Misalnya: Anjungan mandiri lobi.")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pemilik"),
        on_delete=models.PROTECT,
        related_name="dokter_api_tokens",
    )
    facility = models.ForeignKey(
        Facility,
        verbose_name=_("fasilitas"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    prefix = models.CharField(_("awalan"), max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(
        _("terakhir dipakai"), null=True, blank=True, editable=False
    )
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token API")
        verbose_name_plural = pgettext_lazy("plural", "token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class VisitRating(models.Model):
    """The patient's rating of a finished visit (as Mobile JKN asks): once per entry."""

    booking = models.OneToOneField(
        Booking, verbose_name=_("antrean"), on_delete=models.CASCADE, related_name="rating"
    )
    stars = models.PositiveSmallIntegerField(
        _("nilai"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("komentar"), max_length=500, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dinilai oleh"),
        on_delete=models.PROTECT,
        related_name="dokter_ratings",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("penilaian layanan")
        verbose_name_plural = pgettext_lazy("plural", "penilaian layanan")
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="dokter_rating_stars_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking} {self.stars}"


# The BPJS and SATUSEHAT packages keep their models next to their code.
from .bpjs.models import BpjsConfig, BpjsDoctor, BpjsPoli, JknPatient, JknVisit  # noqa: E402
from .satusehat.models import SatusehatConfig, SatusehatId  # noqa: E402

__all__ = [
    "ApiToken",
    "Booking",
    "BpjsConfig",
    "BpjsDoctor",
    "BpjsPoli",
    "Facility",
    "FacilityClosure",
    "JknPatient",
    "JknVisit",
    "Poli",
    "Practitioner",
    "QueueCounter",
    "QuotaCounter",
    "SatusehatConfig",
    "SatusehatId",
    "Schedule",
    "VisitRating",
]
