"""Reads of e-Budgeting, scoped to who is asking, with their joins in place; one module
per subject:

- budget: budgets (RKA), activities, lines, their history and comparison, print rows
- reference: accounts and nomenclature for the forms; the standard price lists
- public: the transparency pages and open data (approved budgets only, cached)

Callers import from here (`from budgeting import selectors`); who may do what is
budgeting/rules.py.
"""

from .budget import (
    COMPARED,
    ActivityDiff,
    Diff,
    absorption_by_activity,
    activity_get_for_user,
    activity_list,
    budget_compare,
    budget_get_for_user,
    budget_list_for_user,
    budget_timeline,
    budget_total,
    fiscal_year_list,
    funded_proposal_get_for_user,
    line_get_for_user,
    line_history,
    line_list,
    rka_rows,
)
from .public import (
    PUBLIC_COLUMNS,
    PUBLIC_VERSION_KEY,
    SUMMARY_SECONDS,
    Summary,
    apbd_summary,
    fiscal_year_public,
    public_budget_changed,
    public_rows,
)
from .reference import (
    leaf_accounts,
    price_items_for,
    price_list_current,
    price_list_list,
    price_list_timeline,
    sub_kegiatan_for_agency,
)

__all__ = [
    "ActivityDiff",
    "COMPARED",
    "Diff",
    "PUBLIC_COLUMNS",
    "PUBLIC_VERSION_KEY",
    "SUMMARY_SECONDS",
    "Summary",
    "absorption_by_activity",
    "activity_get_for_user",
    "activity_list",
    "apbd_summary",
    "budget_compare",
    "budget_get_for_user",
    "budget_list_for_user",
    "budget_timeline",
    "budget_total",
    "fiscal_year_list",
    "fiscal_year_public",
    "funded_proposal_get_for_user",
    "leaf_accounts",
    "line_get_for_user",
    "line_history",
    "line_list",
    "price_items_for",
    "price_list_current",
    "price_list_list",
    "price_list_timeline",
    "public_budget_changed",
    "public_rows",
    "rka_rows",
    "sub_kegiatan_for_agency",
]
