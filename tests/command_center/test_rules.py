"""Who may look at the command center (command_center/rules.py), one row per persona."""

from __future__ import annotations

import pytest
import rules

from tests import personas
from tests.personas import ANON, CITIZEN, SUPERUSER

pytestmark = pytest.mark.django_db
persona = personas.persona  # the fixture

LEADER, OBSERVER, ADMIN, WALL = "pimpinan", "pengamat", "administrator", "wallboard"
TAPD, OPD = "tapd", "petugas_opd@dpupr"
PERSONAS = (ANON, CITIZEN, LEADER, OBSERVER, ADMIN, WALL, TAPD, OPD, SUPERUSER)

WHO = {
    "command_center.view_dashboard": {LEADER, OBSERVER, ADMIN, SUPERUSER},
    "command_center.view_wall": {LEADER, OBSERVER, ADMIN, WALL, SUPERUSER},
    "command_center.act_on_alerts": {LEADER, ADMIN, SUPERUSER},
    "command_center.manage_targets": {ADMIN, SUPERUSER},
}


@pytest.mark.parametrize("name", PERSONAS)
def test_who_sees_the_dashboard_the_wall_and_acts_on_alerts(name, persona):
    """view_dashboard: leaders, observers, administrators; view_wall: those and the
    command room's display; act_on_alerts: leaders and administrators (the observer only
    reads); manage_targets: administrators. A city-wide role without them (TAPD) and a
    unit officer hold none."""
    user = persona(name)
    assert {p: rules.has_perm(p, user) for p in WHO} == {p: name in w for p, w in WHO.items()}
