"""ticket_timeline: the core timeline with e-Masyarakat's anonymity rules.

A confidential reporter is named to moderators and to themself only (not to the agency's
officers, whom the core default would let see any citizen); officers are named to staff
only; a citizen's answer to a question stays in the private thread; a report without an
account was made by 'Pelapor tanpa akun'.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from binjai_portal.accounts.models import Unit
from binjai_portal.core.models import Region
from masyarakat import selectors, services

from .factories import ticket_assigned

pytestmark = pytest.mark.django_db
ANSWER = "Rumah saya di gang tiga, nomor 7"


@pytest.fixture
def confidential(citizen, moderator, opd_officer, category):
    ticket = ticket_assigned(reporter=citizen, moderator=moderator, confidential=True)
    services.ticket_ask_info(ticket=ticket, officer=opd_officer, question="Di mana tepatnya?")
    services.ticket_answer_info(ticket=ticket, reporter=citizen, answer=ANSWER)
    return ticket


def actors(entries):
    return [e.actor for e in entries]


def test_the_public_sees_no_name_and_not_the_private_answer(confidential):
    entries = selectors.ticket_timeline(ticket=confidential, viewer=AnonymousUser())
    shown = " ".join(actors(entries) + [e.note for e in entries])
    for name in ("Siti Aminah", "Dewi OPD", "Hendra Moderator"):
        assert name not in shown
    assert actors(entries)[0] == "Pelapor"
    # the moderator (no unit) as "Petugas", the agency's officer as her agency
    assert {"Petugas", Unit.objects.get(code="dpupr").name} <= set(actors(entries))
    assert ANSWER not in shown


def test_the_reporter_sees_themself_and_their_answer_but_no_officer_name(confidential, citizen):
    entries = selectors.ticket_timeline(ticket=confidential, viewer=citizen)
    assert actors(entries)[0] == "Siti Aminah"
    assert "Dewi OPD" not in actors(entries) and "Hendra Moderator" not in actors(entries)
    assert ANSWER in [e.note for e in entries]


def test_the_agency_officer_sees_officers_but_not_the_confidential_reporter(
    confidential, opd_officer
):
    entries = selectors.ticket_timeline(ticket=confidential, viewer=opd_officer)
    assert "Siti Aminah" not in actors(entries)
    assert actors(entries)[0] == "Pelapor"
    assert {"Dewi OPD", "Hendra Moderator"} <= set(actors(entries))
    assert ANSWER in [e.note for e in entries]


def test_the_moderator_sees_the_confidential_reporter(confidential, moderator):
    entries = selectors.ticket_timeline(ticket=confidential, viewer=moderator)
    assert actors(entries)[0] == "Siti Aminah"


def test_a_public_name_is_shown_unless_the_ticket_is_confidential(citizen, moderator, category):
    ticket = ticket_assigned(reporter=citizen, moderator=moderator, show_name=True)
    assert actors(selectors.ticket_timeline(ticket=ticket, viewer=AnonymousUser()))[0] == (
        "Siti Aminah"
    )
    hidden = ticket_assigned(
        reporter=citizen, moderator=moderator, show_name=True, confidential=True
    )
    assert actors(selectors.ticket_timeline(ticket=hidden, viewer=AnonymousUser()))[0] == (
        "Pelapor"
    )


def test_a_report_without_an_account_was_made_by_the_anonymous_reporter(
    category, moderator, opd_officer
):
    ticket, _secret = services.ticket_create_anonymous(
        category=category,
        title="Lampu jalan mati",
        description="Sudah seminggu gelap.",
        kelurahan=Region.objects.get(code="12.75.02.1001"),
        address="Jl. Samanhudi",
    )
    services.ticket_verify(ticket=ticket, moderator=moderator)
    for viewer in (AnonymousUser(), opd_officer):
        entries = selectors.ticket_timeline(ticket=ticket, viewer=viewer)
        assert actors(entries)[0] == "Pelapor tanpa akun"
    public = selectors.ticket_timeline(ticket=ticket, viewer=AnonymousUser())
    assert "Hendra Moderator" not in actors(public)
    assert "Hendra Moderator" in actors(
        selectors.ticket_timeline(ticket=ticket, viewer=opd_officer)
    )
