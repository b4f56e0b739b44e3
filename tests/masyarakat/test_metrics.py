import datetime

import pytest
from django.utils import timezone

from binjai_portal.core import kpi
from masyarakat import services

from .factories import ticket_assigned, ticket_make

pytestmark = pytest.mark.django_db


def test_figures_and_section(citizen, category, moderator, opd_officer):
    today = timezone.localdate()
    period = kpi.Period(today - datetime.timedelta(days=30), today)
    t1 = ticket_assigned(reporter=citizen, moderator=moderator, category=category)
    services.ticket_resolve(ticket=t1, officer=opd_officer, response="Beres")
    services.ticket_close(ticket=t1, reporter=citizen, rating=4)
    ticket_make(reporter=citizen, category=category, confidential=True, title="Pungli rahasia")
    figures = {
        f.key: f for f in kpi.registry.compute_figures(kpi.Filters(period)) if f.app == "masyarakat"
    }
    assert figures["open_backlog"].value == 1
    assert figures["sla_compliance"].value == 100.0
    assert figures["median_resolution_days"].value == 0
    assert figures["average_rating"].value == 4
    assert figures["overdue"].value == 0
    assert figures["open_backlog"].drilldown_url.startswith("/masyarakat/?")
    (section,) = [
        s for s in kpi.registry.compute_sections(kpi.Filters(period)) if s.app == "masyarakat"
    ]
    assert section.charts[0].series[0].values == (2,)
    (row,) = section.tables[0].rows
    assert row[1] == "(rahasia)"  # a confidential title stays out of the dashboards
    other = kpi.Filters(period, kecamatan="12.75.01")
    assert kpi.registry.figures[("masyarakat", "open_backlog")].compute(other).value == 0
