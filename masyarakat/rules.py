"""Who may do what with a complaint (django-rules; see binjai_portal/core/permissions.py).

The steps of a ticket (verify, assign, resolve, ...) are the workflow's (workflows.py);
the list a user may see is `selectors.ticket_list_visible`, the queryset form of
"masyarakat.view_ticket" (tests/masyarakat/test_selectors.py holds them together).
"""

from __future__ import annotations

import rules

from binjai_portal.accounts import roles
from binjai_portal.core.permissions import has_role, is_signed_in

is_moderator = has_role(roles.MODERATOR_PENGADUAN)


@rules.predicate
def is_reporter(user, ticket) -> bool:
    return bool(user is not None and user.is_authenticated and ticket.reporter_id == user.pk)


@rules.predicate
def is_assigned_agency_officer(user, ticket) -> bool:
    """An OPD officer of the agency the ticket is assigned to."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.has_role(roles.PETUGAS_OPD)
        and ticket.agency_id
        and user.unit_id == ticket.agency_id
    )


@rules.predicate
def is_public(user, ticket) -> bool:
    """Moderated and not confidential: anyone may read it."""
    return bool(ticket.is_public)


@rules.predicate
def is_anonymous(user, ticket) -> bool:
    return bool(ticket.is_anonymous)


@rules.predicate
def is_confidential(user, ticket) -> bool:
    return bool(ticket.confidential)


#: Handles a ticket: a moderator, or an officer of the agency it is assigned to (the
#: same rule as `selectors._handler_q`, for a ticket already loaded).
handles_ticket = is_signed_in & (is_moderator | is_assigned_agency_officer)

rules.add_perm("masyarakat.handle_ticket", handles_ticket)

#: Opens a ticket: anyone when it is public; else its reporter and its handlers.
rules.add_perm("masyarakat.view_ticket", is_public | is_reporter | handles_ticket)

#: Sees who reported it: never for an anonymous report; the reporter; a confidential
#: reporter only to moderators; otherwise the handlers.
rules.add_perm(
    "masyarakat.view_reporter",
    ~is_anonymous
    & (
        is_reporter
        | (is_confidential & is_signed_in & is_moderator)
        | (~is_confidential & handles_ticket)
    ),
)
