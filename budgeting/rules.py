"""Who may do what in e-Budgeting (django-rules; see binjai_portal/core/permissions.py).

The steps of an RKA (submit, review, approve, lock, ...) are the workflow's
(workflows.py, each action names its roles); this file holds the rules outside it.
Which RKA a user sees is `selectors.budget_list_for_user` (by unit; the Inspectorate
and city-wide roles: all).
"""

from __future__ import annotations

import rules

from binjai_portal.accounts import roles
from binjai_portal.core.permissions import has_role, is_signed_in, is_staff

INSPECTORATE_UNIT = "inspektorat"

#: The staff roles with e-Budgeting's staff pages (the observer only reads).
STAFF_ROLES = (
    roles.PETUGAS_OPD,
    roles.TAPD,
    roles.BAPPEDA,
    roles.PIMPINAN,
    roles.ADMINISTRATOR,
    roles.PENGAMAT,
)


@rules.predicate
def is_inspectorate(user) -> bool:
    """Works in the Inspectorate (the city's internal auditor): reads every RKA."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.unit_id
        and user.unit.code == INSPECTORATE_UNIT
    )


@rules.predicate
def is_agency_officer_of(user, budget) -> bool:
    """A budget officer (petugas OPD) of the agency whose RKA this is (no superuser:
    nobody edits an agency's plan but the agency)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.has_role(roles.PETUGAS_OPD)
        and budget.agency_id == user.unit_id
    )


@rules.predicate
def is_editable(user, budget) -> bool:
    return bool(budget.is_editable)


@rules.predicate
def is_locked(user, budget) -> bool:
    """Locked as the DPA: the plan is spent, no longer changed."""
    return budget.status == budget.Status.LOCKED


is_tapd = has_role(roles.TAPD)

#: Opens e-Budgeting's staff pages.
rules.add_perm("budgeting.use_budgeting", is_staff & has_role(*STAFF_ROLES))
#: The change history of the lines: TAPD and the Inspectorate.
rules.add_perm("budgeting.view_history", is_signed_in & (is_tapd | is_inspectorate))
#: TAPD's own acts outside the workflow: fiscal years, ceilings, the price list.
rules.add_perm("budgeting.act_as_tapd", is_tapd)
#: Imports the reference data (nomenclature, programmes): an administrator or TAPD.
rules.add_perm("budgeting.import_reference", has_role(roles.ADMINISTRATOR, roles.TAPD))
#: Edits an RKA's activities and lines: its agency's officer, while draft or returned.
rules.add_perm("budgeting.edit_budget", is_agency_officer_of & is_editable)
#: The RKA's activities may fund accepted e-Musrenbang proposals: TAPD or Bappeda.
rules.add_perm("budgeting.fund_proposal", has_role(roles.TAPD, roles.BAPPEDA))
#: Records the monthly spending of a locked DPA: the agency's officer or TAPD.
rules.add_perm("budgeting.record_realisation", has_role(roles.PETUGAS_OPD, roles.TAPD))
#: Acts for an agency, within its scope (services check the scope): edits its RKA, marks
#: its funded work completed. Its budget officers.
rules.add_perm("budgeting.act_for_agency", has_role(roles.PETUGAS_OPD))
#: The button for it on a locked DPA: only its own agency's officer.
rules.add_perm("budgeting.complete_work_of", is_agency_officer_of & is_locked)
