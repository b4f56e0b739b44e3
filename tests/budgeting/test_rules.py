"""Who may do what in e-Budgeting (budgeting/rules.py), as role × RKA-state tables. Each
row is one persona; the columns are the states of an RKA of DPUPR (the agency of
"petugas_opd@dpupr")."""

from __future__ import annotations

import pytest
import rules

from binjai_portal.accounts.models import Unit
from budgeting.models import Budget
from tests import personas
from tests.personas import ANON, CITIZEN, SUPERUSER

pytestmark = pytest.mark.django_db
persona = personas.persona  # the fixture

S = Budget.Status
OPD_IN, OPD_OUT, INSPECTOR = "petugas_opd@dpupr", "petugas_opd@dinkes", "petugas_opd@inspektorat"
TAPD, BAPPEDA, LEADER, OBSERVER, ADMIN = "tapd", "bappeda", "pimpinan", "pengamat", "administrator"
MOD = "moderator_pengaduan"  # staff, but not of e-Budgeting
PERSONAS = (
    ANON,
    CITIZEN,
    OPD_IN,
    OPD_OUT,
    INSPECTOR,
    TAPD,
    BAPPEDA,
    LEADER,
    OBSERVER,
    ADMIN,
    MOD,
    SUPERUSER,
)
OPD = {OPD_IN, OPD_OUT, INSPECTOR}

# Rules about the user alone: who holds each.
WHO = {
    "budgeting.use_budgeting": OPD | {TAPD, BAPPEDA, LEADER, OBSERVER, ADMIN, SUPERUSER},
    "budgeting.view_history": {TAPD, INSPECTOR, SUPERUSER},
    "budgeting.act_as_tapd": {TAPD, SUPERUSER},
    "budgeting.import_reference": {TAPD, ADMIN, SUPERUSER},
    "budgeting.fund_proposal": {TAPD, BAPPEDA, SUPERUSER},
    "budgeting.record_realisation": OPD | {TAPD, SUPERUSER},
    "budgeting.act_for_agency": OPD | {SUPERUSER},
}

# Rules about an RKA: who holds each, per state. Nobody but the agency's own officer
# edits its plan (not even a superuser), and only while draft or returned.
EDIT_BUDGET = {s: ({OPD_IN} if s in Budget.EDITABLE else set()) for s in S.values}
COMPLETE_WORK = {s: ({OPD_IN} if s == S.LOCKED else set()) for s in S.values}


@pytest.mark.parametrize("name", PERSONAS)
def test_who_holds_each_budgeting_rule(name, persona):
    """use_budgeting: e-Budgeting's staff roles; view_history: TAPD and the Inspectorate;
    act_as_tapd: TAPD; import_reference: administrator or TAPD; fund_proposal: TAPD or
    Bappeda; record_realisation: agency officers or TAPD; act_for_agency: agency
    officers (services add the unit's scope)."""
    user = persona(name)
    assert {perm: rules.has_perm(perm, user) for perm in WHO} == {
        perm: name in who for perm, who in WHO.items()
    }


@pytest.mark.parametrize("name", PERSONAS)
def test_an_rka_is_edited_by_its_own_agency_while_draft_or_returned(name, persona):
    """budgeting.edit_budget: the RKA's agency officer, in DRAFT and RETURNED only."""
    user = persona(name)
    agency = Unit.objects.get(code="dpupr")
    row = {
        s: rules.has_perm("budgeting.edit_budget", user, Budget(agency=agency, status=s))
        for s in S.values
    }
    assert row == {s: name in EDIT_BUDGET[s] for s in S.values}


@pytest.mark.parametrize("name", PERSONAS)
def test_funded_work_is_marked_completed_by_the_agency_once_the_dpa_is_locked(name, persona):
    """budgeting.complete_work_of: the RKA's agency officer, on a LOCKED DPA only."""
    user = persona(name)
    agency = Unit.objects.get(code="dpupr")
    row = {
        s: rules.has_perm("budgeting.complete_work_of", user, Budget(agency=agency, status=s))
        for s in S.values
    }
    assert row == {s: name in COMPLETE_WORK[s] for s in S.values}
