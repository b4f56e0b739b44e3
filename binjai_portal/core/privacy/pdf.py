"""The readable copy of a citizen's data (UU 27/2022 Pasal 7): a plain PDF."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def my_data_pdf(*, user, sections) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Data pribadi saya"),
        author=f"Pemerintah {settings.REGION_NAME}",
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    story = [
        Paragraph(
            escape(_("Data pribadi saya di portal %(site)s") % {"site": settings.SITE_NAME}),
            styles["Title"],
        ),
        Paragraph(
            escape(
                _("Dibuat %(when)s untuk %(name)s (UU 27/2022 Pasal 7 dan 32).")
                % {
                    "when": timezone.localtime().strftime("%d-%m-%Y %H:%M"),
                    "name": user.full_name,
                }
            ),
            styles["BodyText"],
        ),
        Spacer(1, 6 * mm),
    ]
    for section in sections:
        story.append(Paragraph(escape(str(section.title)), styles["Heading2"]))
        if not section.records:
            story.append(Paragraph(escape(_("Tidak ada data.")), small))
            continue
        for record in section.records:
            rows = [
                [Paragraph(escape(str(k)), small), Paragraph(escape(str(v or "-")), small)]
                for k, v in record.items()
            ]
            table = Table(rows, colWidths=[50 * mm, 130 * mm])
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
                    ]
                )
            )
            story += [table, Spacer(1, 3 * mm)]
    doc.build(story)
    return out.getvalue()
