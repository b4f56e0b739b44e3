"""Celery entry points; the lead is asked to put them on the beat schedule:
`dokter.tasks.queue_close_day_task` at 23:30 and `dokter.tasks.booking_remind_task` at 18:00."""

import datetime

from celery import shared_task

from . import clock, services


@shared_task
def queue_close_day_task() -> int:
    return services.queue_close_day(date=clock.today())


@shared_task
def booking_remind_task() -> int:
    return services.booking_send_reminders(date=clock.today() + datetime.timedelta(days=1))
