"""Tables to CSV and Excel, and the weekly PDF digest (reportlab)."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _

from binjai_portal.core import exports, kpi


def table_csv(table: kpi.Table | kpi.Dataset, filename: str) -> HttpResponse:
    return exports.csv_response(
        table.rows, header=[str(c) for c in table.columns], filename=f"{filename}.csv"
    )


def table_xlsx(table: kpi.Table, filename: str) -> HttpResponse:
    book = exports.table_book(
        table.columns, table.rows, title=str(getattr(table, "title", filename))
    )
    return exports.xlsx_response(book, filename=f"{filename}.xlsx")


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
    story = [
        Paragraph(_("Ringkasan mingguan Binjai Command Center"), styles["Title"]),
        Paragraph(
            _("Periode %(start)s s.d. %(end)s")
            % {"start": period.start.isoformat(), "end": period.end.isoformat()},
            styles["Normal"],
        ),
        Spacer(1, 12),
    ]
    for table in [*tables, *trends]:
        story.append(Paragraph(str(table.title), styles["Heading2"]))
        data = [[str(c) for c in table.columns]] + [
            [Paragraph("" if v is None else str(v), styles["BodyText"]) for v in row]
            for row in table.rows[:40]
        ]
        if len(data) == 1:
            story.append(Paragraph(_("Tidak ada data."), styles["Normal"]))
            continue
        pdf_table = PdfTable(data, repeatRows=1)
        pdf_table.setStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#0b5345")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
        story += [pdf_table, Spacer(1, 10)]
    doc.build(story)
    return buffer.getvalue()
