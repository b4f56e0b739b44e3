"""The officer's list with bulk steps, confirmations, the forum's decided ranking, and
the location and "similar proposal" parts of the proposal form."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from binjai_portal.core.models import Region, StatusChange
from musrenbang import services
from musrenbang.models import Forum, Proposal, Status

from .test_views import bulk

pytestmark = pytest.mark.django_db


def test_bulk_verify_moves_each_allowed_proposal_and_reports_each_refusal(
    make_proposal, kelurahan_officer, make_citizen, regions
):
    a, b = make_proposal(Status.SUBMITTED), make_proposal(Status.SUBMITTED)
    done_already = make_proposal(Status.VERIFIED)
    elsewhere = make_proposal(Status.SUBMITTED)
    Proposal.objects.filter(pk=elsewhere.pk).update(kelurahan=regions.get(code="12.75.01.1001"))
    before = StatusChange.objects.count()
    result = services.proposal_bulk_act(
        actor=kelurahan_officer,
        action="verify",
        references=[a.reference, b.reference, done_already.reference, elsewhere.reference],
    )
    assert result.done == [a.reference, b.reference]
    refused = dict(result.refused)
    assert set(refused) == {done_already.reference, elsewhere.reference}
    assert "Terverifikasi kelurahan" in refused[done_already.reference]
    assert "wilayah" in refused[elsewhere.reference]
    statuses = dict(Proposal.objects.values_list("reference", "status"))
    assert statuses[a.reference] == statuses[b.reference] == Status.VERIFIED
    assert statuses[elsewhere.reference] == Status.SUBMITTED
    assert StatusChange.objects.count() == before + 2  # one history row per moved proposal


def test_bulk_refuses_an_undeclared_step_and_an_empty_choice(make_proposal, kelurahan_officer):
    from django.core.exceptions import ValidationError

    p = make_proposal(Status.SUBMITTED)
    with pytest.raises(ValidationError):
        services.proposal_bulk_act(
            actor=kelurahan_officer, action="reject", references=[p.reference]
        )
    with pytest.raises(ValidationError):
        services.proposal_bulk_act(actor=kelurahan_officer, action="verify", references=[])
    assert Proposal.objects.get(pk=p.pk).status == Status.SUBMITTED


def test_bulk_view_summarises_what_succeeded_and_what_was_refused(
    client, make_proposal, kelurahan_officer
):
    a = make_proposal(Status.RANKED_KELURAHAN)
    b = make_proposal(Status.SUBMITTED)
    client.force_login(kelurahan_officer)
    r = client.post(
        reverse("musrenbang:officer-bulk"),
        {"action": "forward_kecamatan", "reference": [a.reference, b.reference]},
        follow=True,
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert f"1 usulan berhasil ({a.reference})" in html
    assert f"1 usulan tidak diproses: {b.reference}" in html
    assert Proposal.objects.get(pk=a.pk).status == Status.FORWARDED_KECAMATAN
    # a step the officer's role does not have changes nothing
    r = client.post(
        reverse("musrenbang:officer-bulk"),
        {"action": "forward_city", "reference": [b.reference]},
        follow=True,
    )
    assert Proposal.objects.get(pk=b.pk).status == Status.SUBMITTED
    assert "Pilih tindakan yang tersedia" in r.content.decode()


def test_citizen_cannot_use_the_bulk_step(client, make_proposal, citizen):
    p = make_proposal(Status.SUBMITTED)
    client.force_login(citizen)
    r = client.post(
        reverse("musrenbang:officer-bulk"), {"action": "verify", "reference": [p.reference]}
    )
    assert r.status_code == 404
    assert Proposal.objects.get(pk=p.pk).status == Status.SUBMITTED


def test_officer_list_offers_checkboxes_for_rows_a_bulk_step_can_move(
    client, make_proposal, kelurahan_officer
):
    ready = make_proposal(Status.SUBMITTED)
    later = make_proposal(Status.VERIFIED)
    client.force_login(kelurahan_officer)
    html = client.get(reverse("musrenbang:work-queue")).content.decode()
    assert f'value="{ready.reference}"' in html
    assert f'value="{later.reference}"' not in html  # verified: no bulk step from here
    assert 'name="action"' in html and "data-confirm=" in html


def test_officer_list_costs_the_same_queries_at_5_and_50_rows(
    client, cycle, citizen, kelurahan_officer, kelurahan
):
    def fill(n, start):
        bulk(cycle, citizen, n, start=start)
        Proposal.objects.filter(reference__startswith=f"{cycle.plan_year}-").update(
            kelurahan=kelurahan
        )

    client.force_login(kelurahan_officer)
    fill(5, 1000)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("musrenbang:work-queue")).status_code == 200
    fill(45, 3000)
    with CaptureQueriesContext(connection) as many:
        r = client.get(reverse("musrenbang:work-queue"))
    assert r.content.decode().count('class="form-check-input mus-pick"') == 20  # one page
    assert len(many.captured_queries) == len(few.captured_queries)


def test_finalising_asks_first_and_the_decided_ranking_stays_on_the_forum_page(
    client, make_proposal, kelurahan_officer, kelurahan, cycle
):
    a = make_proposal(Status.VERIFIED, title="Alpha drainase")
    b = make_proposal(Status.VERIFIED, title="Bravo posyandu")
    services.forum_rank_set(
        actor=kelurahan_officer,
        level=Forum.Level.KELURAHAN,
        region=kelurahan,
        cycle=cycle,
        ordered_ids=[b.pk, a.pk],
    )
    client.force_login(kelurahan_officer)
    html = client.get(reverse("musrenbang:forum")).content.decode()
    finalise = re.search(r"<form[^>]*forum/tetapkan/[^>]*>", html, re.S).group(0)
    assert "data-confirm=" in finalise and "tidak dapat dibatalkan" in finalise
    client.post(reverse("musrenbang:forum-finalise"))
    html = client.get(reverse("musrenbang:forum")).content.decode()
    assert "Peringkat yang sudah ditetapkan forum" in html
    decided = html[html.index('id="decided"') :]
    assert decided.index("Bravo posyandu") < decided.index("Alpha drainase")
    # still visible after the first one moved on to the kecamatan
    services.proposal_act(proposal=b, actor=kelurahan_officer, action="forward_kecamatan")
    html = client.get(reverse("musrenbang:forum")).content.decode()
    assert "Bravo posyandu" in html[html.index('id="decided"') :]


def test_irreversible_officer_and_citizen_steps_ask_for_confirmation(
    client, make_proposal, kelurahan_officer, citizen
):
    submitted = make_proposal(Status.SUBMITTED)
    client.force_login(kelurahan_officer)
    html = client.get(submitted.get_absolute_url()).content.decode()
    forms = re.findall(r"<form[^>]*petugas/usulan/[^>]*>", html)
    assert forms and all("data-confirm=" in f for f in forms)
    assert any("final" in f for f in forms)  # reject/merge say the step is final
    draft = make_proposal(Status.DRAFT)
    client.force_login(citizen)
    html = client.get(draft.get_absolute_url()).content.decode()
    submit = re.search(r"<form[^>]*/ajukan/[^>]*>", html).group(0)
    assert "data-confirm=" in submit


def test_form_puts_the_similar_hint_under_the_title_and_a_map_picker_by_the_coordinates(
    client, cycle, citizen
):
    client.force_login(citizen)
    html = client.get(reverse("musrenbang:create")).content.decode()
    title, hint = html.index('id="id_title"'), html.index('id="similar"')
    assert title < hint < html.index('id="id_problem"')
    picker = html.index('id="mus-picker"')
    assert hint < picker < html.index('id="id_latitude"') < html.index('id="id_longitude"')
    assert "Gunakan lokasi saya" in html
    assert "vendor/leaflet/leaflet.js" in html and "musrenbang/location.js" in html


def test_detail_page_shows_a_map_only_when_the_proposal_has_coordinates(client, make_proposal):
    from decimal import Decimal

    with_point = make_proposal(
        Status.SUBMITTED, latitude=Decimal("3.601234"), longitude=Decimal("98.487654")
    )
    html = client.get(with_point.get_absolute_url()).content.decode()
    assert 'data-lat="3.601234" data-lng="98.487654"' in html
    without = make_proposal(Status.SUBMITTED)
    assert 'id="mus-detail-map"' not in client.get(without.get_absolute_url()).content.decode()


def test_similar_hint_names_a_proposal_of_the_same_kelurahan(client, make_proposal, kelurahan):
    p = make_proposal(Status.SUBMITTED, title="Perbaikan drainase Gang Melati")
    r = client.get(
        reverse("musrenbang:similar"),
        {"title": "drainase gang melati", "kelurahan": kelurahan.pk},
        HTTP_HX_REQUEST="true",
    )
    assert p.reference in r.content.decode()
    other = Region.objects.get(code="12.75.01.1001")
    r = client.get(
        reverse("musrenbang:similar"), {"title": "drainase gang melati", "kelurahan": other.pk}
    )
    assert p.reference not in r.content.decode()


def test_bulk_endpoint_survives_crafted_input(client, make_proposal, kelurahan_officer):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    p = make_proposal(Status.SUBMITTED)
    client.force_login(kelurahan_officer)
    url = reverse("musrenbang:officer-bulk")
    text = st.text(max_size=40)

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        action=st.one_of(text, st.sampled_from(["verify", "reject", "forward_city", ""])),
        references=st.lists(st.one_of(text, st.just(p.reference + "\x00")), max_size=5),
        status=text,
    )
    def post(action, references, status):
        r = client.post(url, {"action": action, "reference": references, "status": status})
        assert r.status_code in (302, 400)
        if action != "verify":
            assert Proposal.objects.get(pk=p.pk).status == Status.SUBMITTED

    post()
