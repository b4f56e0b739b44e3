"""The agency budget's path from draft to DPA, declared once."""

from django.utils.translation import gettext_lazy as _

from binjai_portal.accounts import roles
from binjai_portal.core.workflow import Action, State, Workflow

from .models import Budget

S = Budget.Status
OPD, TAPD = roles.PETUGAS_OPD, roles.TAPD


def _agency_officers(budget):
    from binjai_portal.accounts.models import User

    return list(User.objects.filter(unit_id=budget.agency_id, groups__name=OPD, is_active=True))


BUDGET = Workflow(
    name="budgeting.budget",
    states=(
        State(S.DRAFT, S.DRAFT.label),
        State(S.SUBMITTED, S.SUBMITTED.label),
        State(S.IN_REVIEW, S.IN_REVIEW.label),
        State(S.RETURNED, S.RETURNED.label),
        State(S.VERIFIED, S.VERIFIED.label),
        State(S.APPROVED, S.APPROVED.label),
        State(S.LOCKED, S.LOCKED.label, final=True),
    ),
    actions=(
        Action("submit", (S.DRAFT,), S.SUBMITTED, roles=(OPD,), label=_("Ajukan ke TAPD")),
        Action(
            "resubmit", (S.RETURNED,), S.SUBMITTED, roles=(OPD,), label=_("Ajukan ulang ke TAPD")
        ),
        Action("review", (S.SUBMITTED,), S.IN_REVIEW, roles=(TAPD,), label=_("Mulai telaah")),
        Action(
            "return",
            (S.SUBMITTED, S.IN_REVIEW),
            S.RETURNED,
            roles=(TAPD,),
            label=_("Kembalikan ke OPD"),
            note_required=True,
            notify=_agency_officers,
        ),
        Action(
            "verify",
            (S.SUBMITTED, S.IN_REVIEW),
            S.VERIFIED,
            roles=(TAPD,),
            label=_("Verifikasi"),
            notify=_agency_officers,
        ),
        Action(
            "approve",
            (S.VERIFIED,),
            S.APPROVED,
            roles=(TAPD,),
            label=_("Setujui (APBD ditetapkan)"),
            notify=_agency_officers,
        ),
        Action(
            "lock",
            (S.APPROVED,),
            S.LOCKED,
            roles=(TAPD,),
            label=_("Kunci sebagai DPA"),
            notify=_agency_officers,
        ),
    ),
    scope={"unit_field": "agency"},
)

AGENCY_ACTIONS = ("submit", "resubmit")
TAPD_ACTIONS = ("review", "return", "verify", "approve", "lock")
