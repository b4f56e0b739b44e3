"""e-Perizinan's personal data: applicants and their documents."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from binjai_portal.core import privacy

from .models import Application

privacy.declare(
    privacy.Processing(
        app="perizinan",
        key="applications",
        label=_("Pemohon izin"),
        data=(
            _("identitas pemohon"),
            _("NIB/NPWP"),
            _("dokumen persyaratan"),
            _("lokasi usaha"),
        ),
        purpose=_("Memproses dan menerbitkan izin, dan memverifikasi sertifikat."),
        basis=privacy.Basis.LEGAL_OBLIGATION,
        recipients=_("Pemohon; petugas DPMPTSP dan tim teknis OPD"),
        retention=_("Arsip perizinan: selama izin berlaku dan masa retensi arsip"),
        retention_source=privacy.ARCHIVE_SCHEDULE,
        models=("perizinan.Application", "perizinan.Certificate"),
        erasable=False,
        keep_reason=_("Arsip perizinan wajib disimpan (UU 43/2009 Kearsipan)."),
    )
)


@privacy.exporter("perizinan")
def export(user) -> list[privacy.Section]:
    rows = tuple(
        {
            gettext("Nomor"): a.number or "",
            gettext("Jenis izin"): a.permit_type.name,
            gettext("Nama badan usaha"): a.business_name,
            gettext("Alamat lokasi"): a.location_address,
            gettext("Status"): a.status,
            gettext("Dibuat"): privacy.when(a.created_at),
        }
        for a in Application.objects.filter(applicant=user).select_related("permit_type")
    )
    return [privacy.Section("perizinan", gettext("Permohonan izin (e-Perizinan)"), rows)]
