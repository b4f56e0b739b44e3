"""The certificate PDF (ReportLab) with a QR code (segno) of its public verification URL."""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas


def verification_url(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('perizinan:verify', args=[token])}"


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


def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=6, border=4)
    return out.getvalue()


def certificate_pdf(content: CertificateContent) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=0)
    c.setTitle(f"{content.number} {content.type_name}")
    c.setAuthor(settings.SITE_NAME)
    width, height = A4
    y = height - 25 * mm
    c.setFont("Helvetica-Bold", 13)
    c.drawCentredString(width / 2, y, _("PEMERINTAH KOTA BINJAI").upper())
    y -= 6 * mm
    c.setFont("Helvetica", 10)
    c.drawCentredString(width / 2, y, _("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"))
    y -= 14 * mm
    c.setFont("Helvetica-Bold", 15)
    c.drawCentredString(width / 2, y, content.type_name.upper()[:70])
    y -= 7 * mm
    c.setFont("Helvetica", 11)
    c.drawCentredString(width / 2, y, _("Nomor: %(n)s") % {"n": content.number})
    y -= 14 * mm
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
    for label, value in rows:
        c.setFont("Helvetica", 10)
        c.drawString(25 * mm, y, str(label)[:40])
        c.setFont("Helvetica-Bold", 10)
        c.drawString(80 * mm, y, str(value)[:80])
        y -= 7 * mm
    qr = ImageReader(io.BytesIO(qr_png(content.url)))
    size = 40 * mm
    c.drawImage(qr, 25 * mm, 30 * mm, size, size)
    c.setFont("Helvetica", 8)
    c.drawString(70 * mm, 60 * mm, _("Pindai kode QR untuk memeriksa keaslian izin ini:"))
    c.drawString(70 * mm, 55 * mm, content.url[:95])
    c.drawString(70 * mm, 45 * mm, _("Dokumen ini diterbitkan secara elektronik."))
    c.showPage()
    c.save()
    return buf.getvalue()
