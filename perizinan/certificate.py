"""The certificate PDF (ReportLab) with a QR code (segno) of its public verification URL.

Laid out as an official document of the region: a letterhead (the region's government
from the region data, the permit office's name and address, the region's logo when one is
configured), the permit's data in a table whose values wrap (nothing is cut), and the
signature block of the head of office with name and NIP.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from binjai_portal.core.exports import pdf_text

LOGO_TYPES = (".png", ".jpg", ".jpeg")


def verification_url(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('perizinan:verify', args=[token])}"


@dataclass(frozen=True)
class Letterhead:
    government: str  # "PEMERINTAH KOTA BINJAI", from the region data
    office: str  # the permit office (DPMPTSP) unit's name
    address: str = ""  # the office's address and phone, one line
    logo_path: str = ""  # a PNG/JPEG file; empty: no logo
    place: str = ""  # where the document is signed ("Binjai")


@dataclass(frozen=True)
class Signer:
    name: str
    position: str
    nip: str = ""


@dataclass(frozen=True)
class CertificateContent:
    number: str
    version: int
    registration_number: str
    type_name: str
    holder_name: str
    business_name: str
    location: str
    fields: tuple[tuple[str, str], ...]
    issued_on: str
    valid_until: str
    url: str
    replaces: str = ""
    letterhead: Letterhead | None = None
    signer: Signer | None = None


def logo_file(configured: str) -> str:
    """The configured logo as a file path: absolute, or a path under the static files.
    Only raster images (PNG, JPEG) are drawn; anything else means no logo."""
    if not configured or Path(configured).suffix.lower() not in LOGO_TYPES:
        return ""
    path = Path(configured)
    if path.is_absolute():
        return str(path) if path.is_file() else ""
    found = finders.find(configured)
    return str(found) if found else ""


def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=6, border=4)
    return out.getvalue()


def _letterhead(head: Letterhead, styles) -> list:
    gov = styles["Title"].clone("gov", fontSize=14, leading=17, spaceAfter=0)
    office = styles["Title"].clone("office", fontSize=12, leading=15, spaceAfter=0)
    line = styles["BodyText"].clone("line", fontSize=9, leading=11, alignment=TA_CENTER)
    text = [Paragraph(pdf_text(head.government.upper()), gov)]
    if head.office:
        text.append(Paragraph(pdf_text(head.office.upper()), office))
    if head.address:
        text.append(Paragraph(pdf_text(head.address), line))
    if head.logo_path:
        logo = Image(head.logo_path, width=22 * mm, height=24 * mm, kind="proportional")
        block = Table([[logo, text, ""]], colWidths=[26 * mm, 128 * mm, 26 * mm])
        block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    else:
        block = Table([[text]], colWidths=[180 * mm])
    return [
        block,
        Spacer(1, 2 * mm),
        HRFlowable(width="100%", thickness=2, color=colors.black, spaceAfter=1),
        HRFlowable(width="100%", thickness=0.6, color=colors.black, spaceAfter=6 * mm),
    ]


def certificate_pdf(content: CertificateContent) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{content.number} {content.type_name}",
        author=settings.SITE_NAME,
        pageCompression=0,
    )
    styles = getSampleStyleSheet()
    body = styles["BodyText"].clone("cert_body", fontSize=10, leading=13)
    bold = body.clone("cert_bold", fontName="Helvetica-Bold")
    small = body.clone("cert_small", fontSize=8, leading=10)
    centre = body.clone("cert_centre", alignment=TA_CENTER)
    title = styles["Title"].clone("cert_title", fontSize=15, leading=19, spaceAfter=2)

    head = content.letterhead or Letterhead(
        government=_("Pemerintah daerah"),
        office=_("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    )
    story = _letterhead(head, styles)
    story += [
        Paragraph(pdf_text(content.type_name.upper()), title),
        Paragraph(pdf_text(_("Nomor: %(n)s") % {"n": content.number}), centre),
        Spacer(1, 8 * mm),
    ]
    rows = [
        (_("Nomor registrasi"), content.registration_number),
        (_("Pemegang izin"), content.holder_name),
    ]
    if content.business_name:
        rows.append((_("Nama usaha"), content.business_name))
    if content.location:
        rows.append((_("Lokasi"), content.location))
    rows += list(content.fields)
    rows += [(_("Tanggal terbit"), content.issued_on), (_("Berlaku sampai"), content.valid_until)]
    if content.replaces:
        rows.append((_("Menggantikan"), content.replaces))
    table = Table(
        [
            [Paragraph(pdf_text(label), body), Paragraph(pdf_text(value), bold)]
            for label, value in rows
        ],
        colWidths=[60 * mm, 120 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    story += [table, Spacer(1, 10 * mm)]

    qr = Image(io.BytesIO(qr_png(content.url)), width=36 * mm, height=36 * mm)
    check = [
        Paragraph(pdf_text(_("Pindai kode QR untuk memeriksa keaslian izin ini:")), small),
        Paragraph(pdf_text(content.url), small),
        Spacer(1, 2 * mm),
        Paragraph(pdf_text(_("Dokumen ini diterbitkan secara elektronik.")), small),
    ]
    signer = content.signer
    sign = []
    if head.place:
        sign.append(Paragraph(pdf_text(f"{head.place}, {content.issued_on}"), body))
    if signer:
        sign += [
            Paragraph(pdf_text(signer.position), body),
            Spacer(1, 18 * mm),
            Paragraph(f"<u>{pdf_text(signer.name)}</u>", bold),
        ]
        if signer.nip:
            sign.append(Paragraph(pdf_text(_("NIP %(nip)s") % {"nip": signer.nip}), body))
    bottom = Table([[qr, check, sign]], colWidths=[40 * mm, 55 * mm, 85 * mm])
    bottom.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(KeepTogether([bottom]))
    doc.build(story)
    return buf.getvalue()
