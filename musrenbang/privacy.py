"""e-Musrenbang's personal data: proposers, supporters and flags."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from binjai_portal.core import privacy

from .models import Proposal, Support

privacy.declare(
    privacy.Processing(
        app="musrenbang",
        key="proposals",
        label=_("Pengusul dan pendukung usulan"),
        data=(_("nama pengusul"), _("RT/RW dan alamat usulan"), _("dukungan")),
        purpose=_("Perencanaan pembangunan partisipatif (musrenbang) sampai RKPD."),
        basis=privacy.Basis.PUBLIC_TASK,
        recipients=_(
            "Publik (nama hanya bila pengusul memilih ditampilkan); petugas kelurahan, "
            "kecamatan dan Bappeda"
        ),
        retention=_("Arsip perencanaan: selama dokumen RKPD disimpan"),
        retention_source=privacy.ARCHIVE_SCHEDULE,
        models=("musrenbang.Proposal", "musrenbang.Support", "musrenbang.Forum"),
        erasable=False,
        keep_reason=_("Dokumen perencanaan daerah wajib diarsipkan (UU 43/2009 Kearsipan)."),
    )
)


@privacy.exporter("musrenbang")
def export(user) -> list[privacy.Section]:
    proposals = tuple(
        {
            gettext("Nomor usulan"): p.reference,
            gettext("Judul"): p.title,
            gettext("Alamat/lokasi"): p.address,
            gettext("Status"): p.get_status_display(),
            gettext("Nama ditampilkan"): gettext("ya")
            if p.show_proposer_name
            else gettext("tidak"),
            gettext("Dibuat"): privacy.when(p.created_at),
        }
        for p in Proposal.objects.filter(proposer=user).order_by("-created_at")
    )
    supports = tuple(
        {gettext("Usulan"): s.proposal.reference, gettext("Waktu"): privacy.when(s.created_at)}
        for s in Support.objects.filter(user=user).select_related("proposal")
    )
    return [
        privacy.Section("musrenbang", gettext("Usulan musrenbang"), proposals),
        privacy.Section("musrenbang", gettext("Dukungan usulan"), supports),
    ]
