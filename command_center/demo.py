"""Demo targets (the issue's examples) and 30 days of snapshots of the demo data."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from binjai_portal.core import kpi

from . import services
from .models import Target

DEMO_TARGETS = (
    ("masyarakat", "sla_compliance", Decimal(90), "Standar pelayanan pengaduan (demo)"),
    ("dokter", "avg_wait", Decimal(30), "Maklumat pelayanan puskesmas (demo)"),
    ("perizinan", "within_standard", Decimal(95), "Standar pelayanan DPMPTSP (demo)"),
    ("budgeting", "absorption", Decimal(100), "Serapan sesuai rencana (demo)"),
)


def seed(log) -> None:
    for app, key, value, note in DEMO_TARGETS:
        if (app, key) in kpi.registry.figures and not Target.objects.filter(
            app=app, key=key
        ).exists():
            services.target_set(app=app, key=key, target=value, actor=None, note=note)
            log(f"command_center: target {app}.{key} = {value}")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    n = services.snapshot_backfill(days=30, until=yesterday)
    log(f"command_center: {n} snapshot rows")
    raised = services.alerts_evaluate()
    log(f"command_center: {len(raised)} alerts raised")
