"""Command center data: targets set by an administrator, daily snapshots, alerts."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binjai_portal.core import kpi

from . import workflows as wf


class Target(models.Model):
    """The value a key figure should reach; its direction comes from the figure's `better`."""

    app = models.CharField(_("layanan"), max_length=40)
    key = models.CharField(_("indikator"), max_length=60)
    target = models.DecimalField(_("target"), max_digits=20, decimal_places=4)
    note = models.CharField(_("dasar penetapan"), max_length=200, blank=True)
    alert_when_missed = models.BooleanField(
        _("peringatan bila tidak tercapai"),
        default=True,
        help_text=_("Tugas berkala menaikkan peringatan sekali per pekan bila target meleset."),
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("target indikator")
        verbose_name_plural = _("target indikator")
        ordering = ["app", "key"]
        constraints = [models.UniqueConstraint(fields=["app", "key"], name="cc_target_unique")]

    def __str__(self) -> str:
        return f"{self.app}.{self.key} → {format(self.target.normalize(), 'f')}"

    def clean(self) -> None:
        if (self.app, self.key) not in kpi.registry.figures:
            raise ValidationError({"key": _("Indikator ini tidak terdaftar.")})


class Snapshot(models.Model):
    """A figure's value for one day, kept even when the rows behind it change later."""

    app = models.CharField(max_length=40)
    key = models.CharField(max_length=60)
    date = models.DateField(db_index=True)
    value = models.DecimalField(max_digits=24, decimal_places=4, null=True, blank=True)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("snapshot indikator")
        verbose_name_plural = _("snapshot indikator")
        ordering = ["app", "key", "date"]
        constraints = [
            models.UniqueConstraint(fields=["app", "key", "date"], name="cc_snapshot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.app}.{self.key} {self.date}: {self.value}"


class Alert(models.Model):
    """One alert per cause (cause_key is unique): a later run never raises it again."""

    Status = wf.ALERT.text_choices("Status")

    class Severity(models.TextChoices):
        WARNING = "warning", _("Perhatian")
        DANGER = "danger", _("Gawat")

    cause_key = models.CharField(_("penyebab"), max_length=200, unique=True)
    app = models.CharField(_("layanan"), max_length=40)
    rule = models.CharField(_("aturan"), max_length=60)
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("uraian"), blank=True)
    # The message keys and values (core.notifications.Text), rendered per reader;
    # title/body keep the Indonesian text (search, admin, older rows without keys).
    title_text = models.JSONField(_("judul (kunci pesan)"), null=True, blank=True)
    body_text = models.JSONField(_("uraian (kunci pesan)"), null=True, blank=True)
    url = models.CharField(_("tautan"), max_length=500, blank=True)
    severity = models.CharField(
        _("tingkat"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit penanggung jawab"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("dinaikkan"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("peringatan")
        verbose_name_plural = _("peringatan")
        ordering = ["-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-raised_at"]),
            models.Index(
                fields=["-raised_at", "-id"],
                name="alert_not_closed",
                condition=~models.Q(status="closed"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("command_center:alert-detail", args=[self.pk])

    def title_in(self, language: str | None = None) -> str:
        from binjai_portal.core.notifications import Text

        return Text.render_stored(self.title_text, language, fallback=self.title)

    def body_in(self, language: str | None = None) -> str:
        from binjai_portal.core.notifications import Text

        return Text.render_stored(self.body_text, language, fallback=self.body)

    @property
    def display_title(self) -> str:
        """The title in the active language (the reader's)."""
        return self.title_in()

    @property
    def display_body(self) -> str:
        return self.body_in()


ZERO = Decimal(0)


class StoredDashboard(models.Model):
    """The last computed copy of a dashboard (overview, regions, wall, open data).

    The beat task keeps the standard periods fresh; requests read the cache, then this
    row, so a cache flush never makes a request recompute every figure. `payload` is
    the pickled result: written and read only by command_center.store.
    """

    key = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=20)
    params = models.JSONField(default=dict)
    payload = models.BinaryField()
    computed_at = models.DateTimeField()
    took_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("salinan dasbor")
        verbose_name_plural = _("salinan dasbor")

    def __str__(self) -> str:
        return f"{self.kind} {self.params} ({self.computed_at:%Y-%m-%d %H:%M:%S})"
