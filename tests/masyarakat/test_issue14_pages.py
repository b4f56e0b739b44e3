"""Issue 14, e-Masyarakat as officers and citizens meet it: overdue tickets stand out (in
words, not only colour), officers are not offered "Saya juga mengalami", the rating is a
group of labelled stars, the kelurahan comes from the profile."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from masyarakat import services

from .factories import ticket_assigned, ticket_make, ticket_public

pytestmark = pytest.mark.django_db
QUEUE = reverse("masyarakat:work-queue")


@pytest.fixture
def overdue(citizen, category, moderator):
    """Assigned on 25 Nov 2026 at the latest... seen on 2 Dec: days past its deadline."""
    ticket = ticket_assigned(
        reporter=citizen,
        moderator=moderator,
        category=category,
        today=datetime.date(2026, 11, 2),
    )
    assert ticket.sla_due < datetime.date(2026, 12, 2)
    return ticket


def _today(monkeypatch, day):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)


def test_an_overdue_ticket_stands_out_in_the_queue_and_on_its_page(
    client, overdue, opd_officer, monkeypatch
):
    _today(monkeypatch, datetime.date(2026, 12, 2))
    late = (datetime.date(2026, 12, 2) - overdue.sla_due).days
    client.force_login(opd_officer)
    queue = client.get(QUEUE).content.decode()
    item = queue[queue.index('data-testid="overdue-item"') :]
    item = item[: item.index("</li>")]
    assert overdue.number in item and f"Lewat {late} hari" in item
    page = client.get(overdue.get_absolute_url()).content.decode()
    assert 'data-testid="overdue"' in page and f"Lewat batas waktu {late} hari" in page
    assert 'id="mas-ticket-map"' in page  # the location, on a map
    assert "bp-narrow" not in page  # the full width of an officer's screen


def test_a_ticket_within_its_deadline_is_not_marked(client, overdue, opd_officer, monkeypatch):
    _today(monkeypatch, overdue.sla_due)
    client.force_login(opd_officer)
    assert 'data-testid="overdue' not in client.get(QUEUE).content.decode()
    assert 'data-testid="overdue"' not in client.get(overdue.get_absolute_url()).content.decode()


def test_officers_are_not_offered_me_too(client, citizen, category, moderator, make_staff):
    ticket = ticket_public(reporter=citizen, moderator=moderator, category=category)
    officer = make_staff("petugas_opd", "dlh", full_name="Dodi DLH")
    client.force_login(officer)
    assert "Saya juga mengalami" not in client.get(ticket.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError):
        services.ticket_me_too(ticket=ticket, user=officer)
    assert client.post(reverse("masyarakat:ticket-me-too", args=[ticket.number])).status_code == 302
    ticket.refresh_from_db()
    assert ticket.me_too_count == 0


def test_the_rating_is_labelled_stars(client, citizen, category, moderator, opd_officer):
    ticket = ticket_assigned(reporter=citizen, moderator=moderator, category=category)
    services.ticket_resolve(ticket=ticket, officer=opd_officer, response="Sudah ditambal.")
    client.force_login(citizen)
    html = client.get(ticket.get_absolute_url()).content.decode()
    group = html[html.index('class="mas-stars"') :]
    group = group[: group.index("</div>")]
    assert group.count('type="radio"') == 5
    assert "1 bintang" in group and "Sangat tidak puas" in group and "Sangat puas" in group
    assert "<legend" in html[: html.index('class="mas-stars"')][-600:]  # a named radio group


def test_the_kelurahan_comes_from_the_profile(client, citizen):
    client.force_login(citizen)
    form = client.get(reverse("masyarakat:ticket-new")).context["form"]
    assert citizen.kelurahan is not None
    assert form["kelurahan"].value() == citizen.kelurahan.code


def test_the_queue_costs_the_same_at_5_and_50_tickets(
    client, citizen, category, moderator, django_assert_max_num_queries
):
    client.force_login(moderator)

    def queries(n):
        for _ in range(n):
            ticket_make(reporter=citizen, category=category)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(QUEUE).status_code == 200
        return len(ctx)

    assert queries(5) == queries(45)


def test_map_points_carry_state_and_category_icon(
    client, citizen, category, rubbish_category, moderator
):
    ticket_public(reporter=citizen, moderator=moderator, category=category)
    ticket_assigned(reporter=citizen, moderator=moderator, category=rubbish_category)
    points = client.get(reverse("masyarakat:map-data")).json()["points"]
    assert {(p["state"], p["icon"]) for p in points} == {
        ("new", "cone-striped"),
        ("working", "trash"),
    }
    filtered = client.get(reverse("masyarakat:map-data"), {"category": "sampah"}).json()
    assert [p["icon"] for p in filtered["points"]] == ["trash"]
    page = client.get(reverse("masyarakat:map"), {"status": "open"}).content.decode()
    assert 'data-testid="map-legend"' in page and "Sampah tidak diangkut" in page
    assert 'name="category"' in page and 'name="status"' in page
