"""Who may see the photos of a complaint (uploads policy)."""

from __future__ import annotations

from .models import Ticket


def _visible(user, tickets) -> bool:
    from .selectors import is_handler

    for ticket in tickets:
        if ticket.is_public:
            return True
        if user.is_authenticated and (ticket.reporter_id == user.pk or is_handler(user, ticket)):
            return True
    return False


def photo_visible(user, upload) -> bool:
    return _visible(user, Ticket.objects.filter(photos=upload))


def resolution_visible(user, upload) -> bool:
    return _visible(user, Ticket.objects.filter(resolution_photo=upload))
