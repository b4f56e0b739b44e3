"""Who runs a health facility's queue (dokter/rules.py), persona × facility."""

from __future__ import annotations

import pytest
import rules

from binjai_portal.accounts.models import Unit
from dokter.models import Facility
from tests import personas
from tests.personas import ANON, CITIZEN, SUPERUSER

pytestmark = pytest.mark.django_db
persona = personas.persona  # the fixture

CLERK_KOTA, CLERK_UTARA = (
    "petugas_puskesmas@puskesmas-demo-kota",
    "petugas_puskesmas@puskesmas-demo-utara",
)
PERSONAS = (ANON, CITIZEN, CLERK_KOTA, CLERK_UTARA, "moderator_pengaduan", "pimpinan", SUPERUSER)
FACILITIES = ("puskesmas-demo-kota", "puskesmas-demo-utara")
RUNS = {
    "puskesmas-demo-kota": {CLERK_KOTA, SUPERUSER},
    "puskesmas-demo-utara": {CLERK_UTARA, SUPERUSER},
}


def _facility(code):
    return Facility(unit=Unit.objects.get(code=code))


@pytest.mark.parametrize("name", PERSONAS)
def test_a_facility_is_run_by_its_own_clerks(name, persona):
    """dokter.run_facility: the clerks (petugas puskesmas) of the facility's own unit, or
    a superuser; not a clerk of another facility, not a city-wide role."""
    user = persona(name)
    row = {
        code: rules.has_perm("dokter.run_facility", user, _facility(code)) for code in FACILITIES
    }
    assert row == {code: name in RUNS[code] for code in FACILITIES}


def test_a_deactivated_clerk_runs_no_facility(persona):
    """dokter.run_facility: only an active account (an API token of a clerk who left
    stops working)."""
    clerk = persona(CLERK_KOTA)
    clerk.is_active = False
    assert not rules.has_perm("dokter.run_facility", clerk, _facility("puskesmas-demo-kota"))
