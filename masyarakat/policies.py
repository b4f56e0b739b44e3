"""Who may see the photos of a complaint (uploads policy): whoever may open the ticket,
by the same selector as the ticket's page."""

from __future__ import annotations


def photo_visible(user, upload) -> bool:
    from .selectors import ticket_list_visible

    return ticket_list_visible(user=user).filter(photos=upload).exists()


def resolution_visible(user, upload) -> bool:
    from .selectors import ticket_list_visible

    return ticket_list_visible(user=user).filter(resolution_photo=upload).exists()
