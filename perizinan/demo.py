"""Demo permit types and about 30 applications at every step (some overdue).

Idempotent: types are matched by code; applications are only created when no demo
application exists yet. Everything created is marked is_demo.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from binjai_portal.accounts import roles
from binjai_portal.accounts.models import Unit
from binjai_portal.core import workdays
from binjai_portal.core.uploads import CleanFile
from binjai_portal.region_defaults import short_name

from . import workflows as wf
from .models import Application, DocumentRequirement, PermitType

BUILDING = [
    {"name": "luas_tanah", "label": "Luas tanah (m²)", "kind": "decimal", "min": 1},
    {"name": "luas_bangunan", "label": "Luas bangunan (m²)", "kind": "decimal", "min": 1},
    {"name": "jumlah_lantai", "label": "Jumlah lantai", "kind": "integer", "min": 1, "max": 10},
    {
        "name": "fungsi",
        "label": "Fungsi bangunan",
        "kind": "choice",
        "choices": ["hunian", "usaha", "keagamaan", "sosial budaya"],
    },
]
PRACTICE = [
    {"name": "nomor_str", "label": "Nomor STR", "kind": "text", "pattern": r"^[0-9]{6,20}$"},
    {"name": "tempat_praktik", "label": "Tempat praktik", "kind": "text"},
]
TYPES = [
    dict(
        code="pbg",
        name="Persetujuan Bangunan Gedung (PBG)",
        agency="dpupr",
        days=28,
        survey=True,
        fee="formula",
        formula="luas_bangunan * jumlah_lantai * 10000 + 250000",
        years=0,
        fields=BUILDING,
        legal="PP 16/2021 tentang Bangunan Gedung",
        docs=[
            ("Gambar rencana arsitektur", True, "pdf"),
            ("Bukti kepemilikan tanah", True, "image_pdf"),
            ("Foto lokasi", False, "image"),
        ],
    ),
    dict(
        code="slf",
        name="Sertifikat Laik Fungsi (SLF)",
        agency="dpupr",
        days=10,
        survey=True,
        fee="fixed",
        amount=500000,
        years=5,
        fields=BUILDING[:3],
        legal="PP 16/2021 tentang Bangunan Gedung",
        docs=[("PBG/IMB", True, "image_pdf"), ("Laporan pemeriksaan kelaikan", True, "pdf")],
    ),
    dict(
        code="reklame",
        name="Izin Penyelenggaraan Reklame",
        agency="satpolpp",
        days=5,
        survey=True,
        fee="formula",
        formula="panjang * lebar * 50000",
        years=1,
        fields=[
            {"name": "panjang", "label": "Panjang (m)", "kind": "decimal", "min": 0.5},
            {"name": "lebar", "label": "Lebar (m)", "kind": "decimal", "min": 0.5},
            {"name": "naskah", "label": "Naskah reklame", "kind": "text"},
        ],
        legal="Perda {region} tentang Pajak dan Retribusi Daerah",
        docs=[("Desain reklame", True, "image_pdf")],
    ),
    dict(
        code="sip-dokter",
        name="Surat Izin Praktik Dokter",
        agency="dinkes",
        days=5,
        survey=False,
        fee="none",
        years=5,
        fields=PRACTICE,
        legal="Permenkes 2052/2011",
        docs=[("STR dokter", True, "image_pdf"), ("Rekomendasi IDI", True, "image_pdf")],
    ),
    dict(
        code="sip-bidan",
        name="Surat Izin Praktik Bidan",
        agency="dinkes",
        days=5,
        survey=False,
        fee="none",
        years=5,
        fields=PRACTICE,
        legal="Permenkes 28/2017",
        docs=[("STR bidan", True, "image_pdf")],
    ),
    dict(
        code="sip-perawat",
        name="Surat Izin Praktik Perawat",
        agency="dinkes",
        days=5,
        survey=False,
        fee="none",
        years=5,
        fields=PRACTICE,
        legal="Permenkes 26/2019",
        docs=[("STR perawat", True, "image_pdf")],
    ),
    dict(
        code="iumk",
        name="Izin Usaha Mikro dan Kecil (IUMK)",
        agency="dpmptsp",
        days=3,
        survey=False,
        fee="none",
        years=0,
        fields=[
            {"name": "nama_usaha", "label": "Nama usaha", "kind": "text"},
            {"name": "kbli", "label": "Kode KBLI", "kind": "text", "pattern": r"^[0-9]{5}$"},
            {"name": "modal", "label": "Modal usaha (Rp)", "kind": "integer", "min": 0},
        ],
        legal="PP 7/2021; Perpres 98/2014",
        docs=[("KTP pemohon", True, "image_pdf")],
    ),
]
SAMPLE = {
    "pbg": {"luas_tanah": "150", "luas_bangunan": "90", "jumlah_lantai": 2, "fungsi": "hunian"},
    "slf": {"luas_tanah": "300", "luas_bangunan": "240", "jumlah_lantai": 2},
    "reklame": {"panjang": "4", "lebar": "3", "naskah": "Toko Roti {short}"},
    "sip-dokter": {"nomor_str": "3121100223456789", "tempat_praktik": "Klinik Pratama {short}"},
    "sip-bidan": {"nomor_str": "1275031002", "tempat_praktik": "PMB Bidan Sari"},
    "sip-perawat": {"nomor_str": "1275045566", "tempat_praktik": "RSUD Demo {short}"},
    "iumk": {"nama_usaha": "Rambutan {short} Jaya", "kbli": "47211", "modal": 15000000},
}
# Where each demo application stops.
TARGETS = [
    wf.DRAFT,
    wf.SUBMITTED,
    wf.REVISION,
    wf.SURVEY,
    wf.SURVEY_SCHEDULED,
    wf.REVIEW,
    wf.DECISION,
    wf.PAYMENT,
    wf.ISSUED,
    wf.ISSUED,
    wf.REJECTED,
    wf.WITHDRAWN,
]


def _regional(value):
    """A demo text with the region's names: {region} "Kota Binjai", {short} "Binjai"."""
    if not isinstance(value, str):
        return value
    name = settings.REGION_NAME
    return value.replace("{region}", name).replace("{short}", short_name(name))


