"""The command center's budget figures follow the fiscal year chosen in its filters
(issue 14: "Tahun ini" showed 0 and "—", the 2027 budget being drawn up never appeared)."""

import datetime

from django.urls import reverse

from binjai_portal.core import kpi

from .conftest import YEAR

THIS_YEAR = kpi.Period(datetime.date(YEAR - 1, 1, 1), datetime.date(YEAR - 1, 6, 30))


def _value(key, **filters):
    return kpi.registry.figures[("budgeting", key)].compute(kpi.Filters(THIS_YEAR, **filters)).value


def test_next_years_budget_by_default_and_any_year_by_choice(budget):
    # this year's period: the budget for next year, which is being drawn up now
    assert _value("ceiling_use") is not None
    assert _value("ceiling_use", fiscal_year=YEAR) == _value("ceiling_use")
    # a year with no budget: nothing to show, not next year's figures
    assert _value("ceiling_use", fiscal_year=YEAR - 1) is None


def test_the_overview_offers_the_fiscal_year(client, leader, budget):
    client.force_login(leader)
    page = client.get(reverse("command_center:index"), {"periode": "year"})
    html = page.content.decode()
    assert 'name="tahun_anggaran"' in html and f'<option value="{YEAR}"' in html
    chosen = client.get(
        reverse("command_center:index"), {"periode": "year", "tahun_anggaran": YEAR - 1}
    )
    assert chosen.status_code == 200
    assert chosen.context["filters"].fiscal_year == YEAR - 1
    bad = client.get(reverse("command_center:index"), {"tahun_anggaran": "x"})
    assert bad.status_code == 200 and bad.context["filters"].fiscal_year is None
