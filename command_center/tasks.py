"""Beat entry points: alerts every few minutes, snapshots daily, the digest weekly."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from . import services

# Declared beside the copies it refreshes (dashboards, a read module, queues it and must
# not import this module, which writes); registered here under its usual name.
from .dashboards import dashboard_refresh_task  # noqa: F401


@shared_task
def alerts_evaluate_task() -> int:
    return len(services.alerts_evaluate())


@shared_task
def snapshot_take_task(day: str | None = None) -> int:
    """Snapshot `day` (ISO date), by default yesterday: the last complete day."""
    date = (
        datetime.date.fromisoformat(day)
        if day
        else timezone.localdate() - datetime.timedelta(days=1)
    )
    return services.snapshot_take(day=date)


@shared_task
def digest_send_task() -> int:
    return services.digest_send()


@shared_task
def dashboards_refresh_task(kinds: list[str] | None = None) -> dict:
    """Beat: keep every standard dashboard copy fresh (each at most one process at a time)."""
    from . import dashboards

    return dashboards.refresh_standard(kinds=tuple(kinds) if kinds else None)
