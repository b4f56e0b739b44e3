"""Idempotent loading of coded reference trees (regions, urusan/bidang, budget codes).

Rows are dicts with `code`, `name`, `level` and `parent_code`; a model has the fields
code, name, level and parent. Parents must come before their children.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models, transaction


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def code_tree_load(model: type[models.Model], rows: Iterable[dict]) -> LoadResult:
    """Create missing rows, repair changed ones, leave the rest untouched."""
    rows = list(rows)
    existing = {
        o.code: o for o in model._default_manager.filter(code__in=[r["code"] for r in rows])
    }
    missing_parents = (
        {r["parent_code"] for r in rows if r["parent_code"]}
        - set(existing)
        - {r["code"] for r in rows}
    )
    existing.update({o.code: o for o in model._default_manager.filter(code__in=missing_parents)})
    created = updated = unchanged = 0
    for row in rows:
        parent = existing.get(row["parent_code"]) if row["parent_code"] else None
        item = existing.get(row["code"])
        if item is None:
            item = model(code=row["code"], name=row["name"], level=row["level"], parent=parent)
            item.full_clean()
            item.save()
            existing[item.code] = item
            created += 1
        elif (item.name, item.level, item.parent_id) != (
            row["name"],
            row["level"],
            parent.pk if parent else None,
        ):
            item.name, item.level, item.parent = row["name"], row["level"], parent
            item.save(update_fields=["name", "level", "parent"])
            updated += 1
        else:
            unchanged += 1
    return LoadResult(created=created, updated=updated, unchanged=unchanged)
