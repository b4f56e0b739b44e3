"""The service level: reminders before a ticket's due date and the escalation after
it, each sent once per ticket and level (core `once`)."""

from __future__ import annotations

import datetime

import rules
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from binjai_portal.accounts import roles
from binjai_portal.core import workdays
from binjai_portal.core.notifications import Text, notify
from binjai_portal.core.once import once, once_taken

from ..models import Ticket
from ..workflows import agency_officers

REMINDER, OVERDUE = "reminder", "overdue"  # the once keys' levels, as the Escalation rows had


def _escalate(ticket: Ticket, level: str, recipients, title: Text, neutral_title: Text) -> bool:
    """Notify once per ticket and level (core `once`). A recipient who may not open the
    ticket (e.g. the mayor's office for a confidential report) gets `neutral_title`, the
    ticket number only: no title, no text and no link to a page that would refuse them."""
    with transaction.atomic():
        if not once(_once_key(ticket, level)):
            return False  # already sent for this ticket and level (maybe by another worker)
        seen = set()
        for r in recipients:
            if r.pk in seen:
                continue
            seen.add(r.pk)
            if rules.has_perm("masyarakat.view_ticket", r, ticket):
                notify(
                    recipient=r,
                    title=title,
                    body=Text.plain(ticket.title),
                    url=ticket.get_absolute_url(),
                )
            else:
                notify(recipient=r, title=neutral_title)
    return True


def _once_key(ticket: Ticket, level: str) -> str:
    return f"masyarakat.{level}:{ticket.pk}"


def _not_sent(tickets, level: str) -> list[Ticket]:
    tickets = list(tickets)
    sent = once_taken(_once_key(t, level) for t in tickets)
    return [t for t in tickets if _once_key(t, level) not in sent]


def _escalation_moderators():
    """The complaint moderators who hear of an overdue ticket from e-Masyarakat itself.
    Leaders (pimpinan) are not among them, even when they moderate as well: they hear of
    it once, from the command center's alert (masyarakat.metrics `overdue_alerts`), whose
    text follows the stricter privacy rule (number and category, never the title)."""
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(groups__name=roles.MODERATOR_PENGADUAN, is_active=True)
        .exclude(groups__name=roles.PIMPINAN)
        .distinct()
    )


def ticket_sla_check(*, today: datetime.date | None = None) -> dict[str, int]:
    """Remind the agency one working day before the due date; escalate overdue tickets
    to the agency and the moderators (the leaders get the command center's alert instead).
    Once per ticket and level (core `once`): a second run, or a second worker, sends
    nothing."""
    today = today or timezone.localdate()
    tomorrow = workdays.add_working_days(today, 1)
    working = Ticket.objects.filter(status__in=Ticket.WORKING_STATES, sla_due__isnull=False)
    result = {"reminder": 0, "overdue": 0}
    overdue = _not_sent(working.filter(sla_due__lt=today).select_related("agency"), OVERDUE)
    top = _escalation_moderators() if overdue else []
    for t in overdue:
        title = Text(gettext_lazy("Lewat batas waktu: %(n)s (%(a)s)"), n=t.number, a=str(t.agency))
        neutral = Text(gettext_lazy("Pengaduan %(n)s lewat batas waktu"), n=t.number)
        if _escalate(t, OVERDUE, [*agency_officers(t), *top], title, neutral):
            result["overdue"] += 1
    soon = _not_sent(
        working.filter(sla_due__gte=today, sla_due__lte=tomorrow).select_related("agency"),
        REMINDER,
    )
    for t in soon:
        title = Text(gettext_lazy("Batas waktu %(d)s: %(n)s"), n=t.number, d=t.sla_due)
        neutral = Text(gettext_lazy("Pengaduan %(n)s mendekati batas waktu"), n=t.number)
        if _escalate(t, REMINDER, agency_officers(t), title, neutral):
            result["reminder"] += 1
    return result
