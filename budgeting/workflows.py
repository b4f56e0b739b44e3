"""The paths of e-Budgeting's records, declared once: the agency budget (draft to DPA),
the standard price list (draft, published, superseded) and the fiscal year's phase.

The states are declared here once: stored as these English codes, shown with their
translated Indonesian labels; the models' Status and Phase are text_choices() of them."""

from django.utils.translation import gettext_lazy as _

from binjai_portal.accounts import roles
from binjai_portal.core.workflow import Action, State, Workflow

# Budget.status
DRAFT, SUBMITTED, IN_REVIEW, RETURNED = "draft", "submitted", "in_review", "returned"
VERIFIED, APPROVED, LOCKED = "verified", "approved", "locked"
# PriceList.status (DRAFT as above)
PUBLISHED, SUPERSEDED = "published", "superseded"
# FiscalYear.phase
PLANNING, ENACTMENT, EXECUTION, CLOSED = "planning", "enactment", "execution", "closed"

OPD, TAPD = roles.PETUGAS_OPD, roles.TAPD


def _agency_officers(budget):
    from binjai_portal.accounts.models import User

    return list(User.objects.filter(unit_id=budget.agency_id, groups__name=OPD, is_active=True))


BUDGET = Workflow(
    name="budgeting.budget",
    states=(
        State(DRAFT, _("Draf")),
        State(SUBMITTED, _("Diajukan")),
        State(IN_REVIEW, _("Ditelaah TAPD")),
        State(RETURNED, _("Dikembalikan ke OPD")),
        State(VERIFIED, _("Terverifikasi")),
        State(APPROVED, _("Disetujui (APBD ditetapkan)")),
        State(LOCKED, _("Dikunci (DPA)"), final=True),
    ),
    actions=(
        Action("submit", (DRAFT,), SUBMITTED, roles=(OPD,), label=_("Ajukan ke TAPD")),
        Action("resubmit", (RETURNED,), SUBMITTED, roles=(OPD,), label=_("Ajukan ulang ke TAPD")),
        Action("review", (SUBMITTED,), IN_REVIEW, roles=(TAPD,), label=_("Mulai telaah")),
        Action(
            "return",
            (SUBMITTED, IN_REVIEW),
            RETURNED,
            roles=(TAPD,),
            label=_("Kembalikan ke OPD"),
            note_required=True,
            notify=_agency_officers,
        ),
        Action(
            "verify",
            (SUBMITTED, IN_REVIEW),
            VERIFIED,
            roles=(TAPD,),
            label=_("Verifikasi"),
            notify=_agency_officers,
        ),
        Action(
            "approve",
            (VERIFIED,),
            APPROVED,
            roles=(TAPD,),
            label=_("Setujui (APBD ditetapkan)"),
            notify=_agency_officers,
        ),
        Action(
            "lock",
            (APPROVED,),
            LOCKED,
            roles=(TAPD,),
            label=_("Kunci sebagai DPA"),
            notify=_agency_officers,
        ),
    ),
    scope={"unit_field": "agency"},
    model="budgeting.Budget",
)

AGENCY_ACTIONS = ("submit", "resubmit")
TAPD_ACTIONS = ("review", "return", "verify", "approve", "lock")

PRICE_LIST = Workflow(
    name="budgeting.price_list",
    model="budgeting.PriceList",
    states=(
        State(DRAFT, _("Draf")),
        State(PUBLISHED, _("Terbit (terkunci)")),
        State(SUPERSEDED, _("Diganti versi baru"), final=True),
    ),
    actions=(
        Action("publish", (DRAFT,), PUBLISHED, roles=(TAPD,), label=_("Terbitkan dan kunci")),
        # Taken for the year's published list when a newer version is published.
        Action(
            "supersede",
            (PUBLISHED,),
            SUPERSEDED,
            roles=(TAPD,),
            label=_("Ganti dengan versi baru"),
        ),
    ),
)

FISCAL_YEAR = Workflow(
    name="budgeting.fiscal_year",
    model="budgeting.FiscalYear",
    state_field="phase",
    states=(
        State(PLANNING, _("Penyusunan")),
        State(ENACTMENT, _("Penetapan")),
        State(EXECUTION, _("Pelaksanaan")),
        State(CLOSED, _("Ditutup"), final=True),
    ),
    actions=(
        # Also taken by budget_act when the year's last RKA is approved.
        Action("enact", (PLANNING,), ENACTMENT, roles=(TAPD,), label=_("Tetapkan APBD")),
        Action("execute", (ENACTMENT,), EXECUTION, roles=(TAPD,), label=_("Mulai pelaksanaan")),
        Action("close", (EXECUTION,), CLOSED, roles=(TAPD,), label=_("Tutup tahun anggaran")),
    ),
)
