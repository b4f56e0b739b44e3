"""Celery entry points of the shared services: they take IDs and call services."""

from celery import shared_task
from django.core.management import call_command

from . import notifications


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(notifications.DeliveryFailed,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=notifications.MAX_ATTEMPTS,
)
def notification_deliver_task(self, delivery_id: int) -> str:
    return notifications.delivery_send(delivery_id=delivery_id)


@shared_task
def notification_deliver_pending_task(older_than_seconds: int = 30) -> int:
    """Deliver what is still pending (e.g. written while the broker was down)."""
    ids = notifications.pending_delivery_ids(older_than_seconds=older_than_seconds)
    for delivery_id in ids:
        try:
            notifications.delivery_send(delivery_id=delivery_id)
        except notifications.DeliveryFailed:
            continue  # counted as an attempt; the next run tries again
    return len(ids)


@shared_task
def session_clear_expired_task() -> None:
    call_command("clearsessions")
