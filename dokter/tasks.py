"""Celery entry points; the lead is asked to put them on the beat schedule:
`dokter.tasks.queue_close_day_task` at 23:30 and `dokter.tasks.booking_remind_task` at 18:00."""

import datetime

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def queue_close_day_task() -> int:
    return services.queue_close_day(date=timezone.localdate())


@shared_task
def booking_remind_task(date: str | None = None) -> int:
    """Remind tomorrow's bookers (or those of `date`, ISO), once per booking."""
    day = (
        datetime.date.fromisoformat(date)
        if date
        else timezone.localdate() + datetime.timedelta(days=1)
    )
    return services.booking_send_reminders(date=day)
