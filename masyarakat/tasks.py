"""Celery entry points of e-Masyarakat: they take plain values and call a service.

Beat schedule (in settings.CELERY_BEAT_SCHEDULE):
    "masyarakat-sla-check": {"task": "masyarakat.tasks.ticket_sla_check_task",
                             "schedule": crontab(minute=0, hour="7-17")},
    "masyarakat-auto-close": {"task": "masyarakat.tasks.ticket_auto_close_task",
                              "schedule": crontab(minute=30, hour=1)},
"""

from __future__ import annotations

import datetime

from celery import shared_task

from . import services


@shared_task
def ticket_sla_check_task(today: str | None = None) -> dict:
    """Remind before and escalate after the SLA due date, once per ticket and level."""
    day = datetime.date.fromisoformat(today) if today else None
    return services.ticket_sla_check(today=day)


@shared_task
def ticket_auto_close_task() -> int:
    """Close tickets resolved 7 days ago without an answer from the reporter."""
    return services.ticket_auto_close_due()
