"""Loading units: office units derived from regions, agencies and facilities from a file."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import override

from binjai_portal.core.models import Region

from .models import Unit

DATA_DIR = Path(__file__).resolve().parent / "data"

# English for an office's name, by the level of its region (an office is named after it).
_OFFICE_EN = {
    Region.Level.KECAMATAN: "{name} District Office",
    Region.Level.KELURAHAN: "{name} Urban Village Office",
    Region.Level.DESA: "{name} Village Office",
    Region.Level.DESA_ADAT: "{name} Customary Village Office",
}
# Health facilities keep their proper names; the kind of facility is said in English.
_FACILITY_EN = (
    ("Puskesmas ", "{rest} Community Health Centre"),
    ("RSUD ", "{rest} Regional General Hospital"),
)


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
        english = _OFFICE_EN.get(region.level, "{name}").format(name=region.name)
        rows.append(
            {
                "kind": kind,
                "code": f"{kind}-{region.code.replace('.', '-')}",
                "name": f"{prefix} {region.name}",
                "name_en": english,
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
    english = _english_names()
    return [
        {
            "kind": r["kind"],
            "code": r["code"],
            "name": r["name"],
            "name_en": (
                r.get("name_en") or english.get(r["name"]) or _facility_en(r["name"]) or None
            ),
            "short_name": r["short_name"],
            "region": regions.get(r["region_code"]),
            "is_demo": r["is_demo"] == "1",
        }
        for r in raw
    ]


def _english_names() -> dict[str, str]:
    """Agency names in English by their Indonesian name (the nomenclature is the same in
    every region): data/unit_names_en.csv."""
    with (DATA_DIR / "unit_names_en.csv").open(encoding="utf-8", newline="") as fh:
        return {r["name"]: r["name_en"] for r in csv.DictReader(fh)}


def _facility_en(name: str) -> str:
    for prefix, pattern in _FACILITY_EN:
        if name.startswith(prefix):
            return pattern.format(rest=name.removeprefix(prefix))
    return ""  # no English known: the Indonesian name is shown (modeltranslation falls back)


@transaction.atomic
def units_load(*, region_code: str | None = None, path: Path | None = None) -> UnitLoadResult:
    """Create or refresh the region's units. Idempotent."""
    with override(settings.LANGUAGE_CODE):  # `name` is the Indonesian name (modeltranslation)
        return _units_load(region_code or settings.REGION_CODE, path)


def _units_load(region_code: str, path: Path | None) -> UnitLoadResult:
    rows = _office_rows(region_code) + _file_rows(region_code, path)
    existing = {u.code: u for u in Unit.objects.filter(code__in=[r["code"] for r in rows])}
    created = updated = unchanged = 0
    fields = ["kind", "name", "name_en", "short_name", "region", "is_demo"]
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
