"""Urusan and bidang (Permendagri 90/2019) from the shipped file."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet

from .models import Urusan
from .regions import LoadResult

URUSAN_FILE = Path(__file__).resolve().parent / "data" / "urusan_bidang.csv"


@transaction.atomic
def nomenclature_load(*, path: Path = URUSAN_FILE) -> LoadResult:
    """Load or refresh urusan and bidang. Idempotent."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: (r["code"].count("."), r["code"]))
    existing = {u.code: u for u in Urusan.objects.all()}
    created = updated = unchanged = 0
    for row in rows:
        parent = existing.get(row["parent_code"]) if row["parent_code"] else None
        item = existing.get(row["code"])
        if item is None:
            item = Urusan(code=row["code"], name=row["name"], level=row["level"], parent=parent)
            item.full_clean()
            item.save()
            existing[item.code] = item
            created += 1
        elif (item.name, item.level, item.parent_id) != (
            row["name"], row["level"], parent.pk if parent else None
        ):
            item.name, item.level, item.parent = row["name"], row["level"], parent
            item.save(update_fields=["name", "level", "parent"])
            updated += 1
        else:
            unchanged += 1
    return LoadResult(created=created, updated=updated, unchanged=unchanged)


def bidang_list() -> QuerySet[Urusan]:
    return Urusan.objects.filter(level=Urusan.Level.BIDANG).select_related("parent")
