"""The proposal page offers an officer exactly the steps the workflow engine allows them
(core/_actions.html), each asking before it runs; others are offered none."""

import pytest
from django.urls import reverse

from musrenbang.models import Status
from musrenbang.workflows import CONFIRM, REFUSALS
from tests.offered import offered, offered_forms

pytestmark = pytest.mark.django_db


def _page(client, user, proposal):
    client.force_login(user)
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_kelurahan_officer_is_offered_the_steps_of_a_submitted_proposal(
    client, make_proposal, kelurahan_officer
):
    p = make_proposal(Status.SUBMITTED)
    url = reverse("musrenbang:officer-act", args=[p.reference])
    html = _page(client, kelurahan_officer, p)
    assert offered(html, url) == ["verify", "return", "reject", "merge"]
    for form in offered_forms(html, url):
        (step,) = form.steps
        assert form.confirm == str(CONFIRM[step])
        ((label, css),) = form.buttons
        assert ("btn-outline-danger" in css) == (step in REFUSALS)
    fields = {f.steps[0]: f.fields for f in offered_forms(html, url)}
    assert fields == {
        "verify": ["note"],
        "return": ["note"],
        "reject": ["note"],
        "merge": ["into", "note"],
    }
    assert 'id="note-reject"' in html and 'id="into-merge"' in html  # one id per form
    assert "Alasan (wajib)" in html and "Catatan (opsional)" in html


def test_bappeda_is_offered_accept_and_not_accept_at_the_city_stage(
    client, make_proposal, bappeda, kelurahan_officer
):
    p = make_proposal(Status.FORWARDED_CITY)
    url = reverse("musrenbang:officer-act", args=[p.reference])
    assert offered(_page(client, bappeda, p), url) == ["accept", "not_accept"]
    assert offered(_page(client, kelurahan_officer, p), url) == []


def test_an_officer_elsewhere_and_the_proposer_are_offered_nothing(
    client, make_proposal, make_staff, citizen
):
    p = make_proposal(Status.SUBMITTED)
    url = reverse("musrenbang:officer-act", args=[p.reference])
    elsewhere = make_staff("petugas_kelurahan", "kelurahan-12-75-01-1001")
    for user in (elsewhere, citizen):
        html = _page(client, user, p)
        assert offered(html, url) == []
        assert "Tindakan petugas" not in html


def test_a_step_offered_runs_and_one_not_offered_changes_nothing(
    client, make_proposal, kelurahan_officer, bappeda
):
    p = make_proposal(Status.SUBMITTED)
    url = reverse("musrenbang:officer-act", args=[p.reference])
    client.force_login(bappeda)
    response = client.post(url, {"action": "verify"}, follow=True)
    p.refresh_from_db()
    assert p.status == Status.SUBMITTED
    client.force_login(kelurahan_officer)
    response = client.post(url, {"action": "reject", "note": ""}, follow=True)
    p.refresh_from_db()
    assert p.status == Status.SUBMITTED and "alert" in response.content.decode()
    client.post(url, {"action": "reject", "note": "Bukan kewenangan kelurahan"})
    p.refresh_from_db()
    assert p.status == Status.REJECTED and p.decision_note == "Bukan kewenangan kelurahan"
