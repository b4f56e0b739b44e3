"""The public e-Musrenbang pages: query counts that do not grow with the rows, and the
anonymous page cache, which the services invalidate (binjai_portal/core/pagecache.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from musrenbang import services
from musrenbang.models import Status

from .test_views import bulk

pytestmark = pytest.mark.django_db


@pytest.fixture
def uncached(settings):
    settings.PAGECACHE_ENABLED = False


def queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["musrenbang:index", "musrenbang:map"])
def test_list_and_map_cost_the_same_queries_at_2_and_40_rows(
    client, cycle, citizen, name, uncached, django_assert_num_queries
):
    bulk(cycle, citizen, 2)
    client.get(reverse("musrenbang:index"))  # the filter's choices are cached from now on
    at_two = queries(client, reverse(name))
    bulk(cycle, citizen, 38, start=2000)
    with django_assert_num_queries(at_two):
        response = client.get(reverse(name))
    assert (
        response.content.decode().count('class="list-group-item mus-item"') == 20
        if (name == "musrenbang:index")
        else 40
    )


def test_list_filters_choices_are_read_once_then_cached(
    client, cycle, citizen, uncached, django_assert_max_num_queries
):
    """The filter form's four choice lists (cycles, kecamatan, kelurahan, bidang) come from
    the cache after the first request: the second page costs four queries less."""
    bulk(cycle, citizen, 2)
    first = queries(client, reverse("musrenbang:index"))
    with django_assert_max_num_queries(first - 4):
        response = client.get(reverse("musrenbang:index"), {"status": "submitted"})
    html = response.content.decode()
    assert '<option value="submitted" selected>' in html
    assert "Semua kelurahan" in html and "Berngam" in html


def test_detail_costs_the_same_queries_at_2_and_40_supports(
    client, make_proposal, make_citizen, uncached, django_assert_num_queries
):
    p = make_proposal(Status.SUBMITTED)
    for _ in range(2):
        services.proposal_support(proposal=p, user=make_citizen())
    at_two = queries(client, p.get_absolute_url())
    for _ in range(38):
        services.proposal_support(proposal=p, user=make_citizen())
    with django_assert_num_queries(at_two):
        response = client.get(p.get_absolute_url())
    assert "40 dukungan" in response.content.decode()


def test_own_list_costs_the_same_queries_at_2_and_12_proposals(
    client, make_proposal, citizen, django_assert_num_queries
):
    """'Usulan saya' reads every proposal's history in one query, not one per row."""
    for _ in range(2):
        make_proposal(Status.SUBMITTED)
    client.force_login(citizen)
    at_two = queries(client, reverse("musrenbang:mine"))
    for _ in range(10):
        make_proposal(Status.SUBMITTED)
    with django_assert_num_queries(at_two):
        response = client.get(reverse("musrenbang:mine"))
    assert response.content.decode().count("<details>") == 12


def test_own_list_is_paged_so_a_long_history_costs_one_page(
    client, make_proposal, citizen, django_assert_num_queries
):
    for _ in range(25):
        make_proposal(Status.SUBMITTED)
    client.force_login(citizen)
    at_page_one = queries(client, reverse("musrenbang:mine"))
    first = client.get(reverse("musrenbang:mine")).content.decode()
    with django_assert_num_queries(at_page_one):
        second = client.get(reverse("musrenbang:mine"), {"page": 2}).content.decode()
    assert first.count("<details>") == 20 and second.count("<details>") == 5
    assert "Halaman 1 dari 2" in first


def test_anonymous_list_is_cached_and_shows_a_new_proposal_at_once(
    client, make_proposal, django_capture_on_commit_callbacks
):
    first = make_proposal(Status.SUBMITTED, title="Lampu jalan Gang Mawar")
    assert client.get(reverse("musrenbang:index"))["X-Page-Cache"] == "miss"
    response = client.get(reverse("musrenbang:index"))
    assert response["X-Page-Cache"] == "hit"
    assert first.title in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        second = make_proposal(Status.SUBMITTED, title="Taman baca RW 03")
    response = client.get(reverse("musrenbang:index"))
    assert response["X-Page-Cache"] == "miss"
    assert second.title in response.content.decode()


def test_verifying_a_proposal_shows_its_new_status_on_the_cached_map_and_detail(
    client, make_proposal, kelurahan_officer, django_capture_on_commit_callbacks
):
    p = make_proposal(Status.SUBMITTED, latitude="3.600000", longitude="98.485000")
    for url in (reverse("musrenbang:map"), p.get_absolute_url()):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_act(proposal=p, actor=kelurahan_officer, action="verify")
    for url in (reverse("musrenbang:map"), p.get_absolute_url()):
        assert "Terverifikasi kelurahan" in client.get(url).content.decode()


def test_support_count_is_fresh_on_the_cached_list(client, make_proposal, make_citizen):
    p = make_proposal(Status.SUBMITTED)
    client.get(reverse("musrenbang:index"))
    services.proposal_support(proposal=p, user=make_citizen())
    assert "1 dukungan" in client.get(reverse("musrenbang:index")).content.decode()


def test_logged_in_page_is_never_served_from_or_stored_in_the_cache(client, make_proposal, citizen):
    make_proposal(Status.SUBMITTED)
    client.force_login(citizen)
    response = client.get(reverse("musrenbang:index"))
    assert "X-Page-Cache" not in response
    assert "Usulan saya" in response.content.decode()
    client.logout()
    anonymous = client.get(reverse("musrenbang:index"))
    assert anonymous["X-Page-Cache"] == "miss"
    html = anonymous.content.decode()
    assert citizen.full_name not in html and "Usulan saya" not in html
