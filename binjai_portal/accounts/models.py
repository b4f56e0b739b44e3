from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from binjai_portal.core.models import Region

from . import roles
from .nik import mask_nik, validate_nik

RT_RW_VALIDATOR = RegexValidator(r"^[0-9]{1,3}$", _("Isi 1 sampai 3 angka, misalnya 004."))


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Unit(models.Model):
    """Where a staff member works: an agency (OPD), a kecamatan or kelurahan office,
    or a health facility."""

    class Kind(models.TextChoices):
        OPD = roles.OPD, _("Perangkat daerah (OPD)")
        KECAMATAN = roles.KECAMATAN, _("Kantor kecamatan")
        KELURAHAN = roles.KELURAHAN, _("Kantor kelurahan")
        FASKES = roles.FASKES, _("Fasilitas kesehatan")

    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    code = models.SlugField(
        _("kode internal"),
        max_length=60,
        unique=True,
        help_text=_("Kode internal portal, bukan kode resmi."),
    )
    name = models.CharField(_("nama"), max_length=160)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    is_demo = models.BooleanField(
        _("data demo"),
        default=False,
        help_text=_("Ditandai bila nama atau datanya belum dari sumber resmi."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    # name_ind/name_en are added by django-modeltranslation (translation.py) after the
    # history model is built: the history keeps `name`, the Indonesian name of record.
    history = HistoricalRecords(excluded_fields=["name_ind", "name_en"])

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("unit kerja")
        verbose_name_plural = pgettext_lazy("plural", "unit kerja")

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, nik, password, **extra):
        if not nik:
            raise ValueError("NIK is required")
        email = extra.pop("email", None)
        user = self.model(nik=nik, email=self.normalize_email(email) or None, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, nik, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(nik, password, **extra)

    def create_superuser(self, nik, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(nik, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """One account model for everyone: citizens and staff log in alike.

    Every account belongs to a person with a NIK, staff included, so every action in
    the audit trail has a person behind it.
    """

    nik = models.CharField(
        _("NIK"),
        max_length=16,
        unique=True,
        validators=[validate_nik],
        error_messages={"unique": _("NIK ini sudah terdaftar.")},
    )
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    birth_date = models.DateField(_("tanggal lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    phone = models.CharField(
        _("nomor HP"),
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        error_messages={"unique": _("Nomor HP ini sudah dipakai akun lain.")},
    )
    # Set when the owner proved the number with a code sent to it; cleared when the number
    # changes. Only a verified number ever receives SMS (a stranger's number typed in at
    # registration must not become a target).
    phone_verified_at = models.DateTimeField(_("nomor HP terverifikasi"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), null=True, blank=True)
    email_verified = models.BooleanField(_("e-mail terverifikasi"), default=False)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    kelurahan = models.ForeignKey(
        Region,
        verbose_name=_("kelurahan/desa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    rt = models.CharField(_("RT"), max_length=3, blank=True, validators=[RT_RW_VALIDATOR])
    rw = models.CharField(_("RW"), max_length=3, blank=True, validators=[RT_RW_VALIDATOR])
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit kerja"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    language = models.CharField(_("bahasa"), max_length=5, choices=settings.LANGUAGES, default="id")
    is_staff = models.BooleanField(_("akses admin"), default=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    is_demo = models.BooleanField(_("akun demo"), default=False)
    date_joined = models.DateTimeField(_("tanggal daftar"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "nik"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name", "birth_date", "sex"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = pgettext_lazy("plural", "pengguna")
        permissions = [("view_full_nik", _("Dapat melihat NIK lengkap"))]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("E-mail ini sudah dipakai akun lain."),
            ),
        ]

    def __str__(self) -> str:
        # Never the NIK: __str__ ends up in logs, admin messages and e-mails.
        return self.full_name

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else ""

    @property
    def phone_verified(self) -> bool:
        return bool(self.phone and self.phone_verified_at)

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik)

    @cached_property
    def role_slugs(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *slugs: str) -> bool:
        return bool(self.role_slugs.intersection(slugs))

    @property
    def is_citywide(self) -> bool:
        """True when one of the user's staff roles is not bound to a unit."""
        if self.is_superuser:
            return True
        return any(
            roles.ROLE_BY_SLUG[s].unit_kind is None and roles.ROLE_BY_SLUG[s].is_staff
            for s in self.role_slugs
            if s in roles.ROLE_BY_SLUG
        )


class Dependant(models.Model):
    """A family member a citizen may act for (e.g. book a clinic queue)."""

    class Relation(models.TextChoices):
        SPOUSE = "pasangan", _("Suami/istri")
        CHILD = "anak", _("Anak")
        PARENT = "orang_tua", _("Orang tua")
        SIBLING = "saudara", _("Saudara kandung")
        OTHER = "lainnya", _("Lainnya (dalam satu KK)")

    guardian = models.ForeignKey(
        User,
        verbose_name=_("penanggung jawab"),
        on_delete=models.CASCADE,
        related_name="dependants",
    )
    nik = models.CharField(_("NIK"), max_length=16, validators=[validate_nik])
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    birth_date = models.DateField(_("tanggal lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    relation = models.CharField(_("hubungan"), max_length=12, choices=Relation.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("anggota keluarga")
        verbose_name_plural = pgettext_lazy("plural", "anggota keluarga")
        constraints = [
            models.UniqueConstraint(
                fields=["guardian", "nik"],
                name="accounts_dependant_unique_per_guardian",
                violation_error_message=_("Anggota keluarga dengan NIK ini sudah terdaftar."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik)


class PhoneVerification(models.Model):
    """A one-time code sent by SMS to prove a user owns their phone number.

    Only a keyed hash of the code is stored. A code is bound to the number it was sent
    to, expires after PHONE_OTP_TTL_SECONDS and allows PHONE_OTP_MAX_ATTEMPTS guesses.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="phone_verifications")
    phone = models.CharField(max_length=16)
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("verifikasi nomor HP")
        verbose_name_plural = pgettext_lazy("plural", "verifikasi nomor HP")
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class SmsResetCode(models.Model):
    """A one-time code sent by SMS to a verified number to set a new password, for the
    citizen who has no e-mail. Only a keyed hash of the code is stored; it expires after
    PHONE_OTP_TTL_SECONDS and allows PHONE_OTP_MAX_ATTEMPTS guesses."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sms_reset_codes")
    phone = models.CharField(max_length=16)
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("kode atur ulang sandi lewat SMS")
        verbose_name_plural = pgettext_lazy("plural", "kode atur ulang sandi lewat SMS")
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
