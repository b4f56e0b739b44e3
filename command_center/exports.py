"""Tables to CSV and Excel, and the weekly PDF digest (reportlab)."""

from __future__ import annotations

import io

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

from binjai_portal.core import exports, formatting, kpi


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
        Paragraph(
            _("Ringkasan mingguan %(name)s") % {"name": settings.COMMAND_CENTER_NAME},
            styles["Title"],
        ),
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


def _figure_text(value, unit: str) -> str:
    if value is None:
        return formatting.EMPTY
    if unit == "Rp":
        return formatting.rupiah(value)
    if unit == "%":
        return formatting.percent(value)
    return f"{formatting.number(value, 2)} {unit}".strip()


def indicators_pdf(*, blocks, filters: kpi.Filters, generated_at) -> HttpResponse:
    """The overview's indicators as an A4 PDF: one table per service, with the previous
    period, the target and whether it is met, in the reader's language."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PdfTable

    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=8.5, leading=10.5)
    head = cell.clone("head", textColor=colors.white, fontName="Helvetica-Bold")
    status_text = {
        "good": _("tercapai"),
        "near": _("hampir"),
        "bad": _("tidak tercapai"),
        "": "",
    }
    buffer = io.BytesIO()
    title = _("Indikator utama %(name)s") % {"name": settings.COMMAND_CENTER_NAME}
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=title,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )
    period = _("Periode %(start)s – %(end)s, dibandingkan dengan periode sebelumnya.") % {
        "start": formatting.date(filters.period.start),
        "end": formatting.date(filters.period.end),
    }
    story = [
        Paragraph(title, styles["Title"]),
        Paragraph(period, styles["Normal"]),
        Paragraph(
            _("Dibuat %(at)s.") % {"at": formatting.date(generated_at, with_time=True)},
            styles["Normal"],
        ),
        Spacer(1, 8),
    ]
    columns = (
        _("Indikator"),
        _("Nilai"),
        _("Periode sebelumnya"),
        _("Target"),
        _("Status target"),
    )
    widths = [100 * mm, 40 * mm, 40 * mm, 35 * mm, 50 * mm]
    for block in blocks:
        if not block.tiles:
            continue
        story.append(Paragraph(str(block.title), styles["Heading2"]))
        data = [[Paragraph(str(c), head) for c in columns]]
        for t in block.tiles:
            unit = str(t.figure.unit)
            data.append(
                [
                    Paragraph(str(t.figure.label), cell),
                    Paragraph(_figure_text(t.figure.value, unit), cell),
                    Paragraph(_figure_text(t.figure.previous, unit), cell),
                    Paragraph(_figure_text(t.target, unit) if t.target is not None else "", cell),
                    Paragraph(str(status_text.get(t.status or "", "")), cell),
                ]
            )
        table = PdfTable(data, colWidths=widths, repeatRows=1)
        table.setStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#0b5345")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
        story += [table, Spacer(1, 8)]
    doc.build(story)
    name = f"bcc-indikator-{filters.period.start}-{filters.period.end}.pdf"
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
