"""The public e-Dokter pages: query counts that do not grow with the polis, and the TV
board's fragment cache, dropped by the queue services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import PoliFactory, ScheduleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def uncached(settings):
    settings.PAGECACHE_ENABLED = False


def polis(facility, n):
    for _ in range(n):
        ScheduleFactory(poli=PoliFactory(facility=facility))


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["index", "facility", "board"])
def test_public_pages_cost_the_same_queries_at_2_and_20_polis(
    client, facility, page, uncached, django_assert_num_queries
):
    path = {
        "index": reverse("dokter:index"),
        "facility": reverse("dokter:facility-detail", args=[facility.unit.code]),
        "board": reverse("dokter:display-board", args=[facility.unit.code]),
    }[page]
    polis(facility, 2)
    at_two = queries(client, path)
    polis(facility, 18)
    if page == "board":
        from django.core.cache import cache

        cache.clear()  # the board's state is cached until the queue changes
    with django_assert_num_queries(at_two):
        assert client.get(path).status_code == 200


def test_board_fragment_is_rebuilt_when_the_state_changes(client, facility):
    polis(facility, 1)
    path = reverse("dokter:display-board", args=[facility.unit.code])
    first = client.get(path).content
    assert client.get(path).content == first  # from the cache
    PoliFactory(facility=facility, name="Poli Gigi Baru")
    from django.core.cache import cache

    from dokter.services import display_cache_key

    cache.delete(display_cache_key(facility.pk))  # what the queue services do on commit
    assert "Poli Gigi Baru" in client.get(path).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_booking_invalidates_the_cached_public_pages(client, citizen, schedule, facility):
    """Bookings are inserted with raw SQL (no save signal): the service's queue-change hook
    bumps e-Dokter's page generation when the booking commits (real commits here)."""
    from .test_views import book

    path = reverse("dokter:facility-detail", args=[facility.unit.code])
    client.get(path)
    assert client.get(path)["X-Page-Cache"] == "hit"
    book(citizen, schedule)
    assert client.get(path)["X-Page-Cache"] == "miss"


@pytest.mark.django_db(transaction=True)
def test_the_board_is_a_cached_public_page_dropped_by_a_booking(
    client, citizen, schedule, facility, django_assert_num_queries
):
    """The TV board comes from the public page cache (no query, no session) until the
    booking service commits a queue change."""
    from .test_views import book

    path = reverse("dokter:display-board", args=[facility.unit.code])
    assert client.get(path)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        hit = client.get(path)
    assert hit["X-Page-Cache"] == "hit" and hit["Cache-Control"] == "no-store"
    book(citizen, schedule)
    assert client.get(path)["X-Page-Cache"] == "miss"
