"""Personal data held by accounts: the record of processing and the citizen's copy."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from binjai_portal.core import privacy

from .models import Dependant, PhoneVerification, SmsResetCode, User

privacy.declare(
    privacy.Processing(
        app="accounts",
        key="account",
        label=_("Akun warga"),
        data=(_("NIK"), _("nama"), _("tanggal lahir"), _("jenis kelamin"), _("alamat")),
        purpose=_("Mengenali warga yang memakai layanan elektronik pemerintah daerah."),
        basis=privacy.Basis.PUBLIC_TASK,
        recipients=_("Warga sendiri; petugas layanan yang menangani permohonannya"),
        retention=_("Selama akun ada; dianonimkan saat penghapusan dikabulkan"),
        retention_source=privacy.PURPOSE_PERIOD,
        erasable=True,
        models=("accounts.User",),
    )
)
privacy.declare(
    privacy.Processing(
        app="accounts",
        key="contact",
        label=_("Kontak untuk pemberitahuan"),
        data=(_("nomor HP"), _("e-mail")),
        purpose=_("Mengirim pemberitahuan status layanan lewat e-mail dan SMS/WhatsApp."),
        basis=privacy.Basis.CONSENT,
        recipients=_("Warga sendiri; gateway SMS dan server e-mail (prosesor)"),
        retention=_("Selama akun ada atau sampai persetujuan ditarik"),
        retention_source=_(
            "UU 27/2022 Pasal 9 dan Pasal 43 ayat 1 huruf b (sampai persetujuan ditarik)"
        ),
        models=("accounts.User",),
    )
)
privacy.declare(
    privacy.Processing(
        app="accounts",
        key="dependants",
        label=_("Anggota keluarga"),
        data=(_("NIK"), _("nama"), _("tanggal lahir"), _("hubungan keluarga")),
        purpose=_("Warga mendaftarkan antrean berobat untuk keluarganya."),
        basis=privacy.Basis.CONSENT,
        recipients=_("Penanggung jawab keluarga; petugas puskesmas saat melayani"),
        retention=_("Selama penanggung jawab mempertahankannya"),
        retention_source=privacy.PURPOSE_PERIOD,
        models=("accounts.Dependant",),
        specific=True,  # data anak (Pasal 4 ayat 2 huruf f)
    )
)
privacy.declare(
    privacy.Processing(
        app="accounts",
        key="phone_codes",
        label=_("Kode verifikasi nomor HP"),
        data=(_("nomor HP"), _("hash kode")),
        purpose=_("Membuktikan pemilik nomor HP sebelum SMS dikirim."),
        basis=privacy.Basis.CONSENT,
        recipients=_("Sistem saja"),
        retention=_("30 hari"),
        retention_days=30,
        retention_source=privacy.DEMO_POLICY,
        models=("accounts.PhoneVerification", "accounts.SmsResetCode"),
    )
)


@privacy.exporter("accounts")
def export(user: User) -> list[privacy.Section]:
    profile = {
        gettext("NIK"): user.masked_nik,
        gettext("Nama lengkap"): user.full_name,
        gettext("Tanggal lahir"): user.birth_date.isoformat(),
        gettext("Jenis kelamin"): user.get_sex_display(),
        gettext("Nomor HP"): user.phone or "",
        gettext("E-mail"): user.email or "",
        gettext("Alamat"): user.address,
        gettext("RT/RW"): f"{user.rt}/{user.rw}",
        gettext("Kelurahan"): user.kelurahan.name if user.kelurahan_id else "",
        gettext("Terdaftar"): privacy.when(user.date_joined),
    }
    family = tuple(
        {
            gettext("Nama lengkap"): d.full_name,
            gettext("NIK"): d.masked_nik,
            gettext("Tanggal lahir"): d.birth_date.isoformat(),
            gettext("Hubungan"): d.get_relation_display(),
        }
        for d in Dependant.objects.filter(guardian=user)
    )
    return [
        privacy.Section("accounts", gettext("Profil akun"), (profile,)),
        privacy.Section("accounts", gettext("Anggota keluarga"), family),
    ]


@privacy.retention("accounts", "phone_codes")
def purge_phone_codes(now: datetime.datetime) -> int:
    deleted, _rows = PhoneVerification.objects.filter(
        created_at__lt=now - datetime.timedelta(days=30)
    ).delete()
    resets, _rows = SmsResetCode.objects.filter(
        created_at__lt=now - datetime.timedelta(days=30)
    ).delete()
    return deleted + resets


@privacy.eraser("accounts")
def erase(user: User) -> str:
    """Anonymise the account: it can no longer log in and names no one. Records other
    apps must keep still point at the (now anonymous) account."""
    dependants = Dependant.objects.filter(guardian=user)
    kept = dependants.filter(dokter_visits__isnull=False).distinct()
    kept.update(full_name=gettext("Dianonimkan"))
    dependants.exclude(pk__in=kept).delete()
    PhoneVerification.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(
        nik=f"X{user.pk:015d}"[:16],
        full_name=gettext("Akun dihapus"),
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
    return gettext("akun dianonimkan")
