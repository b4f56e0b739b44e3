from django.db import models
from django.utils.translation import gettext_lazy as _


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
        "self", verbose_name=_("induk"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return self.name

    @property
    def is_village(self) -> bool:
        return self.level in self.VILLAGE_LEVELS
