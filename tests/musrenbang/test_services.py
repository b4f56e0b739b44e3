import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404

from binjai_portal.accounts.models import Unit
from binjai_portal.core.models import Notification, StatusChange
from binjai_portal.core.workflow import TransitionRefused
from musrenbang import selectors, services
from musrenbang.models import Cycle, Forum, Proposal, Status, Support
from musrenbang.workflows import PROPOSAL

from .factories import open_cycle, photo, proposal_data

pytestmark = pytest.mark.django_db

OTHER_KEL = "kelurahan-12-75-02-1002"  # same kecamatan (Binjai Kota), other kelurahan
OTHER_KEC = "kecamatan-12-75-01"


def history(p):
    return list(
        StatusChange.objects.filter(object_id=str(p.pk), workflow=PROPOSAL.name).values_list(
            "action", "from_state", "to_state", "note"
        )
    )


def test_create_gives_a_reference_per_plan_year_and_records_the_draft(proposal, cycle):
    assert proposal.reference == f"{cycle.plan_year}-00001"
    assert proposal.status == Status.DRAFT
    assert history(proposal) == [("create", "", "draft", "")]


def test_outside_the_kelurahan_window_create_and_submit_are_refused_with_the_dates(
    proposal, cycle, citizen, kelurahan
):
    late = cycle.kelurahan_closes + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.proposal_submit(proposal=proposal, actor=citizen, today=late)
    assert str(cycle.kelurahan_closes.year) in " ".join(exc.value.messages)
    assert "sampai" in " ".join(exc.value.messages)
    assert Proposal.objects.get(pk=proposal.pk).status == Status.DRAFT
    with pytest.raises(ValidationError):
        services.proposal_create(
            proposer=citizen,
            cycle=cycle,
            data=proposal_data(kelurahan),
            today=cycle.kelurahan_opens - datetime.timedelta(days=1),
        )
    assert Proposal.objects.count() == 1


def test_submit_then_verify_writes_history_and_notifies_the_proposer(
    proposal, citizen, kelurahan_officer
):
    services.proposal_submit(proposal=proposal, actor=citizen)
    services.proposal_act(proposal=proposal, actor=kelurahan_officer, action="verify")
    proposal.refresh_from_db()
    assert proposal.status == Status.VERIFIED and proposal.submitted_at
    assert [h[0] for h in history(proposal)] == ["create", "submit", "verify"]
    n = Notification.objects.get(recipient=citizen)
    assert "Terverifikasi" in n.title and n.url == proposal.get_absolute_url()


# (state, action, actor, expected: None = allowed, else TransitionRefused code)
MATRIX = [
    (Status.SUBMITTED, "verify", "kelurahan_officer", None),
    (Status.SUBMITTED, "verify", "other_kelurahan_officer", "unit"),
    (Status.SUBMITTED, "verify", "kecamatan_officer", "role"),
    (Status.SUBMITTED, "verify", "bappeda", "role"),
    (Status.SUBMITTED, "verify", "citizen", "role"),
    (Status.SUBMITTED, "reject", "kelurahan_officer", None),
    (Status.SUBMITTED, "return", "other_kelurahan_officer", "unit"),
    (Status.DRAFT, "verify", "kelurahan_officer", "undeclared"),
    (Status.RANKED_KELURAHAN, "forward_kecamatan", "kelurahan_officer", None),
    (Status.RANKED_KELURAHAN, "forward_kecamatan", "kecamatan_officer", "role"),
    (Status.FORWARDED_KECAMATAN, "forward_city", "kecamatan_officer", "undeclared"),
    (Status.RANKED_KECAMATAN, "forward_city", "kecamatan_officer", None),
    (Status.RANKED_KECAMATAN, "forward_city", "other_kecamatan_officer", "unit"),
    (Status.RANKED_KECAMATAN, "forward_city", "kelurahan_officer", "role"),
    (Status.FORWARDED_CITY, "not_accept", "bappeda", None),
    (Status.FORWARDED_CITY, "not_accept", "kecamatan_officer", "role"),
    # "complete" needs a photo and a note: tests/musrenbang/test_money.py
    (Status.FUNDED, "complete", "bappeda", "undeclared"),
]


