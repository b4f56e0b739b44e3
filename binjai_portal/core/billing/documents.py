"""The printed bill (SKRD style, with the QRIS) and the receipt (SSRD style, with a QR
code of its public verification page), as PDF (ReportLab + segno)."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from binjai_portal.core import formatting

from . import qris, snap
from .models import Bill
from .terbilang import terbilang


def receipt_verification_url(bill: Bill) -> str:
    path = reverse("billing:receipt-verify", args=[bill.receipt_token])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _qr(text: str) -> ImageReader:
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="png", scale=6, border=4)
    return ImageReader(io.BytesIO(out.getvalue()))


def _header(c, title: str, subtitle: str) -> float:
    width, height = A4
    y = height - 22 * mm
    c.setFont("Helvetica-Bold", 13)
    # The region's government, from settings (any regency or city deploys the portal).
    government = _("Pemerintah %(region)s") % {"region": settings.REGION_NAME}
    c.drawCentredString(width / 2, y, government.upper())
    y -= 6 * mm
    c.setFont("Helvetica", 10)
    c.drawCentredString(width / 2, y, _("Badan Pengelola Keuangan dan Aset Daerah"))
    y -= 12 * mm
    c.setFont("Helvetica-Bold", 14)
    c.drawCentredString(width / 2, y, title)
    y -= 6 * mm
    c.setFont("Helvetica", 10)
    c.drawCentredString(width / 2, y, subtitle)
    return y - 12 * mm


def _rows(c, y: float, rows) -> float:
    for label, value in rows:
        c.setFont("Helvetica", 10)
        c.drawString(22 * mm, y, str(label)[:40])
        c.setFont("Helvetica-Bold", 10)
        text = str(value)
        while text:
            c.drawString(75 * mm, y, text[:75])
            text = text[75:]
            y -= 6 * mm
    return y


def _common_rows(bill: Bill) -> list:
    return [
        (_("Kode bayar"), bill.code),
        (_("Wajib retribusi"), bill.payer_name),
        (_("Uraian"), bill.description),
        (_("Untuk"), bill.subject_label),
        (_("Dasar hukum"), bill.legal_basis),
        (_("Jumlah"), formatting.rupiah(bill.amount)),
        (_("Terbilang"), terbilang(bill.amount).capitalize()),
    ]


def bill_pdf(bill: Bill) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=0)
    c.setTitle(f"SKRD {bill.code}")
    c.setAuthor(settings.SITE_NAME)
    y = _header(
        c,
        _("SURAT KETETAPAN RETRIBUSI DAERAH (SKRD)"),
        _("Kode bayar: %(code)s") % {"code": bill.code},
    )
    rows = _common_rows(bill) + [
        (_("Batas bayar"), formatting.date(timezone.localtime(bill.due_at), with_time=True)),
        (
            _("Virtual account"),
            f"{snap.virtual_account_display(bill.code)} ({settings.BILLING_COLLECTOR_NAME})",
        ),
    ]
    if bill.replaces_id:
        rows.append((_("Menggantikan"), bill.replaces.code))
    y = _rows(c, y, rows)
    if qris.configured():
        c.drawImage(
            _qr(qris.payload(amount=bill.amount, bill_code=bill.code)),
            22 * mm,
            40 * mm,
            50 * mm,
            50 * mm,
        )
        c.setFont("Helvetica", 9)
        c.drawString(
            78 * mm, 80 * mm, _("Bayar dengan QRIS: pindai kode ini di aplikasi bank atau dompet")
        )
        c.drawString(78 * mm, 75 * mm, _("digital mana pun. Jumlah dan kode bayar sudah terisi."))
    c.setFont("Helvetica", 8)
    c.drawString(
        22 * mm,
        30 * mm,
        _(
            "Bayar di teller, ATM atau mobile banking: pilih Virtual Account, "
            "masukkan nomor di atas."
        ),
    )
    c.drawString(22 * mm, 25 * mm, _("Jangan membayar kepada siapa pun di luar saluran resmi ini."))
    c.showPage()
    c.save()
    return buf.getvalue()


def receipt_pdf(bill: Bill) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=0)
    c.setTitle(f"SSRD {bill.receipt_number}")
    c.setAuthor(settings.SITE_NAME)
    y = _header(
        c,
        _("SURAT SETORAN RETRIBUSI DAERAH (SSRD)"),
        _("Tanda bukti pembayaran nomor %(n)s") % {"n": bill.receipt_number},
    )
    payment = bill.payment
    rows = _common_rows(bill) + [
        (_("Tanggal bayar"), formatting.date(timezone.localtime(bill.paid_at), with_time=True)),
        (_("Saluran"), bill.get_channel_display()),
        (_("Referensi"), payment.reference),
    ]
    y = _rows(c, y, rows)
    url = receipt_verification_url(bill)
    c.drawImage(_qr(url), 22 * mm, 30 * mm, 40 * mm, 40 * mm)
    c.setFont("Helvetica", 8)
    c.drawString(68 * mm, 60 * mm, _("Pindai kode QR untuk memeriksa keaslian tanda bukti ini:"))
    c.drawString(68 * mm, 55 * mm, url[:95])
    c.drawString(
        68 * mm, 45 * mm, _("Dokumen ini diterbitkan secara elektronik dan sah tanpa tanda tangan.")
    )
    c.showPage()
    c.save()
    return buf.getvalue()
