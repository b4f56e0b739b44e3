import pytest

from binjai_portal.core.workflow import transition
from conftest import nomenclature_ready
from musrenbang import services
from musrenbang.models import Status
from musrenbang.workflows import PROPOSAL

from .factories import open_cycle, proposal_data

# The path to each state: (action, actor fixture name) steps from draft.
PATH = {
    Status.DRAFT: [],
    Status.SUBMITTED: [("submit", "citizen")],
    Status.VERIFIED: [("submit", "citizen"), ("verify", "kelurahan_officer")],
    Status.RANKED_KELURAHAN: [
        ("submit", "citizen"),
        ("verify", "kelurahan_officer"),
        ("rank_kelurahan", "kelurahan_officer"),
    ],
    Status.FORWARDED_KECAMATAN: [
        ("submit", "citizen"),
        ("verify", "kelurahan_officer"),
        ("rank_kelurahan", "kelurahan_officer"),
        ("forward_kecamatan", "kelurahan_officer"),
    ],
}
PATH[Status.RANKED_KECAMATAN] = [
    *PATH[Status.FORWARDED_KECAMATAN],
    ("rank_kecamatan", "kecamatan_officer"),
]
PATH[Status.FORWARDED_CITY] = [
    *PATH[Status.RANKED_KECAMATAN],
    ("forward_city", "kecamatan_officer"),
]
PATH[Status.ACCEPTED] = [*PATH[Status.FORWARDED_CITY], ("accept", "bappeda")]
PATH[Status.FUNDED] = [*PATH[Status.ACCEPTED], ("fund", "bappeda")]


@pytest.fixture
def bidang(db):
    nomenclature_ready()  # loaded once for the run (conftest.py)


@pytest.fixture
def cycle(bidang):
    return open_cycle()


@pytest.fixture
def make_proposal(request, cycle, citizen, kelurahan):
    def make(status=Status.DRAFT, proposer=None, **overrides):
        proposer = proposer or citizen
        p = services.proposal_create(
            proposer=proposer, cycle=cycle, data=proposal_data(kelurahan, **overrides)
        )
        for action, actor_name in PATH[status]:
            actor = proposer if actor_name == "citizen" else request.getfixturevalue(actor_name)
            if action == "submit":
                services.proposal_submit(proposal=p, actor=actor)
            elif action == "accept":
                from binjai_portal.accounts.models import Unit

                p.agency, p.program = Unit.objects.get(code="dpupr"), "Program Drainase"
                transition(
                    p,
                    workflow=PROPOSAL,
                    action=action,
                    actor=actor,
                    extra_fields=["agency", "program"],
                )
            else:
                transition(
                    p,
                    workflow=PROPOSAL,
                    action=action,
                    actor=actor,
                    note="Anggaran 1.03.01" if action == "fund" else "",
                )
        p.refresh_from_db()
        return p

    return make


@pytest.fixture
def proposal(make_proposal):
    return make_proposal()
