import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Region(models.Model):
    """An administrative region with its Kemendagri code (e.g. 12.75.01.1001)."""

    class Level(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")
        DESA = "desa", _("Desa")
        DESA_ADAT = "desa_adat", _("Desa adat")

    VILLAGE_LEVELS = (Level.KELURAHAN, Level.DESA, Level.DESA_ADAT)

    code = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = pgettext_lazy("plural", "wilayah")

    def __str__(self) -> str:
        return self.name

    @property
    def is_village(self) -> bool:
        return self.level in self.VILLAGE_LEVELS


class StatusChange(models.Model):
    """One step of a declared workflow: who moved which record from what to what, and why."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    workflow = models.CharField(_("alur"), max_length=60)
    action = models.CharField(_("tindakan"), max_length=60)
    from_state = models.CharField(_("dari status"), max_length=40, blank=True)
    to_state = models.CharField(_("ke status"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("riwayat status")
        verbose_name_plural = pgettext_lazy("plural", "riwayat status")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.workflow}: {self.from_state} -> {self.to_state}"


class Closure(models.Model):
    """A local non-working day (cuti bersama, a regional holiday) set by an administrator."""

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("keterangan"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur lokal")
        verbose_name_plural = _("hari libur lokal (cuti bersama)")

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.name}"


class Notification(models.Model):
    """An in-app message; e-mail and SMS copies are its deliveries."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    # The message as its Indonesian source text and values (core.notifications.Text), so
    # that each reader gets it in their language; `title`/`body` keep the Indonesian text.
    title_text = models.JSONField(_("judul (kunci pesan)"), null=True, blank=True)
    body_text = models.JSONField(_("isi (kunci pesan)"), null=True, blank=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notifikasi")
        verbose_name_plural = pgettext_lazy("plural", "notifikasi")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title

    def title_in(self, language: str | None = None) -> str:
        from .notifications import Text

        return Text.render_stored(self.title_text, language, fallback=self.title)

    def body_in(self, language: str | None = None) -> str:
        from .notifications import Text

        return Text.render_stored(self.body_text, language, fallback=self.body)

    @property
    def display_title(self) -> str:
        """The title in the active language (the reader's, on their own inbox page)."""
        return self.title_in()

    @property
    def display_body(self) -> str:
        return self.body_in()


class Delivery(models.Model):
    """One outgoing e-mail or SMS: a channel's copy of a notification, or a direct message.

    Written in the same transaction as the change that causes it (the outbox); a Celery
    task sends it after commit, and the worker's startup sweep and the periodic task pick
    up whatever is still pending, so a broker outage delays messages but loses none.

    A sender first *claims* the row for a while (`claimed_until`, `claim_token`, set in a
    short transaction) and then talks to SMTP or the gateway with no transaction open; a
    crashed sender's claim simply runs out. Every attempt carries the same
    `idempotency_key` (SMS `reference` and `Idempotency-Key`, e-mail `Message-ID`), so the
    gateway drops a retry of a message it already has.

    A direct message (no notification: a password reset e-mail, a phone verification code)
    carries its own subject and body; when it holds a secret the body is erased as soon as
    the delivery is settled (sent, skipped or failed).
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS/WhatsApp")

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")
        SKIPPED = "skipped", _("Tidak dikirim")

    class SkipReason(models.TextChoices):
        UNVERIFIED = "unverified", _("Nomor HP belum terverifikasi")
        BUDGET_ADDRESS = "budget_address", _("Batas pesan ke alamat/nomor ini tercapai")
        BUDGET_ACCOUNT = "budget_account", _("Batas pesan akun ini tercapai")
        BUDGET_CLIENT = "budget_client", _("Batas pesan dari alamat IP ini tercapai")
        BUDGET_UNAVAILABLE = "budget_unavailable", _("Penghitung batas tidak tersedia")

    class Purpose(models.TextChoices):
        NOTIFICATION = "notification", _("Notifikasi")
        PHONE_VERIFICATION = "phone_verification", _("Kode verifikasi nomor HP")
        PASSWORD_RESET = "password_reset", _("Atur ulang kata sandi")

    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.NOTIFICATION)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    address = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    secret = models.BooleanField(default=False, help_text="body erased once settled")
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    skip_reason = models.CharField(max_length=20, choices=SkipReason.choices, blank=True)
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # After a failure, the periodic sweep leaves the delivery alone until then, so an
    # SMTP or gateway outage backs off instead of burning every attempt in minutes.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pengiriman")
        verbose_name_plural = pgettext_lazy("plural", "pengiriman")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="core_delivery_one_per_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk} {self.status}"


def _upload_path(instance, filename: str) -> str:
    now = timezone.now()
    return f"{now:%Y/%m}/{instance.token}{Path(filename).suffix.lower()}"


class Upload(models.Model):
    """A validated file stored outside the web root, served only through a checked view."""

    token = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(upload_to=_upload_path, max_length=200)
    purpose = models.CharField(
        _("keperluan"),
        max_length=60,
        help_text=_("Siapa boleh melihat ditentukan oleh kebijakan keperluan ini."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploads",
    )
    original_name = models.CharField(_("nama berkas"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("unggahan")
        verbose_name_plural = pgettext_lazy("plural", "unggahan")

    def __str__(self) -> str:
        return self.original_name


class Urusan(models.Model):
    """Government affairs (urusan) and their fields (bidang), Permendagri 90/2019.

    Shared reference data: e-Musrenbang categorises proposals by bidang, e-Budgeting
    hangs programs under them.
    """

    class Level(models.TextChoices):
        URUSAN = "urusan", _("Urusan")
        BIDANG = "bidang", _("Bidang")

    code = models.CharField(_("kode"), max_length=10, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    level = models.CharField(_("tingkat"), max_length=8, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("urusan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("urusan/bidang")
        verbose_name_plural = pgettext_lazy("plural", "urusan/bidang")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OutboxMessage(models.Model):
    """One outbound call to an outside system (BPJS antreanrest, SATUSEHAT, ...).

    The same outbox as `Delivery`, for integration calls: written in the caller's
    transaction, sent by Celery after commit by the handler registered for `kind`
    (`binjai_portal.core.outbox`), under a lease (`claimed_until`, `claim_token`) with no
    transaction open while the outside system is called, retried with backoff. A
    `dedupe_key` (unique) makes writing the same call twice a no-op; messages with the
    same `ordering_key` are sent one after the other in the order they were written
    (BPJS refuses a task time for a booking it has not been told about yet).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    system = models.CharField(_("sistem"), max_length=30, db_index=True)
    kind = models.CharField(_("jenis"), max_length=60)
    scope = models.CharField(
        _("lingkup"), max_length=60, db_index=True, help_text="e.g. dokter.facility:12"
    )
    ordering_key = models.CharField(max_length=120, blank=True, db_index=True)
    dedupe_key = models.CharField(max_length=160, null=True, blank=True, unique=True)
    payload = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    result = models.JSONField(_("hasil"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pesan keluar integrasi")
        verbose_name_plural = pgettext_lazy("plural", "pesan keluar integrasi")
        indexes = [models.Index(fields=["scope", "system", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.status}"


class Sequence(models.Model):
    """The last number taken of one numbering (`key`), per year or once (`year` 0).

    Taken by `core.sequences.sequence_next` with one INSERT ... ON CONFLICT DO UPDATE
    ... RETURNING: the row stays locked until the taker's transaction ends, so numbers
    are handed out in turn, never twice, and a rolled-back taker leaves no gap.
    """

    key = models.CharField(_("kunci"), max_length=60)
    year = models.PositiveSmallIntegerField(_("tahun"), default=0)
    last = models.PositiveIntegerField(_("nomor terakhir"), default=0)

    class Meta:
        verbose_name = _("penomoran")
        verbose_name_plural = pgettext_lazy("plural", "penomoran")
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="core_sequence_key")]

    def __str__(self) -> str:
        return f"{self.key}/{self.year}: {self.last}"


class NotifiedOnce(models.Model):
    """A message that must go out once (a reminder, an escalation, an alert) was sent.

    `core.once.once(key)` claims the key in the sender's transaction: a second run, or a
    second worker at the same moment, finds it taken and sends nothing.
    """

    key = models.CharField(_("kunci"), max_length=255, primary_key=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        verbose_name = _("pemberitahuan sekali")
        verbose_name_plural = pgettext_lazy("plural", "pemberitahuan sekali")

    def __str__(self) -> str:
        return self.key
