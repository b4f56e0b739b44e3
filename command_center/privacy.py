"""The Command Center shows figures, not people: its only personal data is which officer
set a target. Its dashboards and exports carry aggregates (counts, sums, durations) from
the services' metrics, never a citizen's record."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from binjai_portal.core import privacy

from .models import Target

privacy.declare(
    privacy.Processing(
        app="command_center",
        key="officers",
        label=_("Petugas penetap target indikator"),
        data=(_("akun petugas yang terakhir mengubah target"),),
        purpose=_("Akuntabilitas target kinerja di Command Center (siapa menetapkan apa)."),
        basis=privacy.Basis.PUBLIC_TASK,
        recipients=_("Pimpinan dan petugas Command Center"),
        retention=_("Selama target berlaku; diganti saat target diubah"),
        retention_source=privacy.DEMO_POLICY,
        erasable=False,
        keep_reason=_("Riwayat penetapan target kinerja diperlukan untuk akuntabilitas."),
        models=("command_center.Target",),
    )
)


@privacy.exporter("command_center")
def export(user) -> list[privacy.Section]:
    rows = tuple(
        {
            gettext("Layanan"): t.app,
            gettext("Indikator"): t.key,
            gettext("Target"): str(t.target),
            gettext("Diubah"): privacy.when(t.updated_at),
        }
        for t in Target.objects.filter(updated_by=user)
    )
    return [privacy.Section("command_center", gettext("Target indikator yang Anda tetapkan"), rows)]
