"""A generic outbox for outbound integration calls (BPJS antreanrest, SATUSEHAT, ...).

`outbox_write()` records the call in the caller's transaction and queues its sending
with `transaction.on_commit`; if the broker is down the row stays pending and the
periodic task sends it later (never lost). A `dedupe_key` makes a second write of the
same call a no-op, and the sender works under a lease like the notification outbox
(`binjai_portal.core.notifications`): it claims the row with one conditional UPDATE,
calls the outside system with no transaction open, and records the outcome (never
sent twice by two workers; a crashed worker's lease runs out). Calls that share an
`ordering_key` go out in the order they were written.

Each app registers a handler per `kind` from its `AppConfig.ready()`:

    @outbox.handler("bpjs.antrean")
    def send(message: OutboxMessage) -> dict: ...   # raise OutboxError to retry

A handler returns a JSON-able result, raises `OutboxError` (retried with exponential
backoff until MAX_ATTEMPTS, then failed) or `OutboxError(permanent=True)` (failed at
once, e.g. the outside system refused the content). Its error text, with the outside
system's answer, is what the facility's admin sees.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

Status = OutboxMessage.Status
MAX_ATTEMPTS = 10
LEASE_SECONDS = 120
_HANDLERS: dict[str, Callable[[OutboxMessage], dict | None]] = {}


class OutboxError(Exception):
    """A failed call. `permanent`: do not retry (the content was refused)."""

    def __init__(self, message: str, *, permanent: bool = False, answer=None):
        super().__init__(message)
        self.permanent = permanent
        self.answer = answer


def handler(kind: str):
    def register(fn):
        _HANDLERS[kind] = fn
        return fn

    return register


def _enqueue(ids: list[int]) -> None:
    from .broker import enqueue_many
    from .tasks import outbox_send_task

    if not enqueue_many(outbox_send_task, [(i,) for i in ids]):
        logger.warning("outbox messages %s stay pending until the broker is back", ids)


def outbox_write(
    *,
    system: str,
    kind: str,
    scope: str,
    payload: dict,
    ordering_key: str = "",
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Record one outbound call in the caller's transaction; None if `dedupe_key` was
    already written (the call is already in the outbox)."""
    message = OutboxMessage(
        system=system,
        kind=kind,
        scope=scope,
        payload=payload,
        ordering_key=ordering_key,
        dedupe_key=dedupe_key,
    )
    with transaction.atomic():
        created = OutboxMessage.objects.bulk_create([message], ignore_conflicts=True)
    if dedupe_key is not None:
        message = OutboxMessage.objects.filter(dedupe_key=dedupe_key).first()
        if message is None or message.idempotency_key != created[0].idempotency_key:
            return None
    transaction.on_commit(lambda: _enqueue([message.pk]))
    return message


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff from OUTBOX_RETRY_BASE_SECONDS, at most one hour."""
    base = settings.OUTBOX_RETRY_BASE_SECONDS
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def _claim(message_id: int) -> uuid.UUID | None:
    now = timezone.now()
    token = uuid.uuid4()
    row = OutboxMessage.objects.filter(pk=message_id).values("ordering_key").first()
    if row is None:
        return None
    if row["ordering_key"]:
        earlier = OutboxMessage.objects.filter(
            ordering_key=row["ordering_key"], status=Status.PENDING, pk__lt=message_id
        )
        if earlier.exists():
            return None
    taken = (
        OutboxMessage.objects.filter(pk=message_id, status=Status.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(
            claimed_until=now + datetime.timedelta(seconds=LEASE_SECONDS),
            claim_token=token,
            attempts=F("attempts") + 1,
        )
    )
    return token if taken else None


def outbox_send(*, message_id: int) -> str:
    """Send one message unless it is settled, claimed, backing off or behind an earlier
    message of its ordering key; return its status afterwards ("waiting" when not sent
    now)."""
    token = _claim(message_id)
    if token is None:
        status = OutboxMessage.objects.filter(pk=message_id).values_list("status", flat=True)
        status = status.first()
        return "missing" if status is None else ("waiting" if status == Status.PENDING else status)
    message = OutboxMessage.objects.get(pk=message_id)
    send = _HANDLERS.get(message.kind)
    try:
        if send is None:
            raise OutboxError(f"no handler for {message.kind}", permanent=True)
        result = send(message)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
        permanent = getattr(exc, "permanent", False)
        answer = getattr(exc, "answer", None)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        give_up = permanent or message.attempts >= MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=message_id, claim_token=token).update(
            status=Status.FAILED if give_up else Status.PENDING,
            last_error=error,
            result=answer,
            next_attempt_at=timezone.now() + retry_delay(message.attempts),
            claimed_until=None,
            claim_token=None,
        )
        logger.warning(
            "outbox %s %s attempt %s: %s", message.kind, message_id, message.attempts, error
        )
        return Status.FAILED if give_up else "retry"
    OutboxMessage.objects.filter(pk=message_id, status=Status.PENDING).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        result=result,
        last_error="",
        claimed_until=None,
        claim_token=None,
    )
    return Status.SENT


def outbox_due_ids(*, limit: int = 500) -> list[int]:
    now = timezone.now()
    return list(
        OutboxMessage.objects.filter(status=Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_send_due(*, limit: int = 500) -> int:
    """Send every due message once, in order (the periodic task; tests use it as the
    worker). Returns how many were sent."""
    sent = 0
    for message_id in outbox_due_ids(limit=limit):
        if outbox_send(message_id=message_id) == Status.SENT:
            sent += 1
    return sent


def outbox_retry(*, message: OutboxMessage) -> OutboxMessage:
    """Put a failed message back in the queue (the admin's "send again")."""
    OutboxMessage.objects.filter(pk=message.pk, status=Status.FAILED).update(
        status=Status.PENDING, next_attempt_at=None, attempts=0
    )
    transaction.on_commit(lambda: _enqueue([message.pk]))
    message.refresh_from_db()
    return message


def outbox_summary(*, scope: str) -> dict[str, dict]:
    """Per system of one scope: last success, backlog (pending), failures (failed)."""
    rows = (
        OutboxMessage.objects.filter(scope=scope)
        .values("system")
        .annotate(
            last_success=Max("sent_at"),
            backlog=Count("pk", filter=Q(status=Status.PENDING)),
            failed=Count("pk", filter=Q(status=Status.FAILED)),
            retrying=Count("pk", filter=Q(status=Status.PENDING) & ~Q(last_error="")),
        )
    )
    return {row["system"]: row for row in rows}


def outbox_failures(*, scope: str, limit: int = 20):
    return (
        OutboxMessage.objects.filter(scope=scope)
        .filter(Q(status=Status.FAILED) | (Q(status=Status.PENDING) & ~Q(last_error="")))
        .order_by("-pk")[:limit]
    )
