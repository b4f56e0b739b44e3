"""Every write of e-Budgeting, one module per subject; every state change (budget, price
list, fiscal year) goes through the workflow engine (budgeting/workflows.py).

Callers import from here (`from budgeting import services`); the modules are:

- rights: who may do what (the checks each service starts with)
- reference: expense accounts, nomenclature, the bidang of each agency
- fiscal_year: the year opened, moved through its phases, revised (APBD perubahan)
- price_list: the standard price list, draft → published (locked) → superseded
- budget: the agency's RKA, its activities and lines, and its workflow (`budget_act`)
- funding: the tie to e-Musrenbang (activities fund accepted proposals)
- realisation: monthly spending of a locked budget (DPA)
"""

from .budget import (
    MAX_FACTORS,
    RUPIAH,
    activity_create,
    activity_delete,
    budget_act,
    budget_ceiling_set,
    budget_create,
    budget_total,
    line_add,
    line_delete,
    line_nonstandard_decide,
    line_note,
    line_total,
    line_update,
    volume_from_factors,
)
from .fiscal_year import fiscal_year_create, fiscal_year_revise, fiscal_year_set_phase
from .funding import activity_amount, activity_fund_proposal, funded_proposal_complete
from .price_list import (
    price_item_add,
    price_item_update,
    price_list_create,
    price_list_import,
    price_list_publish,
    price_list_revise,
)
from .realisation import realisation_set
from .reference import (
    ACCOUNTS_FILE,
    account_import,
    accounts_load_shipped,
    agency_bidang_set,
    nomenclature_import,
)
from .rights import INSPECTORATE_UNIT

__all__ = [
    "ACCOUNTS_FILE",
    "INSPECTORATE_UNIT",
    "MAX_FACTORS",
    "RUPIAH",
    "account_import",
    "accounts_load_shipped",
    "activity_amount",
    "activity_create",
    "activity_delete",
    "activity_fund_proposal",
    "agency_bidang_set",
    "budget_act",
    "budget_ceiling_set",
    "budget_create",
    "budget_total",
    "fiscal_year_create",
    "fiscal_year_revise",
    "fiscal_year_set_phase",
    "funded_proposal_complete",
    "line_add",
    "line_delete",
    "line_nonstandard_decide",
    "line_note",
    "line_total",
    "line_update",
    "nomenclature_import",
    "price_item_add",
    "price_item_update",
    "price_list_create",
    "price_list_import",
    "price_list_publish",
    "price_list_revise",
    "realisation_set",
    "volume_from_factors",
]