@pytest.mark.parametrize(("state", "action", "actor_name", "code"), MATRIX)
def test_each_step_only_by_the_right_role_within_its_unit(
    request, make_proposal, make_staff, state, action, actor_name, code
):
    p = make_proposal(state)
    actors = {
        "other_kelurahan_officer": lambda: make_staff("petugas_kelurahan", OTHER_KEL),
        "other_kecamatan_officer": lambda: make_staff("petugas_kecamatan", OTHER_KEC),
    }
    actor = actors[actor_name]() if actor_name in actors else request.getfixturevalue(actor_name)
    before = (history(p), Notification.objects.count())
    if code is None:
        services.proposal_act(proposal=p, actor=actor, action=action, note="Alasan jelas")
        assert Proposal.objects.get(pk=p.pk).status == PROPOSAL.action(action).target
        assert history(p)[-1][0] == action
    else:
        with pytest.raises(TransitionRefused) as exc:
            services.proposal_act(proposal=p, actor=actor, action=action, note="Alasan")
        assert exc.value.code == code
        assert (history(p), Notification.objects.count()) == before
        assert Proposal.objects.get(pk=p.pk).status == state


def test_refusals_need_a_reason_which_the_citizen_sees(make_proposal, kelurahan_officer):
    p = make_proposal(Status.SUBMITTED)
    with pytest.raises(TransitionRefused) as exc:
        services.proposal_act(proposal=p, actor=kelurahan_officer, action="reject", note=" ")
    assert exc.value.code == "note"
    services.proposal_act(
        proposal=p, actor=kelurahan_officer, action="reject", note="Bukan kewenangan kota"
    )
    p.refresh_from_db()
    assert p.status == Status.REJECTED and p.decision_note == "Bukan kewenangan kota"


def test_a_returned_proposal_is_edited_and_resubmitted(make_proposal, citizen, kelurahan_officer):
    p = make_proposal(Status.SUBMITTED)
    with pytest.raises(ValidationError):
        services.proposal_update(proposal=p, actor=citizen, data={"title": "Baru"})
    services.proposal_act(
        proposal=p, actor=kelurahan_officer, action="return", note="Lengkapi RT/RW dan foto"
    )
    services.proposal_update(proposal=p, actor=citizen, data={"rt": "004"}, photos=[photo()])
    services.proposal_submit(proposal=p, actor=citizen)
    p.refresh_from_db()
    assert p.status == Status.SUBMITTED and p.rt == "004" and p.photos.count() == 1
    assert [h[0] for h in history(p)] == ["create", "submit", "return", "resubmit"]


def test_only_the_proposer_edits(proposal, make_citizen):
    with pytest.raises(Http404):
        services.proposal_update(proposal=proposal, actor=make_citizen(), data={"title": "X"})


def test_at_most_five_photos(proposal, citizen):
    services.proposal_update(
        proposal=proposal, actor=citizen, data={}, photos=[photo() for _ in range(5)]
    )
    with pytest.raises(ValidationError):
        services.proposal_update(proposal=proposal, actor=citizen, data={}, photos=[photo()])
    assert proposal.photos.count() == 5


def test_merge_into_another_proposal_of_the_same_kelurahan(make_proposal, kelurahan_officer):
    a, b = make_proposal(Status.SUBMITTED), make_proposal(Status.SUBMITTED)
    services.proposal_merge(proposal=b, into=a, actor=kelurahan_officer)
    b.refresh_from_db()
    assert b.status == Status.MERGED and b.duplicate_of == a
    with pytest.raises(ValidationError):
        services.proposal_merge(proposal=a, into=a, actor=kelurahan_officer)


