"""The public complaint pages and Open311: query counts that do not grow with the rows,
and the anonymous page cache, which the services invalidate."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from masyarakat import services

from .factories import ticket_make, ticket_public

pytestmark = pytest.mark.django_db

PAGES = ["masyarakat:index", "masyarakat:map-data", "open311:o311-requests"]


def url(name: str) -> str:
    return reverse(name, kwargs={"fmt": "json"}) if name.startswith("open311") else reverse(name)


@pytest.fixture
def uncached(settings):
    settings.PAGECACHE_ENABLED = False


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", PAGES)
def test_public_pages_cost_the_same_queries_at_2_and_40_tickets(
    client,
    citizen,
    moderator,
    category,
    rubbish_category,
    name,
    uncached,
    django_assert_num_queries,
):
    """Open311 read each ticket's category agency with a query of its own (19 extra at
    demo size) before the join. (The first request fills the reference memo.)"""
    for i in range(2):
        ticket_public(
            reporter=citizen, moderator=moderator, category=rubbish_category if i % 2 else category
        )
    client.get(url(name))
    at_two = queries(client, url(name))
    for i in range(38):
        ticket_public(
            reporter=citizen, moderator=moderator, category=rubbish_category if i % 2 else category
        )
    with django_assert_num_queries(at_two):
        assert client.get(url(name)).status_code == 200


def test_public_detail_costs_the_same_queries_at_2_and_40_me_too(
    client, citizen, make_citizen, moderator, category, uncached, django_assert_num_queries
):
    ticket = ticket_public(reporter=citizen, moderator=moderator, category=category)
    for _ in range(2):
        services.ticket_me_too(ticket=ticket, user=make_citizen())
    path = reverse("masyarakat:ticket-detail", args=[ticket.number])
    at_two = queries(client, path)
    for _ in range(38):
        services.ticket_me_too(ticket=ticket, user=make_citizen())
    with django_assert_num_queries(at_two):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_verified_ticket_appears_at_once_on_the_cached_pages(
    client, citizen, moderator, category, name, django_capture_on_commit_callbacks
):
    ticket_public(reporter=citizen, moderator=moderator, category=category)
    client.get(url(name))
    assert client.get(url(name))["X-Page-Cache"] == "hit"
    new = ticket_make(reporter=citizen, category=category, title="Lampu jalan padam total")
    assert new.number not in client.get(url(name)).content.decode()  # not moderated yet
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_verify(ticket=new, moderator=moderator)
    response = client.get(url(name))
    assert response["X-Page-Cache"] == "miss"
    body = response.content.decode()
    assert new.number in body or new.title in body


def test_open311_with_an_api_key_header_is_not_served_from_the_cache(
    client, citizen, moderator, category
):
    ticket_public(reporter=citizen, moderator=moderator, category=category)
    client.get(url("open311:o311-requests"))
    response = client.get(url("open311:o311-requests"), HTTP_AUTHORIZATION="Token abc")
    assert "X-Page-Cache" not in response
