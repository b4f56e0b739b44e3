"""The rules e-Budgeting's selectors carry: an RKA is seen within the officer's agency,
by the city-wide roles and the Inspectorate, by nobody outside e-Budgeting; the detail
page refuses exactly what the list leaves out."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import Http404

from binjai_portal.accounts.models import Unit
from budgeting import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def budgets(budget, fiscal_year, tapd):
    dinkes = services.budget_create(
        fiscal_year=fiscal_year,
        agency=Unit.objects.get(code="dinkes"),
        ceiling=Decimal("5000000"),
        actor=tapd,
    )
    return {"dpupr": budget, "dinkes": dinkes}


SEES = {
    "opd_officer": {"dpupr"},
    "other_officer": {"dinkes"},
    "inspector": {"dpupr", "dinkes"},
    "tapd": {"dpupr", "dinkes"},
    "bappeda": {"dpupr", "dinkes"},
    "leader": {"dpupr", "dinkes"},
    "moderator": set(),  # staff, but not of e-Budgeting
    "citizen": set(),
}


@pytest.mark.parametrize("who", SEES)
def test_an_rka_is_seen_by_its_agency_the_city_wide_roles_and_the_inspectorate(
    who, request, budgets
):
    """budget_list_for_user scopes by unit (an agency officer: their agency's RKA), the
    city-wide roles and the Inspectorate see all; budget_get_for_user 404s exactly for
    the RKA the list leaves out."""
    user = request.getfixturevalue(who)
    listed = {b.agency.code for b in selectors.budget_list_for_user(user=user)}
    assert listed == SEES[who]
    for code, budget in budgets.items():
        if code in SEES[who]:
            assert selectors.budget_get_for_user(user=user, pk=budget.pk) == budget
        else:
            with pytest.raises(Http404):
                selectors.budget_get_for_user(user=user, pk=budget.pk)
