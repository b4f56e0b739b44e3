"""What the public list, the map, 'Usulan saya' and the officers' queue cost: the same
queries at 1 and 30 proposals (uncached), and the cards written in Python
(musrenbang/rendering.py) still say what the template said, in the reader's language."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from binjai_portal.core.models import Region
from musrenbang.models import Proposal

from .test_views import bulk

pytestmark = pytest.mark.django_db

EN = {"cookie": "django_language=en"}

PAGES = {
    "musrenbang:index": None,
    "musrenbang:map": None,
    "musrenbang:mine": "citizen",
    "musrenbang:work-queue": "kelurahan_officer",
}


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_costs_the_same_queries_at_1_and_30_proposals(
    client, request, settings, cycle, citizen, kelurahan, name, django_assert_num_queries
):
    settings.PAGECACHE_ENABLED = False
    if PAGES[name]:
        client.force_login(request.getfixturevalue(PAGES[name]))
    bulk(cycle, citizen, 1)
    Proposal.objects.update(kelurahan=kelurahan)  # the officer's: one row on the queue
    client.get(reverse(name))  # the filter's choices are kept from now on
    at_one = _queries(client, reverse(name))
    bulk(cycle, citizen, 29, start=2000)
    Proposal.objects.update(kelurahan=kelurahan)
    with django_assert_num_queries(at_one):
        client.get(reverse(name))
    with django_assert_num_queries(at_one):  # a filtered list too
        client.get(reverse(name), {"status": "submitted"})


def test_cards_show_title_status_and_kelurahan_in_english(client, settings, cycle, citizen):
    settings.PAGECACHE_ENABLED = False
    bulk(cycle, citizen, 3)
    village = Region.objects.get(pk=cycle.proposals.get(title="Usulan 0").kelurahan_id)
    for name in ("musrenbang:index", "musrenbang:map"):
        html = client.get(reverse(name), headers=EN).content.decode()
        card = html[html.index('<li class="list-group-item mus-item">') :]
        card = card[: card.index("</li>")]
        assert "Usulan" in card and "Submitted" in card and "Diajukan" not in card
        assert f"Kel. {village.name}" in html and f"Kec. {village.parent.name}" in html
        assert 'href="/musrenbang/usulan/' in card and "1 supporter" in html
    html = client.get(reverse("musrenbang:index")).content.decode()
    assert "Diajukan" in html and "dukungan" in html


def test_the_filter_form_keeps_its_choice_and_says_what_is_wrong(client, cycle, citizen):
    bulk(cycle, citizen, 2)
    html = client.get(reverse("musrenbang:index"), {"status": "submitted"}).content.decode()
    assert '<option value="submitted" selected>' in html
    assert '<label for="id_kelurahan">Kelurahan:</label>' in html
    wrong = client.get(reverse("musrenbang:index"), {"status": "nope"})
    assert wrong.status_code == 200
    assert "bp-field--invalid" in wrong.content.decode()
    english = client.get(reverse("musrenbang:index"), headers=EN).content.decode()
    assert "All statuses" in english and "Semua status" not in english


def test_own_list_shows_each_history_in_english(client, make_proposal, citizen):
    from musrenbang.models import Status

    make_proposal(Status.SUBMITTED, title="Lampu jalan Gang Mawar")
    client.force_login(citizen)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("musrenbang:mine")).content.decode()
    assert "Lampu jalan Gang Mawar" in html and "Status history" in html
    assert "Submitted" in html
