"""Urusan and bidang (Permendagri 90/2019) from the shipped file."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db.models import QuerySet

from .codetree import LoadResult, code_tree_load
from .models import Urusan

URUSAN_FILE = Path(__file__).resolve().parent / "data" / "urusan_bidang.csv"


def nomenclature_load(*, path: Path = URUSAN_FILE) -> LoadResult:
    """Load or refresh urusan and bidang. Idempotent."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: (r["code"].count("."), r["code"]))
    result = code_tree_load(Urusan, rows)
    _english_load()
    return result


URUSAN_EN_FILE = URUSAN_FILE.with_name("urusan_bidang_en.csv")


def _english_load() -> None:
    """English names beside the official Indonesian ones (descriptive translations, for
    English readers; the Indonesian name stays the official one). Rows loaded in bulk
    get their Indonesian field filled first."""
    from .translations import english_set, fill_indonesian_everywhere

    fill_indonesian_everywhere()
    if URUSAN_EN_FILE.exists():
        with URUSAN_EN_FILE.open(encoding="utf-8", newline="") as fh:
            english_set(Urusan, "code", {r["code"]: r["name_en"] for r in csv.DictReader(fh)})


def bidang_list() -> QuerySet[Urusan]:
    return Urusan.objects.filter(level=Urusan.Level.BIDANG).select_related("parent")
