"""e-Perizinan's personal data: applicants and their documents."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from binjai_portal.core import privacy

from .models import Application

privacy.declare(
    privacy.Processing(
        app="perizinan",
        key="applications",
        label=_l("Pemohon izin"),
        data=(
            _l("identitas pemohon"),
            _l("NIB/NPWP"),
            _l("dokumen persyaratan"),
            _l("lokasi usaha"),
        ),
        purpose=_l("Memproses dan menerbitkan izin, dan memverifikasi sertifikat."),
        basis=privacy.Basis.LEGAL_OBLIGATION,
        recipients=_l("Pemohon; petugas DPMPTSP dan tim teknis OPD"),
        retention=_l("Arsip perizinan: selama izin berlaku dan masa retensi arsip"),
        erasable=False,
        keep_reason=_l("Arsip perizinan wajib disimpan (UU 43/2009 Kearsipan)."),
    )
)


@privacy.exporter("perizinan")
def export(user) -> list[privacy.Section]:
    rows = tuple(
        {
            _("Nomor"): a.number or "",
            _("Jenis izin"): a.permit_type.name,
            _("Nama badan usaha"): a.business_name,
            _("Alamat lokasi"): a.location_address,
            _("Status"): a.status,
            _("Dibuat"): a.created_at.isoformat(),
        }
        for a in Application.objects.filter(applicant=user).select_related("permit_type")
    )
    return [privacy.Section("perizinan", _("Permohonan izin (e-Perizinan)"), rows)]
