"""Who acts as the receiving treasurer (core/billing/rules.py), one row per persona."""

from __future__ import annotations

import pytest
import rules

from tests import personas
from tests.personas import ANON, CITIZEN, SUPERUSER

pytestmark = pytest.mark.django_db
persona = personas.persona  # the fixture

TREASURER = "bendahara_penerimaan"
PERSONAS = (ANON, CITIZEN, TREASURER, "tapd", "administrator", "petugas_opd@dpupr", SUPERUSER)


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_treasurer_sees_every_bill_and_the_cash_desk(name, persona):
    """billing.act_as_treasurer: the bendahara penerimaan (not TAPD, not an admin)."""
    assert rules.has_perm("billing.act_as_treasurer", persona(name)) == (
        name in {TREASURER, SUPERUSER}
    )


def test_a_deactivated_treasurer_is_no_treasurer(persona):
    """billing.act_as_treasurer: an active account only."""
    user = persona(TREASURER)
    user.is_active = False
    assert not rules.has_perm("billing.act_as_treasurer", user)
