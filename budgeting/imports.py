"""Reading and checking an administrator's CSV or Excel file, before anything is written.

Every bad row is reported (row number as the user sees it in the spreadsheet, with the
header as row 1); the services import nothing when one row is bad.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from binjai_portal.core import spreadsheets

MAX_ROWS = 50_000

ACCOUNT_LEVELS = ("akun", "kelompok", "jenis", "objek", "rincian", "sub_rincian")
ACCOUNT_PATTERNS = {
    "akun": r"[0-9]",
    "kelompok": r"[0-9]\.[0-9]",
    "jenis": r"[0-9]\.[0-9]\.[0-9]{2}",
    "objek": r"[0-9]\.[0-9]\.[0-9]{2}\.[0-9]{2}",
    "rincian": r"[0-9]\.[0-9]\.[0-9]{2}\.[0-9]{2}\.[0-9]{2}",
    # Permendagri 90/2019 writes 3 digits, Kepmendagri 050-5889/2021 and SIPD 4.
    "sub_rincian": r"[0-9]\.[0-9]\.[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{3,4}",
}
NOMENCLATURE_LEVELS = ("program", "kegiatan", "sub_kegiatan")
NOMENCLATURE_PATTERNS = {
    "program": r"[0-9]\.[0-9]{2}\.[0-9]{2}",
    "kegiatan": r"[0-9]\.[0-9]{2}\.[0-9]{2}\.[0-9]\.[0-9]{2}",
    "sub_kegiatan": r"[0-9]\.[0-9]{2}\.[0-9]{2}\.[0-9]\.[0-9]{2}\.[0-9]{4}",
}
PRICE_KINDS = ("ssh", "hspk", "asb")

COLUMNS = {
    "accounts": ("code", "name", "level", "parent_code"),
    "nomenclature": ("code", "name", "level", "parent_code", "output_indicator", "output_unit"),
    "prices": ("code", "name", "specification", "unit", "price", "kind", "accounts"),
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, columns)."""


@dataclass
class ImportReport:
    rows: list[dict] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, row: int, message: str) -> None:
        self.errors.append((row, message))


def read_table(data: bytes, filename: str) -> list[list[str]]:
    """Rows of cells as text from a .csv (UTF-8, comma or semicolon) or .xlsx file."""
    name = (filename or "").lower()
    try:
        if name.endswith(".xlsx"):
            rows = spreadsheets.read_xlsx(data, max_rows=MAX_ROWS)
        elif name.endswith(".csv"):
            rows = spreadsheets.read_csv(data, max_rows=MAX_ROWS)
        else:
            raise ImportFileError(_("Gunakan berkas .csv atau .xlsx."))
    except spreadsheets.SpreadsheetError as exc:
        raise ImportFileError(str(exc)) from exc
    return rows


def to_dicts(rows: list[list[str]], kind: str) -> list[tuple[int, dict]]:
    """(spreadsheet row number, {column: text}) after checking the header."""
    if not rows:
        raise ImportFileError(_("Berkas kosong."))
    header = [h.strip().lower() for h in rows[0]]
    wanted = COLUMNS[kind]
    missing = [c for c in wanted if c not in header]
    if missing:
        raise ImportFileError(
            _("Kolom wajib tidak ada: %(missing)s. Kolom yang diharapkan: %(wanted)s.")
            % {"missing": ", ".join(missing), "wanted": ", ".join(wanted)}
        )
    index = {c: header.index(c) for c in wanted}
    out = []
    for n, row in enumerate(rows[1:], start=2):
        out.append((n, {c: (row[i] if i < len(row) else "").strip() for c, i in index.items()}))
    return out


def parse_money(text: str) -> Decimal | None:
    """'150000', '150000.50' or '150.000,50' (Indonesian) → Decimal; None if not a number."""
    text = (text or "").replace(" ", "").replace("Rp", "")
    if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?", text):
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[0-9]+,[0-9]+", text):
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def check_tree(
    pairs: list[tuple[int, dict]],
    *,
    levels: tuple[str, ...],
    patterns: dict,
    existing: dict[str, str],
    report: ImportReport,
    top_parents: set[str] | None = None,
) -> None:
    """Code format per level, parent present (in the file or already loaded) and one level
    up, and no duplicate code in the file. top_parents: the codes the top level hangs
    under (bidang codes for programs); None when the top level has no parent."""
    seen: dict[str, tuple[int, str]] = {}
    for n, row in pairs:
        code, level, parent = row["code"], row["level"].lower(), row["parent_code"]
        if not row["name"]:
            report.add(n, _("Nama kosong."))
        if level not in levels:
            report.add(
                n,
                _("Tingkat '%(level)s' tidak dikenal (pilih: %(levels)s).")
                % {"level": row["level"], "levels": ", ".join(levels)},
            )
            continue
        if not re.fullmatch(patterns[level], code):
            report.add(
                n,
                _("Kode '%(code)s' tidak sesuai format tingkat %(level)s.")
                % {"code": code, "level": level},
            )
            continue
        if code in seen:
            report.add(
                n,
                _("Kode %(code)s ganda (juga di baris %(other)s).")
                % {"code": code, "other": seen[code][0]},
            )
            continue
        seen[code] = (n, level)
        i = levels.index(level)
        row["level"] = level
        if i == 0:
            if top_parents is None and parent:
                report.add(n, _("Tingkat teratas tidak punya induk."))
            elif top_parents is not None and (
                parent not in top_parents or not code.startswith(parent + ".")
            ):
                report.add(
                    n,
                    _(
                        "Bidang urusan %(parent)s tidak ditemukan atau tidak sesuai "
                        "dengan kode %(code)s."
                    )
                    % {"parent": parent or "—", "code": code},
                )
            continue
        parent_level = seen.get(parent, (0, existing.get(parent)))[1]
        if not parent or parent_level is None:
            report.add(
                n,
                _("Induk %(parent)s tidak ditemukan (harus di baris sebelumnya atau sudah dimuat).")
                % {"parent": parent or "—"},
            )
        elif parent_level != levels[i - 1] or not code.startswith(parent + "."):
            report.add(
                n,
                _("Induk %(parent)s bukan induk yang sah untuk kode %(code)s.")
                % {"parent": parent, "code": code},
            )
