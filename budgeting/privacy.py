"""e-Budgeting holds no citizen's data: only the names of the officers who acted."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _l

from binjai_portal.core import privacy

privacy.declare(
    privacy.Processing(
        app="budgeting",
        key="officers",
        label=_l("Petugas penyusun anggaran"),
        data=(_l("nama petugas pada riwayat perubahan"),),
        purpose=_l("Akuntabilitas penyusunan APBD (siapa mengubah apa)."),
        basis=privacy.Basis.LEGAL_OBLIGATION,
        recipients=_l("Tim anggaran (TAPD) dan petugas OPD"),
        retention=_l("Selama dokumen anggaran diarsipkan"),
        erasable=False,
        keep_reason=_l("Riwayat penyusunan anggaran wajib diarsipkan."),
    )
)


@privacy.exporter("budgeting")
def export(user) -> list[privacy.Section]:
    return []
