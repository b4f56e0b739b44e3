"""The one staff-only decorator (binjai_portal/core/permissions.py: staff_required)."""

from __future__ import annotations

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from binjai_portal.core.permissions import staff_required
from tests import personas
from tests.personas import ANON, CITIZEN, SUPERUSER

pytestmark = pytest.mark.django_db
persona = personas.persona  # the fixture


@staff_required
def staff_page(request):
    return HttpResponse("ok")


@staff_required(perm="budgeting.use_budgeting")
def budget_page(request):
    return HttpResponse("ok")


def _answer(view, user) -> int:
    request = RequestFactory().get("/halaman/")
    request.user = user
    try:
        return view(request).status_code
    except Http404:
        return 404


# persona -> (staff page, a staff page that also needs budgeting.use_budgeting)
TABLE = {
    ANON: (302, 302),  # to the login page
    CITIZEN: (404, 404),  # no hint that a staff page exists
    "moderator_pengaduan": (200, 404),  # staff, but not of e-Budgeting
    "tapd": (200, 200),
    "petugas_opd@dpupr": (200, 200),
    SUPERUSER: (200, 200),
}


@pytest.mark.parametrize("name", TABLE)
def test_staff_pages_send_visitors_to_log_in_and_hide_from_citizens(name, persona):
    """staff_required: not signed in → the login page; signed in but not staff (or
    without the page's rule) → 404."""
    user = persona(name)
    assert (_answer(staff_page, user), _answer(budget_page, user)) == TABLE[name]
