"""Reading an uploaded CSV or Excel file without letting it take the worker's memory.

An .xlsx is a zip archive: 200 KB can inflate to gigabytes (a zip bomb), and a sheet
whose declared dimension is A1:XFD1048576 makes openpyxl pad every row to 16,384 cells.
So the archive's members are measured before openpyxl opens it, the sheet is read in
read-only (streaming) mode with an explicit column bound, and reading stops at the row,
cell and text limits. Every failure is a SpreadsheetError with an Indonesian message.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

from django.utils.translation import gettext as _

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # all members of the archive, inflated
MAX_MEMBERS = 500
MAX_RATIO = 200  # inflated / compressed, per member
MAX_COLUMNS = 30
MAX_CELL_CHARS = 2000
MAX_SCANNED_ROWS = 200_000  # rows read, empty ones included
# PostgreSQL stores no NUL; other C0 controls are never meant in a code or a name.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SpreadsheetError(Exception):
    """The file as a whole cannot be read safely; str() is the user's message."""


def _check_archive(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise SpreadsheetError(_("Berkas Excel tidak dapat dibaca.")) from exc
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise SpreadsheetError(_("Berkas Excel tidak wajar (terlalu banyak bagian)."))
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > MAX_RATIO * max(info.compress_size, 1024):
            raise SpreadsheetError(
                _("Berkas Excel tidak wajar (isinya mengembang berlebihan saat dibuka).")
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError(
            _("Isi berkas Excel terlalu besar setelah dibuka (%(mb)s MB). Batasnya %(max)s MB.")
            % {"mb": total // (1024 * 1024), "max": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
        )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) > MAX_CELL_CHARS:
        raise SpreadsheetError(
            _("Ada sel yang berisi lebih dari %(n)s karakter.") % {"n": MAX_CELL_CHARS}
        )
    if _CONTROL.search(text):
        raise SpreadsheetError(
            _(
                "Ada sel yang berisi karakter kendali (mis. NUL). Simpan "
                "ulang berkas sebagai teks biasa."
            )
        )
    return text


def _too_many_rows(max_rows: int) -> SpreadsheetError:
    return SpreadsheetError(_("Paling banyak %(n)s baris per berkas.") % {"n": max_rows})


def read_xlsx(data: bytes, *, max_rows: int, max_columns: int = MAX_COLUMNS) -> list[list[str]]:
    """The first sheet's non-empty rows as text (header included), at most max_rows + 1."""
    import openpyxl

    _check_archive(data)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise SpreadsheetError(_("Berkas Excel tidak dapat dibaca.")) from exc
    rows: list[list[str]] = []
    try:
        if not wb.worksheets:
            raise SpreadsheetError(_("Berkas Excel tidak berisi lembar kerja."))
        ws = wb.worksheets[0]
        for scanned, row in enumerate(ws.iter_rows(values_only=True, max_col=max_columns), start=1):
            if scanned > MAX_SCANNED_ROWS:
                raise _too_many_rows(max_rows)
            cells = [_text(v) for v in row]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                rows.append(cells)
                if len(rows) > max_rows + 1:
                    raise _too_many_rows(max_rows)
    except SpreadsheetError:
        raise
    except Exception as exc:  # a sheet broken inside the archive
        raise SpreadsheetError(_("Berkas Excel tidak dapat dibaca.")) from exc
    finally:
        wb.close()
    return rows


def read_csv(data: bytes, *, max_rows: int, max_columns: int = MAX_COLUMNS) -> list[list[str]]:
    """Non-empty rows of a UTF-8 CSV (comma or semicolon), at most max_rows + 1."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(_("Berkas CSV harus berkode UTF-8.")) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            cells = [_text(c) for c in row[:max_columns]]
            if any(cells):
                rows.append(cells)
                if len(rows) > max_rows + 1:
                    raise _too_many_rows(max_rows)
    except csv.Error as exc:  # NUL bytes, a field over the csv module's limit
        raise SpreadsheetError(_("Berkas CSV tidak dapat dibaca.")) from exc
    return rows
