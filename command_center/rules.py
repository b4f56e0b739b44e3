"""Who may look at the command center (django-rules; see binjai_portal/core/permissions.py).

Which alerts a user sees is `selectors.alert_list_visible`; acting on an alert is its
workflow's decision (workflows.py).
"""

from __future__ import annotations

import rules

from binjai_portal.accounts import roles
from binjai_portal.core.permissions import has_role

DASHBOARD_ROLES = (roles.PIMPINAN, roles.PENGAMAT, roles.ADMINISTRATOR)
WALL_ROLES = (*DASHBOARD_ROLES, roles.WALLBOARD)
ACT_ROLES = (roles.PIMPINAN, roles.ADMINISTRATOR)

#: The overview, its filters and its export: the city's leaders, observers, admins.
rules.add_perm("command_center.view_dashboard", has_role(*DASHBOARD_ROLES))
#: The wallboard and its panels (and every alert): the dashboard's viewers and the
#: command room's display.
rules.add_perm("command_center.view_wall", has_role(*WALL_ROLES))
#: The overview offers the alert actions (the workflow decides each): leaders, admins.
rules.add_perm("command_center.act_on_alerts", has_role(*ACT_ROLES))
#: Targets and alert rules in the admin: administrators.
rules.add_perm("command_center.manage_targets", has_role(roles.ADMINISTRATOR))
