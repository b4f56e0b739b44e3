"""Janji dan realisasi (issue 19): the public figures per kecamatan and kelurahan, the lists
behind them, the open dataset and the command center section, built from proposals
funded, realised and completed through e-Musrenbang's services."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from binjai_portal.core import formatting, kpi
from binjai_portal.core.models import Region
from musrenbang import selectors, services
from musrenbang.models import Proposal, Status

from .factories import photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def promised(make_proposal, tapd, opd_officer, cycle):
    """Five accepted proposals in two kelurahan of two kecamatan: three funded (one of
    them realised and completed), one accepted only, one not accepted; plus a draft."""
    other = Region.objects.get(code="12.75.01.1001")
    made = {
        "a": make_proposal(Status.ACCEPTED),
        "b": make_proposal(Status.ACCEPTED),
        "c": make_proposal(Status.ACCEPTED),
        "d": make_proposal(Status.ACCEPTED),
        "e": make_proposal(Status.FORWARDED_CITY),
    }
    make_proposal(Status.DRAFT)
    # "c" lies in another kecamatan (the fixtures' officers work in the first one)
    Proposal.objects.filter(pk=made["c"].pk).update(kelurahan=other)
    for key, amount in (("a", "120000000"), ("b", "80000000"), ("c", "45500000")):
        services.proposal_mark_funded(
            proposal_id=made[key].pk,
            actor=tapd,
            budget_reference="APBD",
            sub_kegiatan_code="1.03.91.1.01.0001",
            sub_kegiatan_name="[DEMO] Sub kegiatan",
            fiscal_year=cycle.plan_year,
            amount=Decimal(amount),
            phase="approved",
        )
    services.proposal_realisation_report(proposal_id=made["a"].pk, month=3, amount=Decimal(50e6))
    services.proposal_realisation_report(proposal_id=made["a"].pk, month=5, amount=Decimal(60e6))
    services.proposal_realisation_report(proposal_id=made["c"].pk, month=4, amount=Decimal(5e6))
    services.proposal_complete(
        proposal_id=made["a"].pk, actor=opd_officer, photo=photo(), note="Selesai."
    )
    return made


def test_figures_add_up_to_the_lists_behind_them(promised, cycle):
    year = cycle.plan_year
    city = selectors.promise_summary(year=year)
    assert len(city) == 5  # every kecamatan, even without proposals
    regions = [r for r in city] + [
        r for k in city for r in selectors.promise_summary(year=year, kecamatan=k.region)
    ]
    for row in regions:
        accepted = selectors.promise_list(year=year, region=row.region, figure="accepted")
        funded = selectors.promise_list(year=year, region=row.region, figure="funded")
        completed = selectors.promise_list(year=year, region=row.region, figure="completed")
        assert row.accepted == len(accepted), row.region
        assert row.funded == len(funded), row.region
        assert row.completed == len(completed), row.region
        assert row.budgeted == sum((p.budgeted for p in funded), Decimal(0)), row.region
        assert row.realised == sum((p.realised for p in funded), Decimal(0)), row.region
    total = selectors.promise_total(city)
    assert (total.accepted, total.funded, total.completed) == (4, 3, 1)
    assert total.budgeted == Decimal("245500000") and total.realised == Decimal("115000000")


def test_the_public_page_shows_figures_that_match_its_lists(promised, cycle, client):
    year = cycle.plan_year
    page = client.get(reverse("musrenbang:promises"), {"tahun": year}).content.decode()
    assert formatting.rupiah(Decimal("245500000")) in page
    assert formatting.rupiah(Decimal("115000000")) in page
    kec = Region.objects.get(code="12.75.02")
    listed = client.get(
        reverse("musrenbang:promises"), {"tahun": year, "wilayah": kec.code, "daftar": "funded"}
    ).content.decode()
    budgeted = [Decimal(x) for x in re.findall(r'data-budgeted="([0-9.]+)"', listed)]
    realised = [Decimal(x) for x in re.findall(r'data-realised="([0-9.]+)"', listed)]
    assert len(budgeted) == 2 and sum(budgeted) == Decimal("200000000")
    assert formatting.rupiah(sum(budgeted)) in listed
    assert formatting.rupiah(sum(realised)) in listed
    assert promised["a"].reference in listed and promised["d"].reference not in listed
    # bad input never breaks the page
    for query in ({"tahun": "x"}, {"wilayah": "99"}, {"daftar": "<b>"}, {"tahun": "1900"}):
        assert client.get(reverse("musrenbang:promises"), query).status_code == 200


def test_the_open_dataset_has_the_same_rows(promised, cycle, client):
    r = client.get(reverse("musrenbang:promises-csv"), {"tahun": cycle.plan_year})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 4
    assert sum(Decimal(x["budgeted_idr"]) for x in rows) == Decimal("245500000")
    assert sum(Decimal(x["realised_idr"]) for x in rows) == Decimal("115000000")
    done = next(x for x in rows if x["reference"] == promised["a"].reference)
    assert done["status"] == "completed" and done["sub_kegiatan_code"] == "1.03.91.1.01.0001"


def test_the_command_center_section_converts_per_kecamatan(promised, cycle):
    import datetime

    period = kpi.Period(
        datetime.date(cycle.plan_year, 1, 1), datetime.date(cycle.plan_year, 12, 31)
    )
    section = kpi.registry.sections[("musrenbang", "promises")].compute(kpi.Filters(period))
    table = section.tables[0]
    by_name = {row[0]: row for row in table.rows}
    kec = Region.objects.get(code="12.75.02")
    assert by_name[kec.name][1:3] == (3, 2)
    value = kpi.registry.figures[("musrenbang", "promise_funded_rate")].compute(kpi.Filters(period))
    assert value.value == Decimal("75.0")


def test_the_proposal_page_tells_the_earlier_cycle_of_a_carried_over_proposal(
    make_proposal, citizen, client, cycle
):
    from .factories import open_cycle

    earlier = make_proposal(Status.ACCEPTED)
    open_cycle(cycle.plan_year + 1)
    new = services.proposal_carry_over(proposal=earlier, actor=citizen)
    services.proposal_submit(proposal=new, actor=citizen)
    page = client.get(new.get_absolute_url()).content.decode()
    assert 'data-testid="story"' in page and 'data-testid="earlier-story"' in page
    assert f"Siklus sebelumnya: {earlier.reference} ({cycle.plan_year})" in page
    assert "Diterima dalam RKPD" in page
