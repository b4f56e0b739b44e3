"""RKA as Excel and PDF; the approved budget as CSV and as a Fiscal Data Package."""

from __future__ import annotations

import io
from decimal import Decimal
from itertools import groupby
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _

from binjai_portal.core.exports import Book, csv_response
from binjai_portal.core.formatting import number, rupiah

from . import selectors
from .models import Budget, FiscalYear


def _rka_blocks(budget: Budget):
    """[(activity label, [lines], subtotal)] and the grand total (exact Decimals)."""
    blocks, total = [], Decimal(0)
    for _pk, lines in groupby(selectors.rka_rows(budget=budget), key=lambda ln: ln.activity_id):
        lines = list(lines)
        subtotal = sum((ln.total for ln in lines), Decimal(0))
        total += subtotal
        blocks.append((str(lines[0].activity.sub_kegiatan), lines, subtotal))
    return blocks, total


def rka_xlsx(budget: Budget) -> bytes:
    money = {6: "#,##0", 7: "#,##0"}
    book = Book()
    sheet = book.sheet("RKA")
    sheet.append([_("RENCANA KERJA DAN ANGGARAN (RKA)")])
    sheet.append([str(budget.agency), str(budget.fiscal_year)])
    sheet.append([_("Pagu"), budget.ceiling])
    sheet.append([])
    sheet.append(
        [
            _("Kegiatan"),
            _("Kode rekening"),
            _("Uraian"),
            _("Volume"),
            _("Satuan"),
            _("Harga satuan"),
            _("Jumlah"),
        ],
        bold=True,
    )
    blocks, total = _rka_blocks(budget)
    for label, lines, subtotal in blocks:
        sheet.append([label])
        sheet.set_font(sheet.row_count, 1)
        for ln in lines:
            sheet.append(
                [
                    "",
                    ln.account.code,
                    ln.description,
                    ln.volume,
                    ln.volume_unit,
                    ln.unit_price,
                    ln.total,
                ],
                number_formats=money,
            )
        sheet.append(["", "", _("Subtotal"), None, None, None, subtotal], number_formats=money)
        sheet.set_font(sheet.row_count, 3)
    sheet.append(["", "", _("JUMLAH TOTAL"), None, None, None, total], number_formats=money)
    sheet.set_font(sheet.row_count, 3)
    sheet.widths(40, 22, 40, 10, 16, 16, 18)
    return book.to_bytes()


