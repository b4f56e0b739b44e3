"""Follow the money (issue 19): from an accepted proposal to the budget line, the money
spent and the completed work, told on the proposal page and in the inbox. e-Budgeting
reports through e-Musrenbang's services; e-Musrenbang keeps what it shows."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from binjai_portal.core.models import Notification
from budgeting import services
from budgeting.models import FundedProposal, Line
from musrenbang import services as musrenbang_services
from musrenbang.models import Funding, FundingMonth, Proposal, Status, Support
from tests.musrenbang.factories import photo

from .test_services import add_pen, lock

pytestmark = pytest.mark.django_db


@pytest.fixture
def supporter(make_citizen):
    return make_citizen(full_name="Sari Pendukung")


@pytest.fixture
def accepted(make_proposal, supporter):
    p = make_proposal(Status.ACCEPTED)
    musrenbang_services.proposal_support(proposal=p, user=supporter)
    return Proposal.objects.get(pk=p.pk)


def titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_the_whole_path_is_reported_and_told_by_name(
    accepted, activity, opd_officer, atk, items, budget, tapd, citizen, supporter, client
):
    line = add_pen(activity, opd_officer, atk, items)  # 2 orang × 3 hari × 3.500 = 21.000
    Notification.objects.all().delete()
    services.activity_fund_proposal(activity=activity, proposal_id=accepted.pk, actor=tapd)
    funding = Funding.objects.get(proposal=accepted)
    assert (funding.sub_kegiatan_code, funding.fiscal_year) == (
        activity.sub_kegiatan.code,
        budget.fiscal_year.year,
    )
    assert funding.amount == line.total and funding.phase == Funding.Phase.DRAFT
    assert funding.agency == budget.agency
    for user in (citizen, supporter):
        assert [t for t in titles(user) if accepted.reference in t and "didanai" in t]

    lock(budget, opd_officer, tapd)
    funding.refresh_from_db()
    assert funding.phase == Funding.Phase.APPROVED
    assert any("anggaran ditetapkan" in t for t in titles(supporter))

    services.realisation_set(activity=activity, month=2, amount="7000", actor=opd_officer)
    services.realisation_set(activity=activity, month=3, amount="3500", actor=opd_officer)
    assert list(FundingMonth.objects.values_list("month", "amount")) == [
        (2, Decimal("7000")),
        (3, Decimal("3500")),
    ]
    started = [t for t in titles(citizen) if "realisasi dimulai" in t]
    assert len(started) == 1 and accepted.reference in started[0]

    # Realisation above the budget: refused with the amounts, nothing changes.
    with pytest.raises(ValidationError) as exc:
        services.realisation_set(activity=activity, month=4, amount="20000", actor=opd_officer)
    assert exc.value.code == "over_budget" and "melebihi" in exc.value.messages[0]
    assert FundingMonth.objects.count() == 2

    funded = FundedProposal.objects.get(proposal_id=accepted.pk)
    services.funded_proposal_complete(
        funded=funded, actor=opd_officer, photo=photo(), note="Saluran 150 m selesai dicor."
    )
    accepted.refresh_from_db()
    funding.refresh_from_db()
    assert accepted.status == Status.COMPLETED
    assert funding.completion_photo and funding.completion_note.startswith("Saluran")
    assert any("selesai dilaksanakan" in t for t in titles(supporter))

    page = client.get(accepted.get_absolute_url()).content.decode()
    for text in (
        activity.sub_kegiatan.code,
        "Rp\xa021.000",  # the amount of the lines
        "APBD ditetapkan",
        "Rp\xa07.000",
        "33,3%",  # February: 7.000 of 21.000
        "Rp\xa010.500",  # the sum after March
        "50%",  # cumulative after March
        "Saluran 150 m selesai dicor.",
        reverse("core:upload", args=[funding.completion_photo.token]),
    ):
        assert text in page, text
    # The completion photo is public with the proposal.
    assert (
        client.get(reverse("core:upload", args=[funding.completion_photo.token])).status_code == 200
    )

    # The citizen answers: really done, or not (then a complaint form naming the proposal).
    client.force_login(supporter)
    r = client.post(reverse("musrenbang:feedback", args=[accepted.reference]), {"confirmed": "0"})
    assert r.status_code == 302 and r["Location"].startswith(reverse("masyarakat:ticket-new"))
    assert accepted.reference in r["Location"]
    r = client.post(reverse("musrenbang:feedback", args=[accepted.reference]), {"confirmed": "1"})
    assert r["Location"] == accepted.get_absolute_url()
    assert "1 warga mengonfirmasi" in client.get(accepted.get_absolute_url()).content.decode()


def test_one_activity_per_proposal_and_the_refusal_names_the_first(
    accepted, activity, budget, tapd, opd_officer, sub_kegiatan
):
    services.activity_fund_proposal(activity=activity, proposal_id=accepted.pk, actor=tapd)
    second = services.activity_create(
        budget=budget,
        actor=opd_officer,
        sub_kegiatan=sub_kegiatan,
        output_target=Decimal(1),
        funding_source="pad",
    )
    with pytest.raises(ValidationError) as exc:
        services.activity_fund_proposal(activity=second, proposal_id=accepted.pk, actor=tapd)
    assert exc.value.code == "already_funded"
    assert "satu kegiatan" in exc.value.messages[0] and sub_kegiatan.code in exc.value.messages[0]
    assert FundedProposal.objects.filter(proposal_id=accepted.pk).get().activity == activity


def test_a_revision_that_removes_the_line_takes_the_funding_back_visibly(
    accepted, activity, opd_officer, atk, items, budget, tapd, citizen, client
):
    add_pen(activity, opd_officer, atk, items)
    services.activity_fund_proposal(activity=activity, proposal_id=accepted.pk, actor=tapd)
    lock(budget, opd_officer, tapd)
    revised = services.fiscal_year_revise(fiscal_year=budget.fiscal_year, actor=tapd).budgets.get()
    for line in Line.objects.filter(activity__budget=revised):
        services.line_delete(line=line, actor=opd_officer)
    add_pen(
        services.activity_create(
            budget=revised,
            actor=opd_officer,
            sub_kegiatan=activity.sub_kegiatan,
            output_target=Decimal(1),
            funding_source="pad",
        ),
        opd_officer,
        atk,
        items,
    )
    Notification.objects.all().delete()
    services.budget_act(budget=revised, action="submit", actor=opd_officer)
    services.budget_act(budget=revised, action="verify", actor=tapd)
    services.budget_act(
        budget=revised, action="approve", actor=tapd, note="Dialihkan ke penanganan banjir."
    )
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED
    assert "Pendanaan dibatalkan pada perubahan anggaran" in accepted.decision_note
    assert "Dialihkan ke penanganan banjir." in accepted.decision_note
    funding = Funding.objects.get(proposal=accepted)
    assert funding.phase == Funding.Phase.CANCELLED
    assert not FundedProposal.objects.filter(proposal_id=accepted.pk).exists()
    assert any("pendanaan dibatalkan" in t for t in titles(citizen))
    page = client.get(accepted.get_absolute_url()).content.decode()
    assert "Pendanaan dibatalkan pada perubahan anggaran" in page
    # It may be funded again (one activity at a time).
    services.activity_fund_proposal(
        activity=revised.activities.first(), proposal_id=accepted.pk, actor=tapd
    )
    assert Funding.objects.get(proposal=accepted).is_active


def test_a_revision_that_changes_the_amount_is_told_with_both_amounts(
    accepted, activity, opd_officer, atk, items, budget, tapd, supporter
):
    add_pen(activity, opd_officer, atk, items)  # 21.000
    services.activity_fund_proposal(activity=activity, proposal_id=accepted.pk, actor=tapd)
    lock(budget, opd_officer, tapd)
    revised = services.fiscal_year_revise(fiscal_year=budget.fiscal_year, actor=tapd).budgets.get()
    copy = revised.activities.get()
    add_pen(copy, opd_officer, atk, items, qty="1")  # + 10.500
    services.budget_act(budget=revised, action="submit", actor=opd_officer)
    services.budget_act(budget=revised, action="verify", actor=tapd)
    services.budget_act(budget=revised, action="approve", actor=tapd)
    funding = Funding.objects.get(proposal=accepted)
    assert funding.phase == Funding.Phase.REVISED and funding.amount == Decimal("31500")
    assert FundedProposal.objects.get(proposal_id=accepted.pk).activity == copy
    body = Notification.objects.filter(recipient=supporter, title__contains="perubahan").get().body
    assert "Rp\xa021.000" in body and "Rp\xa031.500" in body


def test_only_the_agency_completes_with_photo_and_note(
    accepted, activity, opd_officer, other_officer, atk, items, budget, tapd
):
    add_pen(activity, opd_officer, atk, items)
    services.activity_fund_proposal(activity=activity, proposal_id=accepted.pk, actor=tapd)
    funded = FundedProposal.objects.get(proposal_id=accepted.pk)
    with pytest.raises(ValidationError):  # not yet a locked DPA
        services.funded_proposal_complete(
            funded=funded, actor=opd_officer, photo=photo(), note="Selesai"
        )
    lock(budget, opd_officer, tapd)
    with pytest.raises(Http404):
        services.funded_proposal_complete(
            funded=funded, actor=other_officer, photo=photo(), note="Selesai"
        )
    with pytest.raises(ValidationError):
        services.funded_proposal_complete(funded=funded, actor=opd_officer, photo=None, note="x")
    with pytest.raises(ValidationError):
        services.funded_proposal_complete(
            funded=funded, actor=opd_officer, photo=photo(), note="  "
        )
    assert Proposal.objects.get(pk=accepted.pk).status == Status.FUNDED


def test_the_completion_form_on_the_activity_page(
    accepted, activity, opd_officer, atk, items, budget, tapd, client
):
    add_pen(activity, opd_officer, atk, items)
    services.activity_fund_proposal(activity=activity, proposal_id=accepted.pk, actor=tapd)
    lock(budget, opd_officer, tapd)
    funded = FundedProposal.objects.get(proposal_id=accepted.pk)
    client.force_login(opd_officer)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert reverse("budgeting:funded-complete", args=[funded.pk]) in page
    p = photo()
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post(
        reverse("budgeting:funded-complete", args=[funded.pk]),
        {
            "completed_on": "2026-11-30",
            "note": "Selesai dikerjakan.",
            "photo": SimpleUploadedFile("hasil.png", p.content, content_type="image/png"),
        },
    )
    assert r.status_code == 302
    assert Proposal.objects.get(pk=accepted.pk).status == Status.COMPLETED
    # a second try is refused with a message, never a 500
    r = client.post(reverse("budgeting:funded-complete", args=[funded.pk]), {"note": "x"})
    assert r.status_code == 302


def test_supporters_who_withdrew_are_not_told(accepted, activity, tapd, supporter):
    musrenbang_services.proposal_support_withdraw(proposal=accepted, user=supporter)
    assert not Support.objects.filter(user=supporter, withdrawn_at__isnull=True).exists()
    Notification.objects.all().delete()
    services.activity_fund_proposal(activity=activity, proposal_id=accepted.pk, actor=tapd)
    assert titles(supporter) == []


def test_the_complaint_form_opens_with_the_proposal_named(make_proposal, citizen, client):
    from musrenbang.views import complaint_url

    p = make_proposal(Status.SUBMITTED)
    client.force_login(citizen)
    page = client.get(complaint_url(p)).content.decode()
    assert p.reference in page and f'value="{p.kelurahan.code}" selected' in page
