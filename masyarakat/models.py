"""e-Masyarakat: citizen complaints (pengaduan) routed to the responsible agency (OPD)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from binjai_portal.accounts import roles
from binjai_portal.core.labels import choice_label

from . import workflows as wf


class Category(models.Model):
    """A kind of complaint; an Open311 "service"."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    description = models.TextField(_("uraian"), blank=True)
    agency = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("OPD penanggung jawab"),
        on_delete=models.PROTECT,
        related_name="complaint_categories",
        limit_choices_to={"kind": roles.OPD},
    )
    sla_days = models.PositiveSmallIntegerField(
        _("SLA (hari kerja)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    location_required = models.BooleanField(_("lokasi wajib"), default=True)
    keywords = models.CharField(_("kata kunci"), max_length=200, blank=True)
    group = models.CharField(_("kelompok"), max_length=60, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kategori pengaduan")
        verbose_name_plural = pgettext_lazy("plural", "kategori pengaduan")

    def __str__(self) -> str:
        return self.name


class CategoryAttribute(models.Model):
    """An extra question of a category (Open311 service definition attribute)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Teks pendek")
        NUMBER = "number", _("Angka")
        TEXT = "text", _("Teks panjang")
        SINGLEVALUELIST = "singlevaluelist", _("Pilihan tunggal")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(_("kode"), max_length=40)
    description = models.CharField(_("pertanyaan"), max_length=200)
    datatype = models.CharField(
        _("jenis"), max_length=20, choices=Datatype.choices, default=Datatype.STRING
    )
    required = models.BooleanField(_("wajib"), default=False)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    values = models.JSONField(
        _("pilihan"),
        default=list,
        blank=True,
        help_text=_('Untuk pilihan tunggal: [{"key": "a", "name": "A"}, ...]'),
    )

    class Meta:
        ordering = ["category", "order", "pk"]
        verbose_name = _("atribut kategori")
        verbose_name_plural = pgettext_lazy("plural", "atribut kategori")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="mas_attr_code_unique")
        ]

    def __str__(self) -> str:
        return self.code


class Ticket(models.Model):
    Status = wf.TICKET.text_choices("Status")

    OPEN_STATES = ("submitted", "verified", "assigned", "in_progress", "need_info")
    WORKING_STATES = ("assigned", "in_progress")  # the agency's SLA clock runs
    CLOSED_STATES = ("rejected", "merged", "resolved", "closed")
    # Not on public pages: not yet moderated, or refused by the moderator.
    HIDDEN_STATES = ("submitted", "rejected")

    number = models.CharField(_("nomor tiket"), max_length=20, unique=True)
    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.PROTECT, related_name="tickets"
    )
    title = models.CharField(_("judul"), max_length=150)
    description = models.TextField(_("uraian"))
    kelurahan = models.ForeignKey(
        "core.Region",
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    address = models.CharField(_("alamat/lokasi"), max_length=255, blank=True)
    lat = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    lng = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    photos = models.ManyToManyField(
        "core.Upload", verbose_name=_("foto"), blank=True, related_name="+"
    )
    attributes = models.JSONField(_("isian tambahan"), default=dict, blank=True)
    # None: an anonymous report (SP4N-LAPOR!, FixMyStreet), made without an account and
    # followed by its number and secret. It carries no identity at all; that is not the
    # same as `confidential`, which hides a report (and its known reporter) from the public.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelapor"),
        on_delete=models.PROTECT,
        related_name="complaints",
        null=True,
        blank=True,
    )
    follow_secret_hash = models.CharField(
        _("sandi pantau (hash)"), max_length=128, blank=True, editable=False
    )
    show_name = models.BooleanField(_("tampilkan nama saya"), default=False)
    confidential = models.BooleanField(_("rahasia"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    agency = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("OPD"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("digabung ke"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_tickets",
    )
    sla_due = models.DateField(_("batas waktu SLA"), null=True, blank=True, db_index=True)
    sla_paused_on = models.DateField(_("SLA dijeda sejak"), null=True, blank=True)
    status_notes = models.TextField(_("tanggapan resmi terakhir"), blank=True)
    resolution = models.TextField(_("tanggapan penyelesaian"), blank=True)
    resolution_photo = models.ForeignKey(
        "core.Upload",
        verbose_name=_("foto penyelesaian"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("waktu selesai"), null=True, blank=True)
    resolved_on_time = models.BooleanField(_("selesai tepat waktu"), null=True, blank=True)
    resolution_days = models.PositiveSmallIntegerField(
        _("lama penanganan (hari kerja)"), null=True, blank=True
    )
    assigned_on = models.DateField(_("tanggal diteruskan"), null=True, blank=True)
    closed_at = models.DateTimeField(_("waktu ditutup"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("penilaian"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.TextField(_("komentar penilaian"), blank=True)
    me_too_count = models.PositiveIntegerField(_("jumlah 'saya juga'"), default=0)
    api_token = models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("waktu lapor"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("diperbarui"), default=timezone.now)
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pengaduan")
        verbose_name_plural = pgettext_lazy("plural", "pengaduan")
        # Partial indexes for the states each list and figure asks for (issue 9: the same
        # cost at 10 rows and at a million), literal tuples as Meta cannot see the class.
        constraints = [
            # An anonymous report has no reporter to name or to show.
            models.CheckConstraint(
                condition=Q(reporter__isnull=False) | Q(show_name=False),
                name="mas_ticket_anonymous_shows_no_name",
            ),
        ]
        indexes = [
            models.Index(fields=["confidential", "status", "created_at"]),
            models.Index(
                fields=["-created_at", "-id"],
                name="ticket_public_feed",
                condition=Q(confidential=False) & ~Q(status__in=("submitted", "rejected")),
            ),
            models.Index(
                fields=["created_at"],
                name="ticket_open_created",
                condition=Q(
                    status__in=("submitted", "verified", "assigned", "in_progress", "need_info")
                ),
            ),
            models.Index(
                fields=["sla_due"],
                name="ticket_working_due",
                condition=Q(status__in=("assigned", "in_progress")),
            ),
            # covering (INCLUDE): a year of figures is an index-only scan, not 400k heap reads
            models.Index(
                fields=["resolved_at"],
                name="ticket_resolved_at",
                include=["id", "resolved_on_time", "resolution_days"],
                condition=Q(resolved_at__isnull=False),
            ),
            models.Index(
                fields=["closed_at"],
                name="ticket_rated_closed_at",
                include=["id", "rating"],
                condition=Q(rating__isnull=False),
            ),
            models.Index(
                fields=["created_at"],
                name="ticket_created_cover",
                include=["id", "category", "kelurahan", "status", "confidential"],
            ),
            models.Index(fields=["status", "-created_at", "-id"], name="ticket_status_created"),
            models.Index(fields=["agency", "-created_at", "-id"], name="ticket_agency_created"),
            models.Index(fields=["reporter", "-created_at", "-id"], name="ticket_reporter_created"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("masyarakat:ticket-detail", args=[self.number])

    def notification_subject(self) -> tuple:
        """Kind, number and title that notifications about this record name."""
        return pgettext_lazy("record kind", "Pengaduan"), self.number, self.title

    @property
    def is_public(self) -> bool:
        return not self.confidential and self.status not in self.HIDDEN_STATES

    @property
    def status_label(self) -> str:
        """get_status_display() from a label map built once per language (core.labels)."""
        return choice_label(Ticket.Status, self.status)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES

    @property
    def is_anonymous(self) -> bool:
        return self.reporter_id is None

    @property
    def overdue_days(self) -> int:
        """Calendar days past the SLA deadline while the agency works on it; 0 if not."""
        if not self.sla_due or self.status not in self.WORKING_STATES:
            return 0
        return max(0, (timezone.localdate() - self.sla_due).days)


class MeToo(models.Model):
    """'Saya juga mengalami': one per ticket and citizen."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="me_toos")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dukungan 'saya juga'")
        verbose_name_plural = pgettext_lazy("plural", "dukungan 'saya juga'")
        constraints = [models.UniqueConstraint(fields=["ticket", "user"], name="mas_metoo_once")]

    def __str__(self) -> str:
        return f"{self.ticket_id}/{self.user_id}"


class Message(models.Model):
    """The thread between the reporter and the handlers (not public)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    # None: the reporter of an anonymous report, who has no account (core.workflow.Holder).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    from_reporter = models.BooleanField(default=False)
    body = models.TextField(_("pesan"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("pesan")
        verbose_name_plural = pgettext_lazy("plural", "pesan")

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.body[:30]}"


class ApiKey(models.Model):
    """An Open311 API key, issued in the admin to a client application.

    Only the SHA-256 digest of the key is stored (the key is 256 random bits, so a fast
    digest is enough), as for e-Dokter's staff tokens: a copy of the database gives no
    usable key. The key itself is shown once, when it is issued.
    """

    prefix = models.CharField(_("awalan"), max_length=8, editable=False, default="")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    name = models.CharField(_("aplikasi"), max_length=120)
    contact_email = models.EmailField(_("e-mail kontak"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kunci API Open311")
        verbose_name_plural = pgettext_lazy("plural", "kunci API Open311")

    def __str__(self) -> str:
        return self.name