def rka_pdf(budget: Budget) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"RKA {budget.agency} {budget.fiscal_year}",
    )
    story = [
        Paragraph(_("RENCANA KERJA DAN ANGGARAN (RKA)"), styles["Title"]),
        Paragraph(
            escape(
                f"{budget.agency} — {budget.fiscal_year} — {_('Pagu')} {rupiah(budget.ceiling)}"
            ),
            styles["Normal"],
        ),
        Spacer(1, 4 * mm),
    ]
    data = [
        [_("Kode rekening"), _("Uraian"), _("Volume"), _("Satuan"), _("Harga satuan"), _("Jumlah")]
    ]
    style = [
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde7f0")),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    blocks, total = _rka_blocks(budget)
    for label, lines, subtotal in blocks:
        data.append([Paragraph(f"<b>{escape(label)}</b>", small), "", "", "", "", ""])
        style.append(("SPAN", (0, len(data) - 1), (-1, len(data) - 1)))
        for ln in lines:
            data.append(
                [
                    ln.account.code,
                    Paragraph(escape(ln.description), small),
                    number(ln.volume),
                    ln.volume_unit,
                    rupiah(ln.unit_price),
                    rupiah(ln.total),
                ]
            )
        data.append(["", Paragraph(f"<b>{_('Subtotal')}</b>", small), "", "", "", rupiah(subtotal)])
    data.append(["", Paragraph(f"<b>{_('JUMLAH TOTAL')}</b>", small), "", "", "", rupiah(total)])
    table = Table(
        data, colWidths=[38 * mm, 90 * mm, 20 * mm, 32 * mm, 35 * mm, 40 * mm], repeatRows=1
    )
    table.setStyle(TableStyle(style))
    story.append(table)
    doc.build(story)
    return out.getvalue()


def public_csv(fiscal_year: FiscalYear, *, filename: str):
    """The open-data CSV, streamed."""
    return csv_response(
        selectors.public_rows(fiscal_year=fiscal_year),
        header=selectors.PUBLIC_COLUMNS,
        filename=filename,
        stream=True,
        bom=False,
    )


def datapackage(fiscal_year: FiscalYear, *, csv_path: str, site_name: str) -> dict:
    """Fiscal Data Package descriptor (frictionlessdata.io/specs/fiscal-data-package, v1).

    Valid for the Frictionless Data tooling (`frictionless validate`): no reserved keys, ISO
    3166-1/3166-2 codes for the country and province, the Kemendagri code for the region.
    """

    def f(name, type_, column_type, title, **extra):
        return {"name": name, "type": type_, "title": title, "columnType": column_type, **extra}

    phase = "approved" if fiscal_year.version == FiscalYear.Version.ORIGINAL else "adjusted"
    fields = [
        f("fiscal_year", "integer", "date:fiscal-year", "Tahun anggaran"),
        f("budget_version", "string", "budget-phase", "Versi anggaran (murni/perubahan)"),
        f("urusan_code", "string", "functional-classification:generic:level1:code", "Kode urusan"),
        f(
            "urusan_name",
            "string",
            "functional-classification:generic:level1:label",
            "Urusan pemerintahan",
        ),
        f(
            "bidang_code",
            "string",
            "functional-classification:generic:level2:code",
            "Kode bidang urusan",
        ),
        f(
            "bidang_name",
            "string",
            "functional-classification:generic:level2:label",
            "Bidang urusan",
        ),
        f(
            "agency_code",
            "string",
            "administrative-classification:generic:level1:code",
            "Kode perangkat daerah (internal portal)",
        ),
        f(
            "agency_name",
            "string",
            "administrative-classification:generic:level1:label",
            "Perangkat daerah",
        ),
        f("sub_kegiatan_code", "string", "activity:generic:program:code", "Kode sub kegiatan"),
        f("sub_kegiatan_name", "string", "activity:generic:program:label", "Sub kegiatan"),
        f(
            "account_group_code",
            "string",
            "economic-classification:generic:level1:code",
            "Kode jenis belanja",
        ),
        f(
            "account_group_name",
            "string",
            "economic-classification:generic:level1:label",
            "Jenis belanja",
        ),
        f("account_code", "string", "economic-classification:generic:level2:code", "Kode rekening"),
        f(
            "account_name",
            "string",
            "economic-classification:generic:level2:label",
            "Nama rekening",
        ),
        f("funding_source", "string", "fin-source:generic:code", "Sumber dana"),
        # The budget's direction and phase belong to its measure (FDP "measures"); the
        # package's own "type" key is reserved by the Data Package standard.
        f(
            "amount",
            "number",
            "value",
            "Anggaran (Rp)",
            decimalChar=".",
            currency="IDR",
            direction="expenditure",
            phase=phase,
        ),
    ]
    return {
        # A Fiscal Data Package (v1) is a Tabular Data Package whose fields carry columnType.
        "profile": "tabular-data-package",
        "name": f"apbd-{settings.REGION_SLUG}-{fiscal_year.year}-{fiscal_year.version}",
        "title": f"APBD {fiscal_year.year} ({fiscal_year.get_version_display()}) — {site_name}",
        "description": "Anggaran belanja yang disetujui per perangkat daerah, sub kegiatan "
        "dan kode rekening (Permendagri 90/2019).",
        "fiscalPeriod": {"start": f"{fiscal_year.year}-01-01", "end": f"{fiscal_year.year}-12-31"},
        "countryCode": "ID",  # ISO 3166-1 alpha-2
        # FDP asks for an ISO 3166-2 code: the province's (ID-SU); the regency or city itself
        # has none in ISO 3166-2, so its Kemendagri code stands beside it.
        "regionCode": settings.REGION_ISO_3166_2,
        "cityCode": settings.REGION_CODE,
        "currency": "IDR",
        "granularity": "aggregated",
        "status": phase,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": [
            {
                "name": "anggaran-belanja",
                "path": csv_path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": fields,
                    "primaryKey": [
                        "agency_code",
                        "sub_kegiatan_code",
                        "account_code",
                        "funding_source",
                    ],
                },
            }
        ],
    }