def test_accept_sets_agency_and_program(make_proposal, bappeda):
    p = make_proposal(Status.FORWARDED_CITY)
    with pytest.raises(ValidationError):
        services.proposal_accept(proposal=p, actor=bappeda, agency=None, program="X")
    dinkes = Unit.objects.get(code="dinkes")
    services.proposal_accept(proposal=p, actor=bappeda, agency=dinkes, program="Program Sehat")
    p.refresh_from_db()
    assert (p.status, p.agency, p.program) == (Status.ACCEPTED, dinkes, "Program Sehat")


def test_one_support_per_citizen_and_withdraw(make_proposal, make_citizen, citizen):
    p = make_proposal(Status.SUBMITTED)
    fan = make_citizen()
    assert services.proposal_support(proposal=p, user=fan) is True
    assert services.proposal_support(proposal=p, user=fan) is False
    p.refresh_from_db()
    assert p.support_count == 1 and Support.objects.filter(proposal=p).count() == 1
    assert services.proposal_support_withdraw(proposal=p, user=fan) is True
    assert services.proposal_support_withdraw(proposal=p, user=fan) is False
    p.refresh_from_db()
    assert p.support_count == 0
    assert services.proposal_support(proposal=p, user=fan) is True
    p.refresh_from_db()
    assert p.support_count == 1
    with pytest.raises(ValidationError):
        services.proposal_support(proposal=p, user=citizen)  # own proposal


def test_drafts_cannot_be_supported(proposal, make_citizen):
    with pytest.raises(ValidationError):
        services.proposal_support(proposal=proposal, user=make_citizen())


def test_three_flags_hide_the_proposal_and_tell_the_proposer(
    make_proposal, make_citizen, citizen, moderator
):
    p = make_proposal(Status.SUBMITTED)
    flaggers = [make_citizen() for _ in range(3)]
    assert services.proposal_flag(proposal=p, user=flaggers[0], reason="Kasar") is True
    assert services.proposal_flag(proposal=p, user=flaggers[0], reason="Lagi") is False
    with pytest.raises(ValidationError):
        services.proposal_flag(proposal=p, user=flaggers[1], reason="  ")
    services.proposal_flag(proposal=p, user=flaggers[1], reason="Iklan")
    assert not Proposal.objects.get(pk=p.pk).is_hidden
    services.proposal_flag(proposal=p, user=flaggers[2], reason="Spam")
    p.refresh_from_db()
    assert p.is_hidden and p not in selectors.proposal_list_public()
    assert Notification.objects.filter(recipient=citizen, title__contains="disembunyikan").exists()
    with pytest.raises(Http404):
        services.proposal_moderate(proposal=p, moderator=flaggers[0], restore=True)
    services.proposal_moderate(proposal=p, moderator=moderator, restore=True)
    p.refresh_from_db()
    assert not p.is_hidden and p in selectors.proposal_list_public()


def test_accepted_list_and_mark_funded_for_e_budgeting(make_proposal, tapd, citizen):
    accepted, funded = make_proposal(Status.ACCEPTED), make_proposal(Status.FUNDED)
    make_proposal(Status.FORWARDED_CITY)
    rows = list(selectors.proposal_list_accepted(plan_year=accepted.cycle.plan_year))
    assert rows == [accepted]
    assert rows[0].kelurahan.name and rows[0].agency.code == "dpupr"
    assert rows[0].estimated_cost == Decimal("150000000")
    assert list(selectors.proposal_list_accepted(plan_year=1999)) == []
    assert list(selectors.proposal_list_accepted(agency=Unit.objects.get(code="dinkes"))) == []

    Notification.objects.all().delete()
    result = services.proposal_mark_funded(
        proposal_id=accepted.pk, actor=tapd, budget_reference="DPA 1.03.02.2.01.0001"
    )
    assert result.status == Status.FUNDED
    assert Proposal.objects.get(pk=accepted.pk).budget_reference == "DPA 1.03.02.2.01.0001"
    assert history(accepted)[-1] == ("fund", "accepted", "funded", "DPA 1.03.02.2.01.0001")
    assert Notification.objects.filter(recipient=citizen).count() == 1
    assert list(selectors.proposal_list_accepted()) == []

    before = history(funded)
    with pytest.raises(TransitionRefused) as exc:
        services.proposal_mark_funded(proposal_id=funded.pk, actor=tapd, budget_reference="X")
    assert exc.value.code == "undeclared" and history(funded) == before


