"""Celery entry points of the shared services: they take IDs and call services."""

from celery import shared_task
from django.core.management import call_command

from . import notifications
from .broker import enqueue_later


@shared_task(bind=True, acks_late=True, max_retries=None)
def notification_deliver_task(self, delivery_id: int) -> str:
    """Send one delivery; retry after a failure, or once another sender's claim ends.

    The retries are bounded by the delivery itself: every claim counts an attempt and
    the delivery fails for good after MAX_ATTEMPTS.
    """
    try:
        status = notifications.delivery_send(delivery_id=delivery_id)
    except notifications.DeliveryFailed as exc:
        if self.request.is_eager:  # no broker to wait on: the periodic task retries
            return "pending"
        raise self.retry(countdown=exc.retry_in, exc=exc) from exc
    if status == "locked" and not self.request.is_eager:
        # Another sender holds the claim (or died holding it, e.g. a killed worker child
        # whose message came straight back): look again when the claim runs out.
        wait = notifications.delivery_claim_wait(delivery_id=delivery_id)
        if wait is not None:
            raise self.retry(countdown=wait + 0.5)
    return status


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
def notification_sweep_task() -> int:
    """Queue a delivery task for every pending delivery, each when it may next be tried.

    Sent by every worker when it starts (binjai_portal/celery.py): messages a crashed
    worker had in hand, or that were written while the broker was down, go out without
    waiting for beat.
    """
    schedule = notifications.pending_delivery_schedule()
    enqueue_later(notification_deliver_task, [((pk,), wait) for pk, wait in schedule])
    return len(schedule)


@shared_task
def session_clear_expired_task() -> None:
    call_command("clearsessions")


@shared_task(bind=True, acks_late=True, max_retries=None)
def outbox_send_task(self, message_id: int) -> str:
    """Send one outbound integration call (binjai_portal.core.outbox); on a transient
    failure retry when its backoff ends (bounded by the message's MAX_ATTEMPTS)."""
    from . import outbox
    from .models import OutboxMessage

    status = outbox.outbox_send(message_id=message_id)
    if status in ("retry", "waiting") and not self.request.is_eager:
        row = OutboxMessage.objects.filter(pk=message_id).values("next_attempt_at").first()
        wait = 5.0
        if row and row["next_attempt_at"]:
            from django.utils import timezone

            wait = max((row["next_attempt_at"] - timezone.now()).total_seconds(), 1.0)
        raise self.retry(countdown=wait)
    return status


@shared_task
def outbox_send_pending_task() -> int:
    """Send what is still pending (written while the broker was down, or waiting)."""
    from . import outbox

    return outbox.outbox_send_due()