def _pdf() -> CleanFile:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 750, f"Dokumen contoh (demo) e-Perizinan {settings.REGION_NAME}")
    c.showPage()
    c.save()
    return CleanFile(
        content=buf.getvalue(), name="dokumen-demo.pdf", content_type="application/pdf"
    )


def _types(log) -> dict[str, PermitType]:
    units = {u.code: u for u in Unit.objects.filter(kind="opd")}
    out = {}
    for spec in TYPES:
        pt = PermitType.objects.filter(code=spec["code"]).first()
        if pt is None:
            pt = PermitType(
                code=spec["code"],
                name=spec["name"],
                agency=units[spec["agency"]],
                service_days=spec["days"],
                needs_survey=spec["survey"],
                fee_kind=spec["fee"],
                fee_amount=Decimal(spec.get("amount", 0)),
                fee_formula=spec.get("formula", ""),
                validity_years=spec["years"],
                fields=spec["fields"],
                legal_basis=_regional(spec["legal"]),
                description=f"Layanan {spec['name']} di DPMPTSP {settings.REGION_NAME}.",
                is_demo=True,
            )
            pt.full_clean()
            pt.save()
            for order, (name, mandatory, kinds) in enumerate(spec["docs"], start=1):
                DocumentRequirement.objects.create(
                    permit_type=pt, name=name, order=order, mandatory=mandatory, kinds=kinds
                )
        out[pt.code] = pt
    log(f"perizinan: {len(out)} permit types")
    return out


