"""e-Musrenbang's personal data: proposers, supporters and flags."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from binjai_portal.core import privacy

from .models import Proposal, Support

privacy.declare(
    privacy.Processing(
        app="musrenbang",
        key="proposals",
        label=_l("Pengusul dan pendukung usulan"),
        data=(_l("nama pengusul"), _l("RT/RW dan alamat usulan"), _l("dukungan")),
        purpose=_l("Perencanaan pembangunan partisipatif (musrenbang) sampai RKPD."),
        basis=privacy.Basis.PUBLIC_TASK,
        recipients=_l(
            "Publik (nama hanya bila pengusul memilih ditampilkan); petugas kelurahan, "
            "kecamatan dan Bappeda"
        ),
        retention=_l("Arsip perencanaan: selama dokumen RKPD disimpan"),
        erasable=False,
        keep_reason=_l("Dokumen perencanaan daerah wajib diarsipkan (UU 43/2009 Kearsipan)."),
    )
)


@privacy.exporter("musrenbang")
def export(user) -> list[privacy.Section]:
    proposals = tuple(
        {
            _("Nomor usulan"): p.reference,
            _("Judul"): p.title,
            _("Alamat/lokasi"): p.address,
            _("Status"): p.get_status_display(),
            _("Nama ditampilkan"): _("ya") if p.show_proposer_name else _("tidak"),
            _("Dibuat"): p.created_at.isoformat(),
        }
        for p in Proposal.objects.filter(proposer=user).order_by("-created_at")
    )
    supports = tuple(
        {_("Usulan"): s.proposal.reference, _("Waktu"): s.created_at.isoformat()}
        for s in Support.objects.filter(user=user).select_related("proposal")
    )
    return [
        privacy.Section("musrenbang", _("Usulan musrenbang"), proposals),
        privacy.Section("musrenbang", _("Dukungan usulan"), supports),
    ]
