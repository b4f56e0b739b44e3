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
    return code_tree_load(Urusan, rows)


def bidang_list() -> QuerySet[Urusan]:
    return Urusan.objects.filter(level=Urusan.Level.BIDANG).select_related("parent")