def _advance(app, target, staff, start: datetime.date, services) -> None:
    def day(n):
        return workdays.add_working_days(start, n)

    if target == wf.DRAFT:
        return
    services.application_submit(application=app, actor=app.applicant, today=start)
    if target == wf.SUBMITTED:
        return
    if target == wf.REVISION:
        doc = app.documents.first()
        services.application_request_revision(
            application=app,
            actor=staff["verifier"],
            notes={doc.pk: "Dokumen buram, unggah ulang."},
            today=day(1),
        )
        return
    if target == wf.WITHDRAWN:
        services.application_withdraw(
            application=app, actor=app.applicant, note="Rencana dibatalkan.", today=day(1)
        )
        return
    services.application_accept(application=app, actor=staff["verifier"], today=day(1))
    if app.permit_type.needs_survey:
        if target == wf.SURVEY:
            return
        services.application_schedule_survey(
            application=app,
            actor=staff["surveyor"],
            surveyor=staff["surveyor"],
            survey_date=day(2),
            today=day(1),
        )
        if target == wf.SURVEY_SCHEDULED:
            return
        services.application_report_survey(
            application=app,
            actor=staff["surveyor"],
            findings="Kondisi lapangan sesuai permohonan.",
            today=day(2),
        )
    if target in (wf.SURVEY, wf.SURVEY_SCHEDULED, wf.REVIEW):
        return
    officer = staff["technical"].get(app.agency_id)
    if officer is None:
        return
    services.application_recommend(
        application=app,
        actor=officer,
        recommendation="Memenuhi persyaratan teknis.",
        minutes="Rapat tim teknis.",
        today=day(3),
    )
    if target == wf.DECISION:
        return
    if target == wf.REJECTED:
        services.application_decide(
            application=app,
            actor=staff["head"],
            approve=False,
            reason="Lokasi tidak sesuai rencana tata ruang.",
            today=day(4),
        )
        return
    services.application_decide(application=app, actor=staff["head"], approve=True, today=day(4))
    app.refresh_from_db()
    if app.status == wf.PAYMENT and target == wf.ISSUED:
        from binjai_portal.core.billing import selectors as billing_selectors
        from binjai_portal.core.billing import services as billing_services

        bill = billing_selectors.bill_for_subject(kind=services.BILL_KIND, subject_id=app.pk)
        billing_services.bill_pay(
            bill=bill, channel="va", amount=bill.amount, reference=f"DEMO-{app.pk:06d}"
        )


@transaction.atomic
def seed(log) -> None:
    from . import services

    types = _types(log)
    if Application.objects.filter(is_demo=True).exists():
        log("perizinan: demo applications already present")
        return
    User = get_user_model()
    applicant = User.objects.filter(is_demo=True, groups__name=roles.WARGA).first()
    verifier = User.objects.filter(is_demo=True, groups__name=roles.DPMPTSP_VERIFIKATOR).first()
    surveyor = User.objects.filter(is_demo=True, groups__name=roles.DPMPTSP_SURVEYOR).first()
    head = User.objects.filter(is_demo=True, groups__name=roles.DPMPTSP_KEPALA).first()
    if not all((applicant, verifier, surveyor, head)):
        log("perizinan: demo users missing; skipped applications")
        return
    technical = {
        u.unit_id: u for u in User.objects.filter(groups__name=roles.PETUGAS_OPD, is_active=True)
    }
    staff = {"verifier": verifier, "surveyor": surveyor, "head": head, "technical": technical}
    today = timezone.localdate()
    codes = list(types)
    created = 0
    for i in range(30):
        pt = types[codes[i % len(codes)]]
        target = TARGETS[i % len(TARGETS)]
        # Older files first: those still open past their standard are overdue.
        start = today - datetime.timedelta(days=60 - 2 * i)
        app = services.application_create(applicant=applicant, permit_type=pt)
        services.application_update(
            application=app,
            actor=applicant,
            data={k: _regional(v) for k, v in SAMPLE[pt.code].items()},
            details={"location_address": f"Jl. Demo No. {i + 1}, {_regional('{short}')}"},
            documents={r.pk: _pdf() for r in pt.requirements.all() if r.mandatory},
        )
        Application.objects.filter(pk=app.pk).update(is_demo=True)
        _advance(app, target, staff, start, services)
        created += 1
    log(
        f"perizinan: {created} demo applications (tracking check value: "
        f"{(applicant.phone or '')[-4:]})"
    )
