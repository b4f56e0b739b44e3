"""Regions of Indonesia: loading from the national Kemendagri file, and reads."""

from __future__ import annotations

import csv
import gzip
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from .codetree import LoadResult, code_tree_load
from .models import Region

DATA_DIR = Path(__file__).resolve().parent / "data"
NATIONAL_FILE = DATA_DIR / "regions_indonesia_full.csv.gz"
KABKOTA_FILE = DATA_DIR / "regions_indonesia_kabkota.csv"


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
            r
            for r in csv.DictReader(fh)
            if r["code"] in (province, region_code) or r["code"].startswith(prefix)
        ]
    if not any(r["code"] == region_code for r in rows):
        raise UnknownRegion(region_code)
    # Parents before children: codes get longer with each level.
    rows.sort(key=lambda r: (r["code"].count("."), r["code"]))
    return tuple(rows)


def _rows_for(region_code: str, path: Path) -> list[dict]:
    return [dict(r) for r in _read_rows(region_code, path)]


def regions_load(*, region_code: str | None = None, path: Path = NATIONAL_FILE) -> LoadResult:
    """Load (or refresh) the province, the regency/city and all regions below it.

    Idempotent: a second run finds every row unchanged and writes nothing.
    """
    return code_tree_load(Region, _rows_for(region_code or settings.REGION_CODE, path))


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
