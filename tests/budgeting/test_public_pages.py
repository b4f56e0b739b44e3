"""The public e-Budgeting pages and open data: names in the reader's language (issue 14)
and a bounded number of queries at any number of budget lines (issue 13)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from binjai_portal.accounts.models import Unit
from binjai_portal.core.models import Urusan
from budgeting import selectors, services

from .test_services import add_pen, lock

pytestmark = pytest.mark.django_db
QUERIES = {"index": 9, "apbd": 10, "csv": 4}  # the same at 1 and at 30 budget lines


@pytest.fixture(autouse=True)
def _indonesian_afterwards():
    yield
    translation.activate("id")


def _get(client, url, language):
    client.cookies["django_language"] = language
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def _english_names(activity):
    bidang = activity.sub_kegiatan.bidang
    Urusan.objects.filter(pk=bidang.parent_id).update(name_en="Mandatory Public Works Affairs")
    Urusan.objects.filter(pk=bidang.pk).update(name_en="Public Works Field")
    Unit.objects.filter(pk=activity.budget.agency_id).update(
        name_en="Public Works and Spatial Planning Office"
    )
    return Urusan.objects.get(pk=bidang.parent_id), Unit.objects.get(pk=activity.budget.agency_id)


def _csv(client, fy, language):
    response = _get(client, reverse("budgeting:public-csv", args=[fy.year, fy.version]), language)
    return b"".join(response.streaming_content).decode()


def test_public_page_and_csv_name_urusan_and_agency_in_english(
    client, activity, opd_officer, tapd, atk, items
):
    add_pen(activity, opd_officer, atk, items)
    lock(activity.budget, opd_officer, tapd)
    urusan, agency = _english_names(activity)
    fy = activity.budget.fiscal_year

    english = _get(client, reverse("budgeting:transparency"), "en")
    html = english.content.decode()
    assert "Mandatory Public Works Affairs" in html
    assert "Public Works and Spatial Planning Office" in html
    assert urusan.name_ind not in html and agency.name_ind not in html
    body = _csv(client, fy, "en")
    assert "Mandatory Public Works Affairs" in body and "Public Works Field" in body
    assert "Public Works and Spatial Planning Office" in body

    # the Indonesian reader still reads Indonesian (the summary cache keeps one per language)
    indonesian = _get(client, reverse("budgeting:transparency"), "id")
    html = indonesian.content.decode()
    assert agency.name_ind in html and "Public Works and Spatial Planning Office" not in html
    assert agency.name_ind in _csv(client, fy, "id")


def test_agencies_sort_by_their_name_in_the_readers_language(client, fiscal_year, tapd, items):
    units = list(Unit.objects.filter(kind="opd").order_by("name")[:2])
    # the English names sort the other way round from the Indonesian ones
    Unit.objects.filter(pk=units[0].pk).update(name_en="Zeta Office")
    Unit.objects.filter(pk=units[1].pk).update(name_en="Alpha Office")
    for unit in units:
        services.budget_create(
            fiscal_year=fiscal_year, agency=unit, ceiling=Decimal("10000000"), actor=tapd
        )
    with translation.override("en"):
        names = [b.agency.name for b in selectors.budget_list_for_user(user=tapd)]
    assert names.index("Alpha Office") < names.index("Zeta Office")
    with translation.override("id"):
        names = [b.agency.name for b in selectors.budget_list_for_user(user=tapd)]
    assert names.index(units[0].name) < names.index(units[1].name)


@pytest.mark.parametrize("lines", [1, 30])
def test_public_pages_run_the_same_queries_at_any_number_of_lines(
    client, activity, opd_officer, tapd, atk, items, lines
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from budgeting.selectors.public import public_budget_changed

    for _ in range(lines):
        add_pen(activity, opd_officer, atk, items)
    lock(activity.budget, opd_officer, tapd)
    fy = activity.budget.fiscal_year
    counts = {}
    for name, url in (
        ("index", reverse("budgeting:index")),
        ("apbd", reverse("budgeting:transparency")),
        ("csv", reverse("budgeting:public-csv", args=[fy.year, fy.version])),
    ):
        public_budget_changed()  # the summary computed afresh, not read from the cache
        with CaptureQueriesContext(connection) as queries:
            response = _get(client, url, "id")
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200
        counts[name] = len(queries)
    assert counts == QUERIES, counts
