"""The command center's budget figures name each urusan in the reader's language
(issue 14), also when both languages' copies share one scan (the beat task)."""

import datetime

import pytest
from django.utils import translation

from binjai_portal.core import kpi
from binjai_portal.core.models import Urusan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian_afterwards():
    yield
    translation.activate("id")


@pytest.fixture
def budget_lines(activity, opd_officer, atk, items):
    from budgeting import services

    services.line_add(
        activity=activity,
        actor=opd_officer,
        account=atk,
        price_item_id=items["pen"].pk,
        factors=[("400", "buah"), ("3", "hari")],
    )
    urusan = activity.sub_kegiatan.bidang.parent
    Urusan.objects.filter(pk=urusan.pk).update(name_en="Public Works (English)")
    return Urusan.objects.get(pk=urusan.pk)


def _ceilings(filters):
    return kpi.registry.sections[("budgeting", "ceilings")].compute(filters)


def test_urusan_read_in_english_even_when_both_languages_share_one_scan(budget_lines):
    """The beat task computes both languages in one kpi.sharing() block: what is shared
    must not carry the first language's names into the second's copy."""
    from budgeting.models import Budget

    year = Budget.objects.get().fiscal_year.year
    filters = kpi.Filters(
        kpi.Period(datetime.date(year - 1, 1, 1), datetime.date(year - 1, 12, 31)), fiscal_year=year
    )
    with kpi.sharing():
        with translation.override("id"):
            indonesian = _ceilings(filters).charts[0].labels
        with translation.override("en"):
            english = _ceilings(filters).charts[0].labels
    assert indonesian == (budget_lines.name_ind,)
    assert english == ("Public Works (English)",)


def test_the_budget_list_title_in_english(client, tapd):
    """It read "agency RKA" beside "Standard price list"."""
    from django.urls import reverse

    client.force_login(tapd)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("budgeting:budget-list")).content.decode()
    assert "<title>Agency budget plans (RKA) —" in html
