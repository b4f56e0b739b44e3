"""Regions of Indonesia: loading from the national Kemendagri file, and reads."""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from .models import Region

DATA_DIR = Path(__file__).resolve().parent / "data"
NATIONAL_FILE = DATA_DIR / "regions_indonesia_full.csv.gz"
KABKOTA_FILE = DATA_DIR / "regions_indonesia_kabkota.csv"


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


class UnknownRegion(ValueError):
    pass


def _open(path: Path):
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open(encoding="utf-8", newline="")


@cache
def _read_rows(region_code: str, path: Path) -> tuple[dict, ...]:
    province = region_code.split(".")[0]
    prefix = region_code + "."
    with _open(path) as fh:
        rows = [
            r for r in csv.DictReader(fh)
            if r["code"] in (province, region_code) or r["code"].startswith(prefix)
        ]
    if not any(r["code"] == region_code for r in rows):
        raise UnknownRegion(region_code)
    # Parents before children: codes get longer with each level.
    rows.sort(key=lambda r: (r["code"].count("."), r["code"]))
    return tuple(rows)


def _rows_for(region_code: str, path: Path) -> list[dict]:
    return [dict(r) for r in _read_rows(region_code, path)]


@transaction.atomic
def regions_load(*, region_code: str | None = None, path: Path = NATIONAL_FILE) -> LoadResult:
    """Load (or refresh) the province, the regency/city and all regions below it.

    Idempotent: a second run finds every row unchanged and writes nothing.
    """
    region_code = region_code or settings.REGION_CODE
    rows = _rows_for(region_code, path)
    existing = {r.code: r for r in Region.objects.filter(code__in=[r["code"] for r in rows])}
    created = updated = unchanged = 0
    for row in rows:
        parent = existing.get(row["parent_code"]) if row["parent_code"] else None
        region = existing.get(row["code"])
        if region is None:
            region = Region(code=row["code"], name=row["name"], level=row["level"], parent=parent)
            region.full_clean()
            region.save()
            existing[region.code] = region
            created += 1
        elif (region.name, region.level, region.parent_id) != (
            row["name"], row["level"], parent.pk if parent else None
        ):
            region.name, region.level, region.parent = row["name"], row["level"], parent
            region.save(update_fields=["name", "level", "parent"])
            updated += 1
        else:
            unchanged += 1
    return LoadResult(created=created, updated=updated, unchanged=unchanged)


@cache
def province_codes() -> frozenset[str]:
    """Province codes of Indonesia, read from the shipped file (no database needed)."""
    with _open(KABKOTA_FILE) as fh:
        return frozenset(r["code"] for r in csv.DictReader(fh) if r["level"] == "provinsi")


def kecamatan_list(*, region_code: str | None = None) -> QuerySet[Region]:
    region_code = region_code or settings.REGION_CODE
    return Region.objects.filter(level=Region.Level.KECAMATAN, parent__code=region_code)


def village_list(*, region_code: str | None = None) -> QuerySet[Region]:
    """Kelurahan and desa of the portal's region, with their kecamatan, ordered by code."""
    region_code = region_code or settings.REGION_CODE
    return (
        Region.objects.filter(level__in=Region.VILLAGE_LEVELS, code__startswith=region_code + ".")
        .select_related("parent")
        .order_by("code")
    )
