"""Berita acara (PDF, reportlab) and ranked list (Excel, openpyxl) of a forum."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from binjai_portal.core.exports import Book, pdf_text
from binjai_portal.core.formatting import number

from .models import Forum, Proposal


def _rank(p: Proposal, level: str):
    return p.rank_kelurahan if level == Forum.Level.KELURAHAN else p.rank_kecamatan


def _header(forum_title: str, forum: Forum | None) -> list[tuple[str, str]]:
    held = date_format(forum.held_on, "j F Y") if forum and forum.held_on else "-"
    return [
        (_("Forum"), forum_title),
        (_("Tanggal"), held),
        (_("Tempat"), (forum.place if forum else "") or "-"),
        (
            _("Jumlah peserta"),
            str(forum.participant_count) if forum and forum.participant_count is not None else "-",
        ),
        (_("Peserta"), (forum.participants if forum else "") or "-"),
        (_("Catatan/kesepakatan"), (forum.notes if forum else "") or "-"),
    ]


def _rows(proposals: Sequence[Proposal], level: str) -> list[list]:
    return [
        [
            str(_rank(p, level) or i),
            p.reference,
            p.title,
            p.kelurahan.name,
            p.category.name,
            p.support_count,
            p.estimated_cost,
        ]
        for i, p in enumerate(proposals, start=1)
    ]


def columns() -> list[str]:
    return [
        _("No."),
        _("Nomor"),
        _("Judul usulan"),
        _("Kelurahan"),
        _("Bidang"),
        _("Dukungan"),
        _("Perkiraan biaya (Rp)"),
    ]


# The ranked table's columns (A4 less 15 mm margins = 180 mm). Every cell, the header
# row included, is a Paragraph so text wraps inside its column instead of spilling out.
COL_WIDTHS = (10 * mm, 22 * mm, 50 * mm, 25 * mm, 28 * mm, 18 * mm, 27 * mm)
LEFT_MARGIN = 15 * mm
NUMERIC_COLUMNS = (5, 6)


def berita_acara_pdf(
    *,
    forum_title: str,
    forum: Forum | None,
    level: str,
    proposals: Sequence[Proposal],
    signer_unit: str,
) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=LEFT_MARGIN,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Berita Acara %(forum)s") % {"forum": forum_title},
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    small_right = small.clone("small_right", alignment=TA_RIGHT)
    head = small.clone("head", fontName="Helvetica-Bold")
    head_right = head.clone("head_right", alignment=TA_RIGHT)
    story = [
        Paragraph(_("BERITA ACARA"), styles["Title"]),
        Paragraph(forum_title, styles["Heading2"]),
    ]
    for label, value in _header(forum_title, forum):
        story.append(Paragraph(f"<b>{label}:</b> {pdf_text(value)}", styles["BodyText"]))
    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph(_("Daftar prioritas usulan yang disepakati:"), styles["BodyText"]))
    header = [
        Paragraph(pdf_text(label), head_right if i in NUMERIC_COLUMNS else head)
        for i, label in enumerate(columns())
    ]
    data = [header] + [
        [
            Paragraph(pdf_text(r[0]), small),
            Paragraph(pdf_text(r[1]), small),
            Paragraph(pdf_text(r[2]), small),
            Paragraph(pdf_text(r[3]), small),
            Paragraph(pdf_text(r[4]), small),
            Paragraph(number(r[5]), small_right),
            Paragraph(number(r[6], 0), small_right),
        ]
        for r in _rows(proposals, level)
    ]
    table = Table(data, repeatRows=1, colWidths=list(COL_WIDTHS))
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0ee")),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, 12 * mm)]
    chair = (forum.chair_name if forum else "") or "(....................................)"
    sign = Table(
        [
            [_("Pimpinan forum"), _("Notulis / %(unit)s") % {"unit": signer_unit}],
            ["\n\n\n", "\n\n\n"],
            [chair, "(....................................)"],
        ],
        colWidths=[85 * mm, 85 * mm],
    )
    sign.setStyle(
        TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("FONTSIZE", (0, 0), (-1, -1), 9)])
    )
    story.append(sign)
    doc.build(story)
    return buf.getvalue()


def ranked_xlsx(
    *, forum_title: str, forum: Forum | None, level: str, proposals: Sequence[Proposal]
) -> bytes:
    """The ranked list as Excel; titles typed by citizens are written as text, never as a
    formula (core.exports)."""
    book = Book()
    sheet = book.sheet(_("Peringkat"))
    sheet.append([forum_title], bold=True, size=13)
    for label, value in _header(forum_title, forum)[1:]:
        sheet.append([label, value])
    sheet.append([])
    sheet.append(columns(), bold=True)
    for row in _rows(proposals, level):
        sheet.append([int(row[0]), *row[1:6], row[6]], number_formats={7: "#,##0"})
    sheet.widths(8, 14, 50, 20, 30, 10, 18)
    return book.to_bytes()
