"""Who may change whose account (django-rules; see binjai_portal/core/permissions.py).

Roles themselves are roles.py (groups with their database permissions, e.g.
accounts.view_full_nik); what a user may see by unit is scoping.py.
"""

from __future__ import annotations

import rules

from binjai_portal.core.permissions import is_superuser

from . import roles

#: Roles only a superuser may give or take (and whose holders only a superuser changes).
SUPERUSER_ONLY_ROLES = (roles.ADMINISTRATOR,)


@rules.predicate
def is_privileged_account(user, account) -> bool:
    """The account is a superuser's or an administrator's."""
    if account.is_superuser:
        return True
    return account.groups.filter(name__in=SUPERUSER_ONLY_ROLES).exists()


@rules.predicate
def is_own_account(user, account) -> bool:
    return bool(user is not None and user.pk == account.pk)


#: Changes or deletes an account in the admin (beside Django's change_user/delete_user):
#: a superuser any; anyone else their own or an unprivileged one, so an administrator
#: cannot take over a superuser or another administrator.
rules.add_perm("accounts.manage_account", is_superuser | is_own_account | ~is_privileged_account)
#: Deletes an account: as above, but not by being its owner.
rules.add_perm("accounts.delete_account", is_superuser | ~is_privileged_account)
