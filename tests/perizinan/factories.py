"""Permit types and applications for tests, built through the services."""

from __future__ import annotations

import io
from decimal import Decimal

from reportlab.pdfgen import canvas

from binjai_portal.accounts.models import Unit
from binjai_portal.core.uploads import CleanFile
from perizinan import services
from perizinan.models import DocumentRequirement, PermitType

BUILDING_FIELDS = [
    {"name": "luas_tanah", "label": "Luas tanah (m²)", "kind": "decimal", "min": 1},
    {"name": "luas_bangunan", "label": "Luas bangunan (m²)", "kind": "decimal", "min": 1},
    {"name": "jumlah_lantai", "label": "Jumlah lantai", "kind": "integer", "min": 1, "max": 8},
    {
        "name": "fungsi",
        "label": "Fungsi bangunan",
        "kind": "choice",
        "choices": ["hunian", "usaha", "sosial"],
    },
]
BUILDING_DATA = {
    "luas_tanah": "200",
    "luas_bangunan": "120",
    "jumlah_lantai": 2,
    "fungsi": "hunian",
}
PRACTICE_FIELDS = [
    {"name": "nomor_str", "label": "Nomor STR", "kind": "text", "pattern": r"^\d{6,20}$"},
    {"name": "tempat_praktik", "label": "Tempat praktik", "kind": "text"},
]
PRACTICE_DATA = {"nomor_str": "1234567890", "tempat_praktik": "Klinik Sehat Binjai"}


def pdf_bytes(text: str = "dokumen uji") -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(100, 750, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def clean_pdf(name: str = "dokumen") -> CleanFile:
    return CleanFile(content=pdf_bytes(name), name=f"{name}.pdf", content_type="application/pdf")


def building_type(**overrides) -> PermitType:
    data = {
        "code": "pbg",
        "name": "Persetujuan Bangunan Gedung (PBG)",
        "fee_kind": PermitType.FeeKind.FORMULA,
        "fee_formula": "luas_bangunan * 10000 * jumlah_lantai + 250000",
        "service_days": 10,
        "needs_survey": True,
        "agency": Unit.objects.get(code="dpupr"),
        "validity_years": 0,
        "fields": BUILDING_FIELDS,
    }
    data.update(overrides)
    pt = PermitType(**data)
    pt.full_clean()
    pt.save()
    DocumentRequirement.objects.create(permit_type=pt, name="Gambar rencana", order=1, kinds="pdf")
    DocumentRequirement.objects.create(permit_type=pt, name="Bukti kepemilikan tanah", order=2)
    DocumentRequirement.objects.create(
        permit_type=pt, name="Foto lokasi", order=3, mandatory=False, kinds="image"
    )
    return pt


def practice_type(**overrides) -> PermitType:
    data = {
        "code": "sip-bidan",
        "name": "Surat Izin Praktik Bidan",
        "fee_kind": PermitType.FeeKind.NONE,
        "service_days": 5,
        "needs_survey": False,
        "agency": Unit.objects.get(code="dinkes"),
        "validity_years": 5,
        "fields": PRACTICE_FIELDS,
        "fee_amount": Decimal("0"),
    }
    data.update(overrides)
    pt = PermitType(**data)
    pt.full_clean()
    pt.save()
    DocumentRequirement.objects.create(permit_type=pt, name="STR", order=1)
    return pt


def draft(permit_type: PermitType, applicant, data=None, documents=True):
    app = services.application_create(applicant=applicant, permit_type=permit_type)
    if data is None:
        data = BUILDING_DATA if permit_type.code.startswith("pbg") else PRACTICE_DATA
    docs = {}
    if documents:
        docs = {r.pk: clean_pdf(r.name) for r in permit_type.requirements.all() if r.mandatory}
    services.application_update(
        application=app,
        actor=applicant,
        data=data,
        details={"location_address": "Jl. Sudirman No. 5"},
        documents=docs,
    )
    return app


def submitted(permit_type, applicant, today=None, data=None):
    app = draft(permit_type, applicant, data=data)
    return services.application_submit(application=app, actor=applicant, today=today)
