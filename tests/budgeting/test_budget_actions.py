"""The RKA page offers the agency and TAPD exactly the steps the workflow engine allows
(core/_actions.html); an RKA over its ceiling asks before it is submitted."""

import pytest
from django.urls import reverse

from budgeting import services
from tests.offered import offered, offered_forms

from .test_services import add_pen

pytestmark = pytest.mark.django_db


def _page(client, user, budget):
    client.force_login(user)
    response = client.get(reverse("budgeting:budget-detail", args=[budget.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_agency_may_submit_and_tapd_may_not_yet(
    client, activity, opd_officer, tapd, atk, items
):
    add_pen(activity, opd_officer, atk, items)
    budget = activity.budget
    url = reverse("budgeting:budget-act", args=[budget.pk])
    html = _page(client, opd_officer, budget)
    assert offered(html, url) == ["submit"]
    ((form),) = offered_forms(html, url)
    assert form.confirm is None and form.fields == []  # within the ceiling: not asked
    assert [b[0] for b in form.buttons] == ["Ajukan ke TAPD"]
    assert offered(_page(client, tapd, budget), url) == []


def test_tapd_is_offered_its_steps_once_submitted_and_the_agency_none(
    client, activity, opd_officer, tapd, inspector, atk, items
):
    add_pen(activity, opd_officer, atk, items)
    budget = activity.budget
    services.budget_act(budget=budget, action="submit", actor=opd_officer)
    url = reverse("budgeting:budget-act", args=[budget.pk])
    html = _page(client, tapd, budget)
    assert offered(html, url) == ["review", "return", "verify"]
    forms = {f.steps[0]: f for f in offered_forms(html, url)}
    assert forms["return"].fields == ["note"] and 'id="note-return"' in html
    assert "btn-outline-danger" in forms["return"].buttons[0][1]
    assert forms["review"].fields == [] and "btn-primary" in forms["review"].buttons[0][1]
    for user in (opd_officer, inspector):
        assert offered(_page(client, user, budget), url) == []


def test_over_the_ceiling_the_submit_step_asks_first(client, activity, opd_officer, atk, items):
    add_pen(activity, opd_officer, atk, items, qty="1000")  # Rp 10.500.000 > Rp 10.000.000
    budget = activity.budget
    url = reverse("budgeting:budget-act", args=[budget.pk])
    ((form),) = offered_forms(_page(client, opd_officer, budget), url)
    assert form.steps == ["submit"]
    assert form.confirm.startswith("Total RKA melebihi pagu sebesar Rp\xa0500.000;")