def test_mark_funded_refuses_roles_other_than_tapd_and_bappeda(make_proposal, kecamatan_officer):
    p = make_proposal(Status.ACCEPTED)
    with pytest.raises(TransitionRefused) as exc:
        services.proposal_mark_funded(
            proposal_id=p.pk, actor=kecamatan_officer, budget_reference="X"
        )
    assert exc.value.code == "role"
    assert Proposal.objects.get(pk=p.pk).status == Status.ACCEPTED


def test_accepted_unfunded_proposal_is_carried_into_the_next_cycle(
    make_proposal, citizen, make_citizen, cycle
):
    p = make_proposal(Status.ACCEPTED)
    fans = [make_citizen(), make_citizen()]
    for fan in fans:
        Support.objects.create(proposal=p, user=fan)
    Proposal.objects.filter(pk=p.pk).update(support_count=2)
    with pytest.raises(ValidationError):
        services.proposal_carry_over(proposal=p, actor=citizen)  # no next cycle yet
    nxt = open_cycle(cycle.plan_year + 1)
    new = services.proposal_carry_over(proposal=p, actor=citizen)
    p.refresh_from_db()
    assert p.status == Status.CARRIED_OVER
    assert new.cycle == nxt and new.carried_from == p and new.status == Status.DRAFT
    assert new.reference == f"{nxt.plan_year}-00001" and new.title == p.title
    assert new.support_count == 2
    assert set(new.supports.values_list("user_id", flat=True)) == {f.pk for f in fans}
    assert Cycle.objects.count() == 2 and Proposal.objects.filter(pk=p.pk).exists()


def test_forum_ranking_order_and_finalise(
    make_proposal, kelurahan_officer, kelurahan, cycle, make_staff
):
    a, b, c = (make_proposal(Status.VERIFIED) for _ in range(3))
    level = Forum.Level.KELURAHAN
    services.forum_rank_set(
        actor=kelurahan_officer,
        level=level,
        region=kelurahan,
        cycle=cycle,
        ordered_ids=[c.pk, a.pk, b.pk],
    )
    services.forum_rank_move(
        actor=kelurahan_officer,
        level=level,
        region=kelurahan,
        cycle=cycle,
        proposal_id=b.pk,
        direction="up",
    )
    order = services.forum_ranked(
        actor=kelurahan_officer, level=level, region=kelurahan, cycle=cycle
    )
    assert [p.pk for p in order] == [c.pk, b.pk, a.pk]
    with pytest.raises(ValidationError):
        services.forum_rank_set(
            actor=kelurahan_officer, level=level, region=kelurahan, cycle=cycle, ordered_ids=[a.pk]
        )
    with pytest.raises(Http404):
        services.forum_rank_set(
            actor=make_staff("petugas_kelurahan", OTHER_KEL),
            level=level,
            region=kelurahan,
            cycle=cycle,
            ordered_ids=[a.pk, b.pk, c.pk],
        )
    services.forum_record(
        actor=kelurahan_officer,
        level=level,
        region=kelurahan,
        cycle=cycle,
        data={"held_on": datetime.date(2026, 2, 3), "participant_count": 40, "notes": "Sepakat"},
    )
    assert (
        services.forum_finalise(actor=kelurahan_officer, level=level, region=kelurahan, cycle=cycle)
        == 3
    )
    ranks = dict(Proposal.objects.values_list("pk", "rank_kelurahan"))
    assert (ranks[c.pk], ranks[b.pk], ranks[a.pk]) == (1, 2, 3)
    assert set(Proposal.objects.values_list("status", flat=True)) == {Status.RANKED_KELURAHAN}


