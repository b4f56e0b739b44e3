"""Loading units: office units derived from regions, agencies and facilities from a file."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from binjai_portal.core.models import Region

from .models import Unit

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class UnitLoadResult:
    created: int
    updated: int
    unchanged: int


def _office_rows(region_code: str) -> list[dict]:
    rows = []
    regions = Region.objects.filter(code__startswith=region_code + ".").filter(
        level__in=[Region.Level.KECAMATAN, *Region.VILLAGE_LEVELS]
    )
    for region in regions.order_by("code"):
        if region.level == Region.Level.KECAMATAN:
            kind, prefix = Unit.Kind.KECAMATAN, "Kantor Camat"
        else:
            kind, prefix = Unit.Kind.KELURAHAN, "Kantor " + region.get_level_display()
        rows.append(
            {
                "kind": kind,
                "code": f"{kind}-{region.code.replace('.', '-')}",
                "name": f"{prefix} {region.name}",
                "short_name": "",
                "region": region,
                "is_demo": False,
            }
        )
    return rows


def _file_rows(region_code: str, path: Path | None) -> list[dict]:
    path = path or DATA_DIR / f"units_{region_code}.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        raw = list(csv.DictReader(fh))
    regions = {r.code: r for r in Region.objects.filter(code__in={r["region_code"] for r in raw})}
    return [
        {
            "kind": r["kind"],
            "code": r["code"],
            "name": r["name"],
            "short_name": r["short_name"],
            "region": regions.get(r["region_code"]),
            "is_demo": r["is_demo"] == "1",
        }
        for r in raw
    ]


@transaction.atomic
def units_load(*, region_code: str | None = None, path: Path | None = None) -> UnitLoadResult:
    """Create or refresh the region's units. Idempotent."""
    region_code = region_code or settings.REGION_CODE
    rows = _office_rows(region_code) + _file_rows(region_code, path)
    existing = {u.code: u for u in Unit.objects.filter(code__in=[r["code"] for r in rows])}
    created = updated = unchanged = 0
    fields = ["kind", "name", "short_name", "region", "is_demo"]
    for row in rows:
        unit = existing.get(row["code"])
        if unit is None:
            unit = Unit(**row)
            unit.full_clean()
            unit.save()
            created += 1
        elif any(getattr(unit, f) != row[f] for f in fields):
            for f in fields:
                setattr(unit, f, row[f])
            unit.full_clean()
            unit.save(update_fields=fields)
            updated += 1
        else:
            unchanged += 1
    return UnitLoadResult(created, updated, unchanged)
