"""Celery entry points of billing."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def bill_expire_due_task() -> int:
    return services.bill_expire_due()


@shared_task
def reconciliation_run_task(day: str | None = None) -> int:
    """Yesterday's settlement file by default (the bank sends it the next morning)."""
    when = (
        datetime.date.fromisoformat(day)
        if day
        else timezone.localdate() - datetime.timedelta(days=1)
    )
    return len(services.reconciliation_run(day=when))
