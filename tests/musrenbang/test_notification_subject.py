"""A workflow notification names its record, what changed and what to do next."""

import pytest

from binjai_portal.core.models import Notification
from musrenbang import services
from musrenbang.models import Status

pytestmark = pytest.mark.django_db


def test_a_transition_notification_names_the_proposal_and_the_next_step(
    make_proposal, citizen, kelurahan_officer
):
    proposal = make_proposal(Status.SUBMITTED, title="Perbaikan drainase Jl. Gatot Subroto")
    services.proposal_act(
        proposal=proposal, actor=kelurahan_officer, action="return", note="Lengkapi foto lokasi"
    )
    n = Notification.objects.get(recipient=citizen)
    assert proposal.reference in n.title and "Status berubah" not in n.title
    assert "Perbaikan drainase Jl. Gatot Subroto" in n.body
    assert "Lengkapi foto lokasi" in n.body
    assert n.url == proposal.get_absolute_url()
    # The same notification read in English: the record's number and title stay.
    assert n.title_in("en").startswith(f"Proposal {proposal.reference}")
    assert "Returned for correction" in n.title_in("en") or "Returned" in n.title_in("en")
    assert "Open the link" in n.body_in("en")
