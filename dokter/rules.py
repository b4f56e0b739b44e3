"""Who may do what in e-Dokter (django-rules; see binjai_portal/core/permissions.py)."""

from __future__ import annotations

import rules
from django.http import Http404

from binjai_portal.accounts import roles
from binjai_portal.core.permissions import is_active, is_superuser


@rules.predicate
def is_clerk_of(user, facility) -> bool:
    """A health-facility clerk (petugas puskesmas) of this facility's unit."""
    return bool(user.has_role(roles.PETUGAS_PUSKESMAS) and user.unit_id == facility.unit_id)


#: Runs a facility's queue (check-in, call, serve, closing, API tokens): its own active
#: clerks, or a superuser.
rules.add_perm("dokter.run_facility", is_active & (is_superuser | is_clerk_of))


def ensure_facility_staff(user, facility) -> None:
    """Only the facility's own clerks (or a superuser) run its queue; others get 404."""
    if not rules.has_perm("dokter.run_facility", user, facility):
        raise Http404
