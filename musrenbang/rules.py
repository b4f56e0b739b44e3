"""Who may do what in e-Musrenbang (django-rules; see binjai_portal/core/permissions.py).

The steps of a proposal (verify, rank, adopt, ...) are the workflow's (workflows.py,
each action names its roles); this file holds the rules outside it.
"""

from __future__ import annotations

import rules

from binjai_portal.accounts import roles
from binjai_portal.core.permissions import has_role, is_signed_in

MODERATOR_ROLES = (roles.MODERATOR_PENGADUAN, roles.BAPPEDA)

#: A hidden (flagged) proposal is restored or kept hidden by a moderator: the complaint
#: moderators and Bappeda.
is_moderator = has_role(*MODERATOR_ROLES)

rules.add_perm("musrenbang.moderate_proposal", is_moderator)


#: The officer who holds a forum (ranks its proposals, records its minutes) for each level.
FORUM_OFFICER = {"kelurahan": roles.PETUGAS_KELURAHAN, "kecamatan": roles.PETUGAS_KECAMATAN}


@rules.predicate
def is_forum_officer(user, forum) -> bool:
    """The kelurahan (kecamatan) officer whose own unit is the forum's region; no
    superuser: a forum is held by its region's office."""
    unit = getattr(user, "unit", None)
    role = FORUM_OFFICER.get(forum.level)
    return bool(role and user.has_role(role) and unit and unit.region_id == forum.region_id)


#: Holds a forum (musrenbang kelurahan/kecamatan): its region's officer of that level.
rules.add_perm("musrenbang.hold_forum", is_signed_in & is_forum_officer)
