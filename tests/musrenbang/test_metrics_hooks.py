"""e-Musrenbang's command center hooks: proposals per kelurahan and the open dataset,
computed from proposals made through the services."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from binjai_portal.core import kpi
from binjai_portal.core.models import Region
from musrenbang import services
from musrenbang.models import Status

from .factories import proposal_data

pytestmark = pytest.mark.django_db


def _today_period():
    today = timezone.localdate()
    return kpi.Period(today - datetime.timedelta(days=6), today)


@pytest.fixture
def submit_in(cycle, citizen):
    def submit(code: str):
        p = services.proposal_create(
            proposer=citizen, cycle=cycle, data=proposal_data(Region.objects.get(code=code))
        )
        return services.proposal_submit(proposal=p, actor=citizen)

    return submit


@pytest.fixture
def spread(make_proposal, make_citizen, submit_in):
    """Public proposals in three kelurahan, a draft, and one hidden by flags."""
    made = [
        make_proposal(Status.SUBMITTED),
        make_proposal(Status.VERIFIED, estimated_cost=Decimal("50000000")),
        submit_in("12.75.02.1002"),
        submit_in("12.75.01.1001"),
        make_proposal(Status.DRAFT),
    ]
    hidden = submit_in("12.75.02.1002")
    for _n in range(services.FLAGS_TO_HIDE):
        services.proposal_flag(proposal=hidden, user=make_citizen(), reason="Iklan")
    hidden.refresh_from_db()
    assert hidden.is_hidden
    return made


def test_region_count_per_kelurahan(spread):
    count = kpi.registry.region_counts[("musrenbang", "proposals")]
    period = _today_period()

    assert str(count.label) == "Usulan musrenbang"
    assert count.compute(kpi.Filters(period)) == {
        "12.75.02.1001": 2,
        "12.75.02.1002": 1,
        "12.75.01.1001": 1,
    }
    assert count.compute(kpi.Filters(period, kecamatan="12.75.01")) == {"12.75.01.1001": 1}
    yesterday = period.start - datetime.timedelta(days=1)
    assert count.compute(kpi.Filters(kpi.Period(yesterday, yesterday))) == {}


def test_region_count_by_agency(make_proposal):
    make_proposal(Status.ACCEPTED)  # the conftest's path makes DPUPR the agency
    make_proposal(Status.SUBMITTED)
    count = kpi.registry.region_counts[("musrenbang", "proposals")]

    assert count.compute(kpi.Filters(_today_period(), agency="dpupr")) == {"12.75.02.1001": 1}
    assert count.compute(kpi.Filters(_today_period(), agency="dlh")) == {}


def test_dataset_proposals_by_stage(spread):
    spec = kpi.registry.datasets[("musrenbang", "proposals-by-stage")]

    data = spec.compute(_today_period())
    assert data.columns == ("Kode tahap", "Tahap", "Usulan", "Perkiraan biaya (Rp)")
    assert data.rows == (
        ("submitted", "Diajukan", 3, Decimal("450000000")),
        ("verified", "Terverifikasi kelurahan", 1, Decimal("50000000")),
    )
    assert str(spec.title) == "Usulan musrenbang per tahap"


def test_the_hooks_query_once(spread, django_assert_num_queries):
    filters = kpi.Filters(_today_period())
    with django_assert_num_queries(1):
        kpi.registry.region_counts[("musrenbang", "proposals")].compute(filters)
    with django_assert_num_queries(1):
        kpi.registry.datasets[("musrenbang", "proposals-by-stage")].compute(filters.period)
