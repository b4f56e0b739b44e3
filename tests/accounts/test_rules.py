"""Who may change whose account in the admin (accounts/rules.py): actor × account."""

from __future__ import annotations

import pytest
import rules

from tests import personas
from tests.personas import SUPERUSER

pytestmark = pytest.mark.django_db
persona = personas.persona  # the fixture

ADMIN = "administrator"
TARGETS = ("warga", "petugas_opd@dpupr", ADMIN, SUPERUSER, "self")
# (actor, target) -> (may change, may delete)
TABLE = {
    (ADMIN, "warga"): (True, True),
    (ADMIN, "petugas_opd@dpupr"): (True, True),
    (ADMIN, ADMIN): (False, False),  # another administrator: only a superuser
    (ADMIN, SUPERUSER): (False, False),
    (ADMIN, "self"): (True, False),  # their own page, not their own deletion
    (SUPERUSER, "warga"): (True, True),
    (SUPERUSER, "petugas_opd@dpupr"): (True, True),
    (SUPERUSER, ADMIN): (True, True),
    (SUPERUSER, SUPERUSER): (True, True),
    (SUPERUSER, "self"): (True, True),
}


@pytest.mark.parametrize("actor", (ADMIN, SUPERUSER))
def test_only_a_superuser_changes_a_privileged_account(actor, persona):
    """accounts.manage_account / accounts.delete_account: a superuser any account;
    anyone else an unprivileged one (not a superuser's, not an administrator's), and
    their own page but not their own deletion."""
    user = persona(actor)
    row = {}
    for target in TARGETS:
        account = user if target == "self" else persona(target)
        row[target] = (
            rules.has_perm("accounts.manage_account", user, account),
            rules.has_perm("accounts.delete_account", user, account),
        )
    assert row == {t: TABLE[(actor, t)] for t in TARGETS}
