"""Defaults that follow from the region code alone, read before Django is set up.

A region deploys the portal by setting REGION_CODE: its name ("Kota Semarang") and the
portal's name ("Semarang Smart City") come from the national Kemendagri file shipped in
``core/data``; each can still be set explicitly (REGION_NAME, SITE_NAME).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

KABKOTA_FILE = Path(__file__).resolve().parent / "core" / "data" / "regions_indonesia_kabkota.csv"
PREFIXES = ("Kota Administrasi ", "Kabupaten Administrasi ", "Kota ", "Kabupaten ")


@lru_cache(maxsize=8)
def region_name(code: str) -> str:
    """The official name of a regency or city ("Kota Binjai"); "" for an unknown code."""
    with KABKOTA_FILE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["code"] == code and row["level"] in ("kota", "kabupaten"):
                return row["name"]
    return ""


def short_name(name: str) -> str:
    """ "Kota Binjai" -> "Binjai", "Kabupaten Langkat" -> "Langkat"."""
    for prefix in PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name
