"""Scope querysets and actions to what a user may see: the one place every app uses.

A city-wide role sees everything; a unit-bound role sees its unit: a kelurahan
officer their kelurahan, a kecamatan officer every kelurahan of their kecamatan, an
OPD or health-facility officer their unit; a citizen sees what they own.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from . import roles


def scope_filter(
    user,
    *,
    region_field: str | None = None,
    unit_field: str | None = None,
    owner_field: str | None = None,
) -> Q | None:
    """A Q limiting rows to the user's reach; None means no limit (city-wide).

    region_field names a FK to a kelurahan Region, unit_field a FK to Unit, owner_field
    a FK to the user who owns the row.
    """
    if not user or not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_citywide:
        return None
    q = Q(pk__in=[])
    unit = user.unit
    if unit is not None and user.is_staff:
        if region_field and unit.kind == roles.KELURAHAN and unit.region_id:
            q |= Q(**{f"{region_field}_id": unit.region_id})
        if region_field and unit.kind == roles.KECAMATAN and unit.region_id:
            q |= Q(**{f"{region_field}__parent_id": unit.region_id})
        if unit_field and unit.kind in (roles.OPD, roles.FASKES):
            q |= Q(**{f"{unit_field}_id": unit.pk})
    if owner_field:
        q |= Q(**{f"{owner_field}_id": user.pk})
    return q


def scope_queryset(qs: QuerySet, user, **fields) -> QuerySet:
    q = scope_filter(user, **fields)
    return qs if q is None else qs.filter(q)


def ensure_in_scope(user, obj, **fields):
    """Return obj if the user may reach it, else 404 (no hint that it exists)."""
    model = type(obj)
    if not scope_queryset(model._default_manager.filter(pk=obj.pk), user, **fields).exists():
        raise Http404
    return obj
