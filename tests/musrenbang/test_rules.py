"""Who moderates a hidden proposal (musrenbang/rules.py), one row per persona."""

from __future__ import annotations

import pytest
import rules

from tests import personas
from tests.personas import ANON, CITIZEN, SUPERUSER

pytestmark = pytest.mark.django_db
persona = personas.persona  # the fixture

MODERATE = {"moderator_pengaduan", "bappeda", SUPERUSER}
PERSONAS = (
    ANON,
    CITIZEN,
    "moderator_pengaduan",
    "bappeda",
    "petugas_kelurahan@kelurahan-12-75-02-1001",
    "petugas_kecamatan@kecamatan-12-75-02",
    "petugas_opd@dpupr",
    "pimpinan",
    SUPERUSER,
)


@pytest.mark.parametrize("name", PERSONAS)
def test_complaint_moderators_and_bappeda_moderate_flagged_proposals(name, persona):
    """musrenbang.moderate_proposal: the complaint moderators and Bappeda; the forum's
    officers and the city's leaders do not."""
    assert rules.has_perm("musrenbang.moderate_proposal", persona(name)) == (name in MODERATE)
