"""What the writes of e-Masyarakat share: the limits (photos, reopening, closing on
its own), the touch of a ticket's time and the workflow step (`_act`)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from binjai_portal.core.workflow import transition

from ..models import Ticket
from ..workflows import TICKET

MAX_PHOTOS = 3


REOPEN_DAYS = 7  # calendar days after resolution in which the reporter may reopen


AUTO_CLOSE_DAYS = 7  # calendar days without an answer before a resolved ticket closes


def _touch(ticket: Ticket) -> None:
    ticket.updated_at = timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=ticket.updated_at)


def _act(
    ticket: Ticket,
    *,
    action: str,
    actor,
    note: str = "",
    extra_fields=(),
    today: datetime.date | None = None,
):
    ticket.updated_at = timezone.now()
    return transition(
        ticket,
        workflow=TICKET,
        action=action,
        actor=actor,
        note=note,
        extra_fields=["updated_at", *extra_fields],
        today=today,
    )
