"""The rules e-Masyarakat's selectors carry: a list never shows what the detail refuses
(and the other way round), the public list never holds a confidential or unmoderated
complaint, and a confidential reporter's name stays with the moderators."""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from masyarakat import selectors
from tests.masyarakat.factories import category_make, ticket_assigned, ticket_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(citizen, make_citizen, make_staff, moderator):
    roads = category_make()
    health = category_make(code="puskesmas", name="Layanan puskesmas", agency_code="dinkes")
    tickets = {
        "unmoderated": ticket_make(reporter=citizen, category=roads),
        "public": ticket_assigned(reporter=citizen, moderator=moderator, category=roads),
        "confidential": ticket_assigned(
            reporter=citizen, moderator=moderator, category=roads, confidential=True
        ),
        "confidential_dinkes": ticket_assigned(
            reporter=citizen, moderator=moderator, category=health, confidential=True
        ),
    }
    people = {
        "anonim": AnonymousUser(),
        "pelapor": citizen,
        "warga_lain": make_citizen(),
        "moderator": moderator,
        "opd_dpupr": make_staff("petugas_opd", "dpupr"),
        "opd_dinkes": make_staff("petugas_opd", "dinkes"),
        "pimpinan": make_staff("pimpinan"),
    }
    return tickets, people


# Who opens which ticket (the same table as masyarakat.view_ticket's, on saved rows).
VISIBLE = {
    "anonim": {"public"},
    "pelapor": {"unmoderated", "public", "confidential", "confidential_dinkes"},
    "warga_lain": {"public"},
    "moderator": {"unmoderated", "public", "confidential", "confidential_dinkes"},
    "opd_dpupr": {"public", "confidential"},
    "opd_dinkes": {"public", "confidential_dinkes"},
    "pimpinan": {"public"},  # city-wide, but not a handler of complaints
}


@pytest.mark.parametrize("who", VISIBLE)
def test_the_visible_list_is_exactly_what_the_detail_rule_opens(who, world):
    """ticket_list_visible(user) holds a ticket if and only if masyarakat.view_ticket
    lets the user open it: no list shows what a detail refuses."""
    tickets, people = world
    user = people[who]
    listed = set(selectors.ticket_list_visible(user=user).values_list("number", flat=True))
    opened = {
        t.number for t in tickets.values() if rules.has_perm("masyarakat.view_ticket", user, t)
    }
    expected = {tickets[name].number for name in VISIBLE[who]}
    assert listed == opened == expected


def test_the_public_list_never_holds_a_confidential_or_unmoderated_complaint(world):
    """ticket_list_public: moderated and not confidential only, whoever asks."""
    tickets, _people = world
    public = set(selectors.ticket_list_public().values_list("number", flat=True))
    assert public == {tickets["public"].number}


@pytest.mark.parametrize(
    "who, named",
    [
        ("moderator", True),
        ("pelapor", True),
        ("opd_dpupr", False),  # handles it, but the reporter asked to stay unnamed
        ("pimpinan", False),
    ],
)
def test_a_confidential_reporter_is_named_to_moderators_and_themself_only(who, named, world):
    """reporter_label: a confidential reporter's name only to the moderators (and to the
    reporter); the agency working on it reads "Pelapor dirahasiakan"."""
    tickets, people = world
    ticket = tickets["confidential"]
    label = str(selectors.reporter_label(ticket, people[who]))
    assert (label == ticket.reporter.full_name) is named
    if not named:
        assert label == "Pelapor dirahasiakan"
