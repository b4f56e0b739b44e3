"""Who may use e-Budgeting's staff pages and see what."""

from __future__ import annotations

from binjai_portal.accounts import roles

from ..services import INSPECTORATE_UNIT

STAFF_ROLES = (
    roles.PETUGAS_OPD,
    roles.TAPD,
    roles.BAPPEDA,
    roles.PIMPINAN,
    roles.ADMINISTRATOR,
    roles.PENGAMAT,
)


def is_inspectorate(user) -> bool:
    return bool(user.is_authenticated and user.unit_id and user.unit.code == INSPECTORATE_UNIT)


def can_use_budgeting(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_staff
        and (user.is_superuser or user.has_role(*STAFF_ROLES))
    )


def can_see_history(user) -> bool:
    """Change history of the lines: TAPD and the Inspectorate."""
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.has_role(roles.TAPD) or is_inspectorate(user))
    )


def is_tapd(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(roles.TAPD)))
