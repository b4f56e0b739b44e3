"""Photos of a proposal follow the proposal's own rule (`proposal_list_visible`)."""

import pytest
from django.urls import reverse

from musrenbang import services
from musrenbang.models import Status

from .factories import photo, proposal_data

pytestmark = pytest.mark.django_db


def test_a_draft_photo_reaches_only_the_proposer(
    client, cycle, citizen, kelurahan, kelurahan_officer, bappeda
):
    draft = services.proposal_create(
        proposer=citizen, cycle=cycle, photos=[photo()], data=proposal_data(kelurahan)
    )
    url = reverse("core:upload", args=[draft.photos.get().token])
    for officer in (kelurahan_officer, bappeda):
        client.force_login(officer)
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(url).status_code == 404
    client.force_login(citizen)
    assert client.get(url).status_code == 200


def test_the_moderation_page_of_a_proposal_that_is_not_hidden_is_not_found(
    client, make_proposal, bappeda
):
    proposal = make_proposal(status=Status.SUBMITTED)
    client.force_login(bappeda)
    assert client.get(reverse("musrenbang:moderate", args=[proposal.reference])).status_code == 404
    assert client.get(reverse("musrenbang:moderation")).status_code == 200
