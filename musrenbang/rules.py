"""Who may do what in e-Musrenbang (django-rules; see binjai_portal/core/permissions.py).

The steps of a proposal (verify, rank, adopt, ...) are the workflow's (workflows.py,
each action names its roles); this file holds the rules outside it.
"""

from __future__ import annotations

import rules

from binjai_portal.accounts import roles
from binjai_portal.core.permissions import has_role

MODERATOR_ROLES = (roles.MODERATOR_PENGADUAN, roles.BAPPEDA)

#: A hidden (flagged) proposal is restored or kept hidden by a moderator: the complaint
#: moderators and Bappeda.
is_moderator = has_role(*MODERATOR_ROLES)

rules.add_perm("musrenbang.moderate_proposal", is_moderator)
