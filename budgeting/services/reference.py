"""Reference data: expense accounts, nomenclature (program to sub kegiatan), agencies' bidang."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from binjai_portal.core.codetree import code_tree_load
from binjai_portal.core.models import Urusan

from .. import imports
from ..models import (
    Account,
    AgencyBidang,
    Nomenclature,
)
from .rights import _ensure_admin

ACCOUNTS_FILE = Path(__file__).resolve().parent.parent / "data" / "rekening_belanja.csv"


def accounts_load_shipped(*, path: Path = ACCOUNTS_FILE):
    """Levels 1–3 of the expense accounts from the shipped file. Idempotent."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: (r["code"].count("."), r["code"]))
    return code_tree_load(Account, rows)


def _read(data: bytes, filename: str, kind: str) -> list[tuple[int, dict]]:
    return imports.to_dicts(imports.read_table(data, filename), kind)


@transaction.atomic
def account_import(*, data: bytes, filename: str, actor) -> imports.ImportReport:
    """Import deeper account levels. Nothing is written when a row is bad."""
    _ensure_admin(actor)
    report = imports.ImportReport()
    pairs = _read(data, filename, "accounts")
    existing = dict(Account.objects.values_list("code", "level"))
    imports.check_tree(
        pairs,
        levels=imports.ACCOUNT_LEVELS,
        patterns=imports.ACCOUNT_PATTERNS,
        existing=existing,
        report=report,
    )
    if not report.ok:
        return report
    result = code_tree_load(Account, [row for _n, row in pairs])
    report.created, report.updated = result.created, result.updated
    return report


@transaction.atomic
def nomenclature_import(
    *, data: bytes, filename: str, actor, is_demo: bool = False
) -> imports.ImportReport:
    """Import programs, kegiatan and sub-kegiatan (with output indicator and unit)."""
    _ensure_admin(actor)
    report = imports.ImportReport()
    pairs = _read(data, filename, "nomenclature")
    bidang = {u.code: u for u in Urusan.objects.filter(level=Urusan.Level.BIDANG)}
    existing = dict(Nomenclature.objects.values_list("code", "level"))
    imports.check_tree(
        pairs,
        levels=imports.NOMENCLATURE_LEVELS,
        patterns=imports.NOMENCLATURE_PATTERNS,
        existing=existing,
        report=report,
        top_parents=set(bidang),
    )
    for n, row in pairs:
        if row["level"] == "sub_kegiatan" and not (row["output_indicator"] and row["output_unit"]):
            report.add(n, _("Sub kegiatan wajib punya indikator dan satuan keluaran."))
    if not report.ok:
        return report
    report.errors.sort()
    known = {o.code: o for o in Nomenclature.objects.all()}
    for _n, row in pairs:
        parent = None if row["level"] == "program" else known[row["parent_code"]]
        values = {
            "name": row["name"],
            "level": row["level"],
            "parent": parent,
            "bidang": bidang[row["code"][:4]],
            "output_indicator": row["output_indicator"],
            "output_unit": row["output_unit"],
            "is_demo": is_demo,
        }
        item = known.get(row["code"])
        if item is None:
            item = Nomenclature(code=row["code"], **values)
            report.created += 1
        elif any(getattr(item, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(item, k, v)
            report.updated += 1
        else:
            continue
        item.full_clean()
        item.save()
        known[item.code] = item
    return report


@transaction.atomic
def agency_bidang_set(*, agency, bidang: Sequence[Urusan], actor) -> None:
    _ensure_admin(actor)
    AgencyBidang.objects.filter(agency=agency).exclude(bidang__in=bidang).delete()
    have = set(AgencyBidang.objects.filter(agency=agency).values_list("bidang_id", flat=True))
    AgencyBidang.objects.bulk_create(
        [AgencyBidang(agency=agency, bidang=b) for b in bidang if b.pk not in have]
    )
