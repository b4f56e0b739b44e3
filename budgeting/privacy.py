"""e-Budgeting holds no citizen's data: only the names of the officers who acted."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from binjai_portal.core import privacy

privacy.declare(
    privacy.Processing(
        app="budgeting",
        key="officers",
        label=_("Petugas penyusun anggaran"),
        data=(_("nama petugas pada riwayat perubahan"),),
        purpose=_("Akuntabilitas penyusunan APBD (siapa mengubah apa)."),
        basis=privacy.Basis.LEGAL_OBLIGATION,
        recipients=_("Tim anggaran (TAPD) dan petugas OPD"),
        retention=_("Selama dokumen anggaran diarsipkan"),
        retention_source=privacy.ARCHIVE_SCHEDULE,
        erasable=False,
        keep_reason=_("Riwayat penyusunan anggaran wajib diarsipkan."),
    )
)


@privacy.exporter("budgeting")
def export(user) -> list[privacy.Section]:
    return []
