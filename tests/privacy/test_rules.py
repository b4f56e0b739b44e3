"""Who acts as the data protection officer (core/privacy/rules.py), one row per persona."""

from __future__ import annotations

import pytest
import rules

from tests import personas
from tests.personas import ANON, CITIZEN, SUPERUSER

pytestmark = pytest.mark.django_db
persona = personas.persona  # the fixture

DPO = "pejabat_pdp"
PERSONAS = (ANON, CITIZEN, DPO, "administrator", "moderator_pengaduan", "pimpinan", SUPERUSER)


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_dpo_keeps_the_records_and_answers_requests(name, persona):
    """privacy.act_as_protection_officer: the Pejabat PDP (UU 27/2022 Pasal 53); an
    administrator is not one."""
    assert rules.has_perm("privacy.act_as_protection_officer", persona(name)) == (
        name in {DPO, SUPERUSER}
    )


def test_a_deactivated_dpo_is_no_dpo(persona):
    """privacy.act_as_protection_officer: an active account only."""
    user = persona(DPO)
    user.is_active = False
    assert not rules.has_perm("privacy.act_as_protection_officer", user)
