"""The complaint lists, map and Open311 built from plain values (issue 13): the same
queries at 1 and 30 tickets, names in the reader's language, cards that escape."""

import json

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from binjai_portal.accounts.models import Unit

from .factories import ticket_assigned, ticket_public

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uncached(settings):
    settings.PAGECACHE_ENABLED = False


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def translated(category):
    """The category and its agency with English names beside the Indonesian ones."""
    category.name_en = "Damaged road"
    category.save()
    agency = Unit.objects.get(code="dpupr")
    agency.name_en = "Public Works Agency"
    agency.save()
    return category


@pytest.mark.parametrize(
    "who, name, make",
    [
        (None, "masyarakat:index", ticket_public),
        ("citizen", "masyarakat:my-tickets", ticket_public),
        ("opd_officer", "masyarakat:work-queue", ticket_assigned),
    ],
)
def test_ticket_lists_cost_the_same_queries_at_1_and_30_tickets(
    client, request, citizen, moderator, category, who, name, make, django_assert_num_queries
):
    """The cards were one template include each over model rows with their category,
    kelurahan and kecamatan; now one values() query per page."""
    if who:
        client.force_login(request.getfixturevalue(who))
    make(reporter=citizen, moderator=moderator, category=category)
    path = reverse(name)
    client.get(path)  # the reference memo and the session are filled
    at_one = queries(client, path)
    for _ in range(29):
        make(reporter=citizen, moderator=moderator, category=category)
    with django_assert_num_queries(at_one):
        response = client.get(path)
    assert response.content.decode().count('class="list-group-item py-3') == 20


def test_feed_cards_show_what_the_include_showed(client, citizen, moderator, category):
    ticket = ticket_public(
        reporter=citizen, moderator=moderator, category=category, title="Lubang <b>besar</b>"
    )
    html = client.get(reverse("masyarakat:index")).content.decode()
    assert f'href="{ticket.get_absolute_url()}">Lubang &lt;b&gt;besar&lt;/b&gt;</a>' in html
    assert ticket.number in html
    assert "Jalan rusak" in html  # the category
    assert f"{ticket.kelurahan.name}, {ticket.kelurahan.parent.name}" in html
    assert "Diverifikasi" in html  # the status label
    assert "mas-overdue" not in html  # the public feed shows no SLA


def test_english_readers_get_english_category_names_on_the_map_and_feed(
    client, citizen, moderator, translated
):
    """The English map showed Indonesian category names (a values() lookup through the
    relation reads the base column; modeltranslation rewrites only its own model's)."""
    ticket_public(reporter=citizen, moderator=moderator, category=translated)
    english(client)
    points = json.loads(client.get(reverse("masyarakat:map-data")).content)["points"]
    assert [p["category"] for p in points] == ["Damaged road"]
    assert points[0]["status"] == "Verified"
    feed = client.get(reverse("masyarakat:index")).content.decode()
    assert "Damaged road" in feed
    assert "Jalan rusak" not in feed  # neither in a card nor in the filter's choices
    legend = client.get(reverse("masyarakat:map")).content.decode()
    assert "Damaged road" in legend


def test_indonesian_readers_keep_the_indonesian_names(client, citizen, moderator, translated):
    ticket_public(reporter=citizen, moderator=moderator, category=translated)
    points = json.loads(client.get(reverse("masyarakat:map-data")).content)["points"]
    assert [p["category"] for p in points] == ["Jalan rusak"]
    assert "Jalan rusak" in client.get(reverse("masyarakat:index")).content.decode()


def test_open311_names_the_service_and_agency_in_the_readers_language(
    client, citizen, moderator, translated
):
    ticket = ticket_public(reporter=citizen, moderator=moderator, category=translated)
    path = reverse("open311:o311-requests", kwargs={"fmt": "json"})
    (row,) = json.loads(english(client).get(path).content)
    assert row["service_request_id"] == ticket.number
    assert (row["service_name"], row["service_code"]) == ("Damaged road", "jalan-rusak")
    assert row["agency_responsible"] == "Public Works Agency"
    assert row["address"] == f"{ticket.address}, {ticket.kelurahan.name}"
    assert row["address_id"] == ticket.kelurahan.code
    assert row["status"] == "open"


def test_a_renamed_category_shows_at_once_in_the_feed_filter(client, citizen, moderator, category):
    """The categories are memoised per process; a save bumps their generation."""
    ticket_public(reporter=citizen, moderator=moderator, category=category)
    assert "Jalan rusak" in client.get(reverse("masyarakat:index")).content.decode()
    category.name = "Jalan berlubang"
    category.save()
    html = client.get(reverse("masyarakat:index")).content.decode()
    assert '<option value="jalan-rusak">Jalan berlubang</option>' in html


def test_the_memo_spares_the_reference_queries(client, citizen, moderator, category):
    ticket_public(reporter=citizen, moderator=moderator, category=category)
    first = queries(client, reverse("masyarakat:index"))
    assert queries(client, reverse("masyarakat:index")) == first - 2