def test_similar_titles_in_the_same_kelurahan_and_cycle(make_proposal, kelurahan, cycle):
    p = make_proposal(Status.SUBMITTED, title="Perbaikan drainase Jalan Sudirman")
    make_proposal(Status.SUBMITTED, title="Pelatihan menjahit ibu-ibu PKK")
    found = selectors.proposal_similar(
        title="drainase jalan sudirman rusak", kelurahan_id=kelurahan.pk, cycle=cycle
    )
    assert found == [p]
    assert (
        selectors.proposal_similar(title="drainase", kelurahan_id=kelurahan.pk + 1, cycle=cycle)
        == []
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_never_share_a_reference(cycle, make_citizen, kelurahan):
    assert connection.vendor == "postgresql"
    citizens = [make_citizen() for _ in range(6)]
    errors, barrier = [], threading.Barrier(len(citizens))

    def run(user):
        try:
            barrier.wait()
            services.proposal_create(proposer=user, cycle=cycle, data=proposal_data(kelurahan))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(u,)) for u in citizens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    refs = sorted(Proposal.objects.values_list("reference", flat=True))
    assert refs == [f"{cycle.plan_year}-{n:05d}" for n in range(1, 7)]


def test_demo_seed_is_idempotent_and_covers_every_state_and_kecamatan(regions, bidang):
    from django.core.management import call_command

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = Proposal.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert Proposal.objects.count() == first >= 40
    # A believable story (issue 14/19): last year's cycle finished (funded, realised and
    # completed work), this year's in intake: nothing of it beyond the kelurahan's check.
    from musrenbang.models import Cycle, FundingMonth

    current = Cycle.objects.order_by("-plan_year").first()
    in_intake = {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.RETURNED,
        Status.REJECTED,
        Status.MERGED,
        Status.VERIFIED,
    }
    assert set(current.proposals.values_list("status", flat=True)) <= in_intake
    past = set(Proposal.objects.exclude(cycle=current).values_list("status", flat=True))
    assert {Status.COMPLETED, Status.FUNDED, Status.NOT_ACCEPTED, Status.CARRIED_OVER} <= past
    assert FundingMonth.objects.filter(funding__proposal__status=Status.COMPLETED).exists()
    points = list(Proposal.objects.values_list("latitude", flat=True))
    assert len(set(points)) > len(points) * 0.9  # not a grid
    assert Proposal.objects.values("kelurahan__parent").distinct().count() == 5
    assert not Proposal.objects.filter(is_demo=False).exists()


def test_metrics_figures_and_section(make_proposal, kelurahan):
    import datetime as dt

    from binjai_portal.core import kpi

    make_proposal(Status.ACCEPTED)
    make_proposal(Status.FUNDED)
    p = make_proposal(Status.FORWARDED_CITY)
    from binjai_portal.accounts.models import User

    services.proposal_act(
        proposal=p,
        actor=User.objects.get(full_name="Bambang Bappeda"),
        action="not_accept",
        note="Pagu",
    )
    today = dt.date.today()
    filters = kpi.Filters(kpi.Period(today - dt.timedelta(days=3), today + dt.timedelta(days=1)))
    figures = {f.key: f for f in kpi.registry.compute_figures(filters) if f.app == "musrenbang"}
    assert figures["submitted"].value == 3
    assert figures["acceptance_rate"].value == Decimal("66.7")
    assert figures["accepted_cost"].value == Decimal("300000000")
    assert figures["funded_cost"].value == Decimal("150000000")
    section = next(s for s in kpi.registry.compute_sections(filters) if s.app == "musrenbang")
    assert section.tables[0].rows[0][1] == 3
    other = kpi.Filters(filters.period, kecamatan="12.75.01")
    assert figures and kpi.registry.figures[("musrenbang", "submitted")].compute(other).value == 0
