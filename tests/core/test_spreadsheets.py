"""Reading uploaded spreadsheets within memory bounds (core.spreadsheets)."""

import io
import tracemalloc
import zipfile

import openpyxl
import pytest

from binjai_portal.core import spreadsheets


def xlsx(rows, *, extra_cells=()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for coordinate, value in extra_cells:
        ws[coordinate] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_rows_are_read_as_text_without_trailing_blanks():
    data = xlsx([("code", "name", None), (5, "Belanja", None), (), (1.0, 2.5)])
    assert spreadsheets.read_xlsx(data, max_rows=10) == [
        ["code", "name"],
        ["5", "Belanja"],
        ["1", "2.5"],
    ]


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it():
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx([("code",)]))) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/media/padding.bin", b"\0" * (60 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 200 * 1024  # small on the wire
    with pytest.raises(spreadsheets.SpreadsheetError, match="mengembang|terlalu besar"):
        spreadsheets.read_xlsx(data, max_rows=10)


def test_a_sheet_declared_16384_columns_wide_stays_small_in_memory():
    """A cell in column XFD makes the declared dimension A1:XFD300; without a column
    bound every row is padded to 16,384 cells (the 564 MB worker)."""
    data = xlsx([("code", "name")], extra_cells=[("XFD1", "x"), ("A300", "akhir")])
    tracemalloc.start()
    try:
        rows = spreadsheets.read_xlsx(data, max_rows=1000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows == [["code", "name"], ["akhir"]]
    assert peak < 5 * 1024 * 1024


def test_row_cell_and_text_limits():
    with pytest.raises(spreadsheets.SpreadsheetError, match="Paling banyak 3 baris"):
        spreadsheets.read_xlsx(xlsx([(i,) for i in range(10)]), max_rows=3)
    with pytest.raises(spreadsheets.SpreadsheetError, match="lebih dari 2000 karakter"):
        spreadsheets.read_xlsx(xlsx([("x" * 2001,)]), max_rows=3)
    with pytest.raises(spreadsheets.SpreadsheetError, match="Paling banyak 3 baris"):
        spreadsheets.read_csv(b"a\n" * 10, max_rows=3)


@pytest.mark.parametrize(
    "data", [b"code,name\n5,a\x00b\n", b"code\n" + b"x" * 200_000, b"\xff\xfe not utf-8"]
)
def test_broken_csv_is_a_message_not_a_crash(data):
    with pytest.raises(spreadsheets.SpreadsheetError):
        spreadsheets.read_csv(data, max_rows=10)


@pytest.mark.parametrize("data", [b"PK\x03\x04 broken", b"", b"not a zip"])
def test_broken_xlsx_is_a_message_not_a_crash(data):
    with pytest.raises(spreadsheets.SpreadsheetError, match="tidak dapat dibaca"):
        spreadsheets.read_xlsx(data, max_rows=10)


def test_control_characters_in_an_excel_cell_are_refused():
    data = xlsx([("code",), ("a_x0000_b",)])  # the OOXML escape of NUL
    rows = None
    try:
        rows = spreadsheets.read_xlsx(data, max_rows=10)
    except spreadsheets.SpreadsheetError as exc:
        assert "karakter kendali" in str(exc)
    else:
        assert all("\x00" not in cell for row in rows for cell in row)


def test_only_core_spreadsheets_opens_uploaded_workbooks():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    allowed = root / "binjai_portal" / "core" / "spreadsheets.py"
    offenders = []
    for package in (
        "binjai_portal",
        "musrenbang",
        "masyarakat",
        "dokter",
        "perizinan",
        "budgeting",
        "command_center",
    ):
        for path in (root / package).rglob("*.py"):
            if path == allowed:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Attribute) and node.attr == "load_workbook") or (
                    isinstance(node, ast.ImportFrom)
                    and any(a.name == "load_workbook" for a in node.names)
                ):
                    offenders.append(str(path.relative_to(root)))
    assert offenders == []
