"""Personal data held by accounts: the record of processing and the citizen's copy."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from binjai_portal.core import privacy

from .models import Dependant, PhoneVerification, User

privacy.declare(
    privacy.Processing(
        app="accounts",
        key="account",
        label=_l("Akun warga"),
        data=(_l("NIK"), _l("nama"), _l("tanggal lahir"), _l("jenis kelamin"), _l("alamat")),
        purpose=_l("Mengenali warga yang memakai layanan elektronik Kota Binjai."),
        basis=privacy.Basis.PUBLIC_TASK,
        recipients=_l("Warga sendiri; petugas layanan yang menangani permohonannya"),
        retention=_l("Selama akun ada; dianonimkan saat penghapusan dikabulkan"),
        erasable=True,
    )
)
privacy.declare(
    privacy.Processing(
        app="accounts",
        key="contact",
        label=_l("Kontak untuk pemberitahuan"),
        data=(_l("nomor HP"), _l("e-mail")),
        purpose=_l("Mengirim pemberitahuan status layanan lewat e-mail dan SMS/WhatsApp."),
        basis=privacy.Basis.CONSENT,
        recipients=_l("Warga sendiri; gateway SMS dan server e-mail (prosesor)"),
        retention=_l("Selama akun ada atau sampai persetujuan ditarik"),
    )
)
privacy.declare(
    privacy.Processing(
        app="accounts",
        key="dependants",
        label=_l("Anggota keluarga"),
        data=(_l("NIK"), _l("nama"), _l("tanggal lahir"), _l("hubungan keluarga")),
        purpose=_l("Warga mendaftarkan antrean berobat untuk keluarganya."),
        basis=privacy.Basis.CONSENT,
        recipients=_l("Penanggung jawab keluarga; petugas puskesmas saat melayani"),
        retention=_l("Selama penanggung jawab mempertahankannya"),
        specific=True,  # data anak (Pasal 4 ayat 2 huruf f)
    )
)
privacy.declare(
    privacy.Processing(
        app="accounts",
        key="phone_codes",
        label=_l("Kode verifikasi nomor HP"),
        data=(_l("nomor HP"), _l("hash kode")),
        purpose=_l("Membuktikan pemilik nomor HP sebelum SMS dikirim."),
        basis=privacy.Basis.CONSENT,
        recipients=_l("Sistem saja"),
        retention=_l("30 hari"),
        retention_days=30,
    )
)


@privacy.exporter("accounts")
def export(user: User) -> list[privacy.Section]:
    profile = {
        _("NIK"): user.masked_nik,
        _("Nama lengkap"): user.full_name,
        _("Tanggal lahir"): user.birth_date.isoformat(),
        _("Jenis kelamin"): user.get_sex_display(),
        _("Nomor HP"): user.phone or "",
        _("E-mail"): user.email or "",
        _("Alamat"): user.address,
        _("RT/RW"): f"{user.rt}/{user.rw}",
        _("Kelurahan"): user.kelurahan.name if user.kelurahan_id else "",
        _("Terdaftar"): user.date_joined.isoformat(),
    }
    family = tuple(
        {
            _("Nama lengkap"): d.full_name,
            _("NIK"): d.masked_nik,
            _("Tanggal lahir"): d.birth_date.isoformat(),
            _("Hubungan"): d.get_relation_display(),
        }
        for d in Dependant.objects.filter(guardian=user)
    )
    return [
        privacy.Section("accounts", _("Profil akun"), (profile,)),
        privacy.Section("accounts", _("Anggota keluarga"), family),
    ]


@privacy.retention("accounts", "phone_codes")
def purge_phone_codes(now: datetime.datetime) -> int:
    deleted, _rows = PhoneVerification.objects.filter(
        created_at__lt=now - datetime.timedelta(days=30)
    ).delete()
    return deleted


@privacy.eraser("accounts")
def erase(user: User) -> str:
    """Anonymise the account: it can no longer log in and names no one. Records other
    apps must keep still point at the (now anonymous) account."""
    dependants = Dependant.objects.filter(guardian=user)
    kept = dependants.filter(dokter_visits__isnull=False).distinct()
    kept.update(full_name=_("Dianonimkan"))
    dependants.exclude(pk__in=kept).delete()
    PhoneVerification.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(
        nik=f"X{user.pk:015d}"[:16],
        full_name=_("Akun dihapus"),
        phone=None,
        phone_verified_at=None,
        email=None,
        email_verified=False,
        address="",
        rt="",
        rw="",
        is_active=False,
        password="!",
    )
    return _("akun dianonimkan")
