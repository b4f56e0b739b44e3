"""BPJS data of e-Dokter: a facility's WS credentials and antreanrest keys, the BPJS
codes of its polis and doctors, Mobile JKN patients (norm) and the JKN side of a
booking. Part of the `dokter` app (imported by dokter/models.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BpjsConfig(models.Model):
    """A facility's BPJS link. `ws_username`/`ws_password_hash`: what the facility gave
    BPJS to call its WS Antrean (the password hashed with Django's hasher, set in the
    admin). `cons_id`/`secret`/`user_key`: what BPJS gave the facility to call
    antreanrest (kept as given: the signature needs the secret itself)."""

    facility = models.OneToOneField(
        "dokter.Facility",
        verbose_name=_("fasilitas"),
        on_delete=models.CASCADE,
        related_name="bpjs_config",
    )
    acts_as = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bertindak sebagai"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Petugas fasilitas yang tercatat untuk check in dan pembatalan dari Mobile JKN."
        ),
    )
    ws_username = models.CharField(_("username WS"), max_length=60, unique=True)
    ws_password_hash = models.CharField(_("kata sandi WS (hash)"), max_length=256, editable=False)
    cons_id = models.CharField(_("cons-id"), max_length=30, blank=True)
    secret = models.CharField(_("secret key"), max_length=100, blank=True)
    user_key = models.CharField(_("user key"), max_length=100, blank=True)
    send_task_times = models.BooleanField(
        _("kirim waktu tugas ke BPJS"),
        default=True,
        help_text=_("Tambah antrean, update waktu (task 1–7, 99) dan batal antrean."),
    )
    pharmacy_poli = models.ForeignKey(
        "dokter.Poli",
        verbose_name=_("loket farmasi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Poli apotek/farmasi: mulai dan selesai layan di sana menjadi task 6 dan 7."),
    )
    keterangan = models.CharField(
        _("keterangan untuk pasien"),
        max_length=200,
        blank=True,
        default="Peserta harap 30 menit lebih awal guna pencatatan administrasi.",
    )

    class Meta:
        verbose_name = _("integrasi BPJS")
        verbose_name_plural = pgettext_lazy("plural", "integrasi BPJS")

    def __str__(self) -> str:
        return f"BPJS {self.facility}"

    @property
    def can_send(self) -> bool:
        return bool(self.send_task_times and self.cons_id and self.secret)


class BpjsPoli(models.Model):
    """The BPJS (HFIS) subspecialty code of a poli, as BPJS lists it for the facility."""

    poli = models.OneToOneField(
        "dokter.Poli", verbose_name=_("poli"), on_delete=models.CASCADE, related_name="bpjs"
    )
    kodepoli = models.CharField(_("kode poli BPJS"), max_length=10)

    class Meta:
        verbose_name = _("kode poli BPJS")
        verbose_name_plural = pgettext_lazy("plural", "kode poli BPJS")

    def __str__(self) -> str:
        return f"{self.poli} = {self.kodepoli}"


class BpjsDoctor(models.Model):
    """The BPJS (HFIS) doctor code of a practitioner."""

    practitioner = models.OneToOneField(
        "dokter.Practitioner",
        verbose_name=_("tenaga kesehatan"),
        on_delete=models.CASCADE,
        related_name="bpjs",
    )
    kodedokter = models.PositiveIntegerField(_("kode dokter BPJS"))

    class Meta:
        verbose_name = _("kode dokter BPJS")
        verbose_name_plural = pgettext_lazy("plural", "kode dokter BPJS")

    def __str__(self) -> str:
        return f"{self.practitioner} = {self.kodedokter}"


class JknPatient(models.Model):
    """A patient known to the facility through Mobile JKN ("pasien baru" gives a norm).
    NIK and card number are personal data: masked in the admin, never logged."""

    facility = models.ForeignKey(
        "dokter.Facility", on_delete=models.CASCADE, related_name="jkn_patients"
    )
    norm = models.CharField(_("nomor rekam medis"), max_length=20, blank=True)
    nomorkartu = models.CharField(_("nomor kartu JKN"), max_length=13, db_index=True)
    nik = models.CharField(_("NIK"), max_length=16, db_index=True)
    nomorkk = models.CharField(_("nomor KK"), max_length=16, blank=True)
    nama = models.CharField(_("nama"), max_length=150)
    jeniskelamin = models.CharField(_("jenis kelamin"), max_length=1, blank=True)
    tanggallahir = models.DateField(_("tanggal lahir"), null=True, blank=True)
    nohp = models.CharField(_("nomor HP"), max_length=20, blank=True)
    alamat = models.CharField(_("alamat"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pasien Mobile JKN")
        verbose_name_plural = pgettext_lazy("plural", "pasien Mobile JKN")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "nomorkartu"], name="dokter_jknpatient_card_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.norm} {self.nama}"


class JknVisit(models.Model):
    """The JKN side of a booking taken through Mobile JKN (or reported to BPJS)."""

    booking = models.OneToOneField(
        "dokter.Booking", on_delete=models.CASCADE, related_name="jkn", primary_key=True
    )
    patient = models.ForeignKey(
        JknPatient, null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    kodedokter = models.PositiveIntegerField(null=True, blank=True)
    jampraktek = models.CharField(max_length=11, blank=True)
    jeniskunjungan = models.PositiveSmallIntegerField(null=True, blank=True)
    nomorreferensi = models.CharField(max_length=30, blank=True)
    nohp = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("kunjungan JKN")
        verbose_name_plural = pgettext_lazy("plural", "kunjungan JKN")

    def __str__(self) -> str:
        return str(self.booking_id)
