"""The paths of e-Budgeting's records, declared once: the agency budget (draft to DPA),
the standard price list (draft, published, superseded) and the fiscal year's phase.

Stored states are the English codes of the models' TextChoices; their labels are the
translated Indonesian ones."""

from django.utils.translation import gettext_lazy as _

from binjai_portal.accounts import roles
from binjai_portal.core.workflow import Action, State, Workflow

from .models import Budget, FiscalYear, PriceList

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

P = PriceList.Status

PRICE_LIST = Workflow(
    name="budgeting.price_list",
    states=(
        State(P.DRAFT, P.DRAFT.label),
        State(P.PUBLISHED, P.PUBLISHED.label),
        State(P.SUPERSEDED, P.SUPERSEDED.label, final=True),
    ),
    actions=(
        Action("publish", (P.DRAFT,), P.PUBLISHED, roles=(TAPD,), label=_("Terbitkan dan kunci")),
        # Taken for the year's published list when a newer version is published.
        Action(
            "supersede",
            (P.PUBLISHED,),
            P.SUPERSEDED,
            roles=(TAPD,),
            label=_("Ganti dengan versi baru"),
        ),
    ),
)

F = FiscalYear.Phase

FISCAL_YEAR = Workflow(
    name="budgeting.fiscal_year",
    state_field="phase",
    states=(
        State(F.PLANNING, F.PLANNING.label),
        State(F.SET, F.SET.label),
        State(F.EXECUTION, F.EXECUTION.label),
        State(F.CLOSED, F.CLOSED.label, final=True),
    ),
    actions=(
        # Also taken by budget_act when the year's last RKA is approved.
        Action("enact", (F.PLANNING,), F.SET, roles=(TAPD,), label=_("Tetapkan APBD")),
        Action("execute", (F.SET,), F.EXECUTION, roles=(TAPD,), label=_("Mulai pelaksanaan")),
        Action("close", (F.EXECUTION,), F.CLOSED, roles=(TAPD,), label=_("Tutup tahun anggaran")),
    ),
)
