"""Celery entry points of e-Perizinan (scheduled by beat; see the lead's settings)."""

from celery import shared_task

from . import services


@shared_task
def sla_report_overdue_task() -> int:
    """Report applications past their service standard to the Inspectorate, once each."""
    return services.sla_report_overdue()


@shared_task
def sla_send_reminders_task() -> int:
    return services.sla_send_reminders()
