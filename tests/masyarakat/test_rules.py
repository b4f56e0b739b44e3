"""Who may open a complaint, handle it and see who reported it (masyarakat/rules.py), as
a role × ticket-state table. Each row is one persona; each column a ticket state."""

from __future__ import annotations

import pytest
import rules

from binjai_portal.accounts.models import Unit
from masyarakat.models import Ticket
from tests import personas
from tests.personas import ANON, CITIZEN, SUPERUSER

pytestmark = pytest.mark.django_db
persona = personas.persona  # the fixture

MOD, OPD_IN, OPD_OUT, LEADER = (
    "moderator_pengaduan",
    "petugas_opd@dpupr",
    "petugas_opd@dinkes",
    "pimpinan",
)
PERSONAS = (ANON, CITIZEN, MOD, OPD_IN, OPD_OUT, LEADER, SUPERUSER)
EVERYONE = set(PERSONAS)

# Ticket states: (status, confidential, whose report). The ticket is assigned to DPUPR.
STATES = {
    "public": ("in_progress", False, "other"),
    "unmoderated": ("submitted", False, "other"),
    "rejected": ("rejected", False, "other"),
    "confidential": ("in_progress", True, "other"),
    "anonymous": ("in_progress", False, "nobody"),
    "anonymous_unmoderated": ("submitted", False, "nobody"),
    "own_unmoderated": ("submitted", False, "self"),
    "own_confidential": ("in_progress", True, "self"),
}

# Expected: who holds the rule in each state ("own_*": the persona is the reporter; an
# anonymous visitor cannot be one, so their "own" report is an anonymous report).
HANDLERS = {MOD, OPD_IN, SUPERUSER}
VIEW_TICKET = {
    "public": EVERYONE,
    "unmoderated": HANDLERS,
    "rejected": HANDLERS,
    "confidential": HANDLERS,
    "anonymous": EVERYONE,
    "anonymous_unmoderated": HANDLERS,
    "own_unmoderated": EVERYONE - {ANON},
    "own_confidential": EVERYONE - {ANON},
}
HANDLE_TICKET = dict.fromkeys(STATES, HANDLERS)
VIEW_REPORTER = {
    "public": HANDLERS,
    "unmoderated": HANDLERS,
    "rejected": HANDLERS,
    "confidential": {MOD, SUPERUSER},  # not the agency: a confidential reporter is hidden
    "anonymous": set(),  # nobody to see
    "anonymous_unmoderated": set(),
    "own_unmoderated": EVERYONE - {ANON},
    "own_confidential": EVERYONE - {ANON},
}


@pytest.fixture
def ticket_in(make_citizen):
    agency = Unit.objects.get(code="dpupr")
    other = make_citizen()

    def build(state: str, user) -> Ticket:
        status, confidential, whose = STATES[state]
        reporter = {"other": other, "nobody": None}.get(whose, user)
        if reporter is not None and not reporter.is_authenticated:
            reporter = None
        return Ticket(status=status, confidential=confidential, agency=agency, reporter=reporter)

    return build


def _row(perm, user, ticket_in) -> dict[str, bool]:
    return {s: rules.has_perm(perm, user, ticket_in(s, user)) for s in STATES}


def _expected(table, name) -> dict[str, bool]:
    return {s: name in table[s] for s in STATES}


@pytest.mark.parametrize("name", PERSONAS)
def test_a_ticket_is_open_to_all_when_public_else_to_its_reporter_and_handlers(
    name, persona, ticket_in
):
    """masyarakat.view_ticket: public (moderated, not confidential) to anyone; otherwise
    only its reporter, the moderators and the officers of the agency it is assigned to."""
    assert _row("masyarakat.view_ticket", persona(name), ticket_in) == _expected(VIEW_TICKET, name)


@pytest.mark.parametrize("name", PERSONAS)
def test_moderators_and_the_assigned_agency_handle_a_ticket(name, persona, ticket_in):
    """masyarakat.handle_ticket: moderators and the assigned agency's officers, whatever
    the state; city-wide viewers (pimpinan) are not handlers."""
    row = _row("masyarakat.handle_ticket", persona(name), ticket_in)
    assert row == _expected(HANDLE_TICKET, name)


@pytest.mark.parametrize("name", PERSONAS)
def test_the_reporter_is_named_to_handlers_a_confidential_one_to_moderators_only(
    name, persona, ticket_in
):
    """masyarakat.view_reporter: an anonymous report names nobody; the reporter sees
    themself; a confidential reporter only moderators; otherwise the handlers."""
    row = _row("masyarakat.view_reporter", persona(name), ticket_in)
    assert row == _expected(VIEW_REPORTER, name)
