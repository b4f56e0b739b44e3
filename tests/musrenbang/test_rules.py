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


KEL_BERNGAM, KEC_KOTA = "12.75.02.1001", "12.75.02"
KEL_OFFICER = "petugas_kelurahan@kelurahan-12-75-02-1001"
KEC_OFFICER = "petugas_kecamatan@kecamatan-12-75-02"
KEL_OTHER = "petugas_kelurahan@kelurahan-12-75-01-1001"
FORUMS = (("kelurahan", KEL_BERNGAM), ("kecamatan", KEC_KOTA))
HOLDS = {
    ("kelurahan", KEL_BERNGAM): {KEL_OFFICER},
    ("kecamatan", KEC_KOTA): {KEC_OFFICER},
}
FORUM_PERSONAS = (ANON, CITIZEN, KEL_OFFICER, KEC_OFFICER, KEL_OTHER, "bappeda", SUPERUSER)


@pytest.mark.parametrize("name", FORUM_PERSONAS)
def test_a_forum_is_held_by_its_own_regions_officer_of_that_level(name, persona, regions):
    """musrenbang.hold_forum: the kelurahan forum by that kelurahan's officer, the
    kecamatan forum by that kecamatan's officer; not another region's, not a kecamatan
    officer at a kelurahan forum, not Bappeda, not even a superuser."""
    from musrenbang.models import Forum

    user = persona(name)
    row = {
        forum: rules.has_perm(
            "musrenbang.hold_forum", user, Forum(level=forum[0], region=regions.get(code=forum[1]))
        )
        for forum in FORUMS
    }
    assert row == {forum: name in HOLDS[forum] for forum in FORUMS}
