"""Tables to CSV and Excel, and the weekly PDF digest (reportlab)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from binjai_portal.core import kpi


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)):
        return value
    text = str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except Exception:  # noqa: BLE001
        return False
    return True


def table_csv(table: kpi.Table | kpi.Dataset, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
    writer = csv.writer(response)
    writer.writerow([str(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([_cell(v) for v in row])
    return response


def table_xlsx(table: kpi.Table, filename: str) -> HttpResponse:
    wb = Workbook()
    ws = wb.active
    ws.title = str(getattr(table, "title", filename))[:31] or "data"
    for ch in "[]:*?/\\":
        ws.title = ws.title.replace(ch, " ")
    ws.append([str(c) for c in table.columns])
    for row in table.rows:
        ws.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def digest_pdf(*, period: kpi.Period, tables: list[kpi.Table], trends: list[kpi.Table]) -> bytes:
    """The weekly digest: key figures, trends and what is late, as a PDF."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PdfTable

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=_("Ringkasan mingguan Command Center"))
    story = [Paragraph(_("Ringkasan mingguan Binjai Command Center"), styles["Title"]),
             Paragraph(_("Periode %(start)s s.d. %(end)s") % {
                 "start": period.start.isoformat(), "end": period.end.isoformat()},
                 styles["Normal"]), Spacer(1, 12)]
    for table in [*tables, *trends]:
        story.append(Paragraph(str(table.title), styles["Heading2"]))
        data = [[str(c) for c in table.columns]] + [
            [Paragraph("" if v is None else str(v), styles["BodyText"]) for v in row]
            for row in table.rows[:40]]
        if len(data) == 1:
            story.append(Paragraph(_("Tidak ada data."), styles["Normal"]))
            continue
        pdf_table = PdfTable(data, repeatRows=1)
        pdf_table.setStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#0b5345")),
                            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                            ("FONTSIZE", (0, 0), (-1, -1), 8),
                            ("VALIGN", (0, 0), (-1, -1), "TOP")])
        story += [pdf_table, Spacer(1, 10)]
    doc.build(story)
    return buffer.getvalue()
