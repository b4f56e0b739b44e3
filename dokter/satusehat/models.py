"""SATUSEHAT data of e-Dokter: a facility's client credentials and ids, and the cache of
SATUSEHAT ids (patients by NIK digest, practitioners, locations)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SatusehatConfig(models.Model):
    facility = models.OneToOneField(
        "dokter.Facility",
        verbose_name=_("fasilitas"),
        on_delete=models.CASCADE,
        related_name="satusehat_config",
    )
    organization_id = models.CharField(_("ID organisasi SATUSEHAT"), max_length=64)
    location_id = models.CharField(_("ID lokasi SATUSEHAT (bawaan)"), max_length=64)
    practitioner_id = models.CharField(
        _("ID tenaga kesehatan SATUSEHAT (bawaan)"), max_length=64, blank=True
    )
    client_id = models.CharField(_("client ID"), max_length=100)
    client_secret = models.CharField(_("client secret"), max_length=200)
    enabled = models.BooleanField(_("kirim kunjungan ke SATUSEHAT"), default=True)

    class Meta:
        verbose_name = _("integrasi SATUSEHAT")
        verbose_name_plural = pgettext_lazy("plural", "integrasi SATUSEHAT")

    def __str__(self) -> str:
        return f"SATUSEHAT {self.facility}"


class SatusehatId(models.Model):
    """A SATUSEHAT id known for one of our things: a patient (key: SHA-256 of the NIK,
    looked up once), a practitioner or a poli's location (key: our pk, set by staff)."""

    class Kind(models.TextChoices):
        PATIENT = "patient", _("Pasien")
        PRACTITIONER = "practitioner", _("Tenaga kesehatan")
        LOCATION = "location", _("Lokasi (poli)")

    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    key = models.CharField(_("kunci"), max_length=64)
    ihs_id = models.CharField(_("ID SATUSEHAT"), max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ID SATUSEHAT")
        verbose_name_plural = pgettext_lazy("plural", "ID SATUSEHAT")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="dokter_satusehatid_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.ihs_id}"
