"""Notifications: an in-app inbox for every user, plus e-mail and SMS/WhatsApp copies.

`notify()` writes the notification and its deliveries in the caller's transaction and
schedules delivery with `transaction.on_commit`. If the broker is down at that moment,
the rows stay pending and the periodic task delivers them later; a delivery is sent
under a row lock and marked sent in the same transaction, so a retried or duplicated
task never sends it twice.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Delivery, Notification
from .sms import get_sms_backend

logger = logging.getLogger(__name__)

EMAIL, SMS = Delivery.Channel.EMAIL, Delivery.Channel.SMS
MAX_ATTEMPTS = 8
SMS_MAX_CHARS = 600


def _enqueue(delivery_ids: list[int]) -> None:
    """Queue one task per delivery; if the broker is down, leave them to the periodic task
    (core/broker.py connects once, without retries, so a dead broker costs no time)."""
    from .broker import enqueue_many
    from .tasks import notification_deliver_task

    if not enqueue_many(notification_deliver_task, [(i,) for i in delivery_ids]):
        logger.warning("deliveries %s stay pending until the broker is back", delivery_ids)


@transaction.atomic
def notify(
    *, recipient, title: str, body: str = "", url: str = "", channels: tuple[str, ...] = (EMAIL,),
) -> Notification:
    """Write an in-app notification and queue its e-mail/SMS copies after commit.

    Text must not contain a NIK: it goes out by e-mail and SMS.
    """
    notification = Notification.objects.create(
        recipient=recipient, title=title[:200], body=body, url=url
    )
    addresses = {
        EMAIL: recipient.email if recipient.email else None,
        SMS: recipient.phone,
    }
    deliveries = [
        Delivery(notification=notification, channel=channel, address=addresses[channel])
        for channel in channels
        if addresses.get(channel)
    ]
    Delivery.objects.bulk_create(deliveries)
    ids = [d.pk for d in deliveries]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return notification


def _send(delivery: Delivery) -> None:
    n = delivery.notification
    link = f"{settings.SITE_URL.rstrip('/')}{n.url}" if n.url and settings.SITE_URL else ""
    if delivery.channel == EMAIL:
        text = "\n\n".join(part for part in (n.body or n.title, link) if part)
        send_mail(f"[{settings.SITE_NAME}] {n.title}", text, None, [delivery.address])
    else:
        # The title leads (not repeated when there is no body); a long body is cut, the link never.
        text = f"{n.title}. {n.body}" if n.body else n.title
        if link:
            text = f"{text[:SMS_MAX_CHARS - len(link) - 1]}\n{link}"
        get_sms_backend().send(to=delivery.address, text=text[:SMS_MAX_CHARS],
                               reference=f"delivery-{delivery.pk}")


class DeliveryFailed(Exception):
    """A transient failure: the task retries with backoff."""


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery exactly once and return its status afterwards.

    The row stays locked while sending and is marked sent in the same transaction,
    so a second task for the same delivery finds it locked or already sent.
    """
    error = None
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:  # being sent by another worker right now, or gone
            return "locked"
        if delivery.status != Delivery.Status.PENDING:
            return delivery.status
        delivery.attempts += 1
        try:
            _send(delivery)
        except Exception as exc:  # noqa: BLE001 - any channel failure is recorded
            error = exc
            delivery.last_error = f"{type(exc).__name__}: {exc}"[:300]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
        else:
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
        delivery.save(
            update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"]
        )
    if error is not None and delivery.status == Delivery.Status.PENDING:
        raise DeliveryFailed(delivery.last_error) from error
    return delivery.status


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff: 30 s, 1 min, 2 min, ... capped at 30 minutes."""
    return datetime.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 30 * 60))


def pending_delivery_ids(*, older_than_seconds: int = 0, limit: int = 500) -> list[int]:
    now = timezone.now()
    cutoff = now - datetime.timedelta(seconds=older_than_seconds)
    return list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, created_at__lte=cutoff)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def notification_list_for_user(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@transaction.atomic
def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, all) of the user's notifications read."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
