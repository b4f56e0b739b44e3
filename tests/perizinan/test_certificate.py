"""The certificate looks like an official document of the region: letterhead from the
region's data and settings, the head's signature block with name and NIP, the location's
kelurahan, and every value in full (wrapped, never cut)."""

import io

import pikepdf
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from binjai_portal.core.models import Region
from perizinan import services
from perizinan.models import Signatory
from tests.pdf_layout import text_runs

from . import factories

pytestmark = pytest.mark.django_db

LONG_PLACE = (
    "Klinik Pratama Sehat Sentosa Bersama, lantai dua gedung Pusat Perbelanjaan Binjai Supermall, "
    "Jalan Soekarno-Hatta kilometer 18 nomor 123 sampai 125"
)


def issue(practice, citizen, permit_verifier, dinkes_officer, head, kelurahan=None):
    data = {"nomor_str": "1234567890", "tempat_praktik": LONG_PLACE}
    app = factories.draft(practice, citizen, data=data)
    if kelurahan is not None:
        services.application_update(
            application=app,
            actor=citizen,
            details={"location_address": "Jl. Sudirman No. 5", "kelurahan": kelurahan},
        )
    services.application_submit(application=app, actor=citizen)
    services.application_accept(application=app, actor=permit_verifier)
    services.application_recommend(application=app, actor=dinkes_officer, recommendation="OK")
    services.application_decide(application=app, actor=head, approve=True)
    cert = app.certificates.get()
    with cert.pdf.file.open("rb") as f:
        return f.read()


def page_text(pdf: bytes) -> str:
    return " ".join(r.text for r in text_runs(pdf))


def test_letterhead_signature_kelurahan_and_full_values(
    practice, citizen, permit_verifier, dinkes_officer, head, kelurahan
):
    Signatory.objects.create(
        user=head, nip="198001012005011002", position="Kepala Dinas Penanaman Modal dan PTSP"
    )
    pdf = issue(practice, citizen, permit_verifier, dinkes_officer, head, kelurahan=kelurahan)
    runs = text_runs(pdf)
    text = " ".join(r.text for r in runs)
    assert "PEMERINTAH KOTA BINJAI" in text
    assert "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU" in text
    assert "Lestari Kepala" in text and "NIP 198001012005011002" in text
    assert "Kepala Dinas Penanaman Modal dan PTSP" in text
    assert f"Kel. {kelurahan.name}" in text and f"Kec. {kelurahan.parent.name}" in text
    # the long value is there word for word (wrapped over lines), nothing cut
    assert all(w in text for w in LONG_PLACE.split())
    right = A4[0] - 15 * mm
    assert all(r.right <= right + 0.5 for r in runs), [r.text for r in runs if r.right > right]
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 1


def test_letterhead_follows_the_region_data_and_a_configured_logo(
    practice, citizen, permit_verifier, dinkes_officer, head, settings, tmp_path
):
    Region.objects.filter(code=settings.REGION_CODE).update(name="Kota Contoh")
    logo = tmp_path / "lambang.png"
    Image.new("RGB", (60, 70), (200, 30, 30)).save(logo)
    settings.REGION_LETTERHEAD_LOGO = str(logo)
    pdf = issue(practice, citizen, permit_verifier, dinkes_officer, head)
    text = page_text(pdf)
    assert "PEMERINTAH KOTA CONTOH" in text and "BINJAI" not in text.split("Nomor")[0]
    assert "Contoh," in text  # place of signing, from the region's name
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages[0].images) == 2  # the logo and the QR code


def test_without_a_logo_only_the_qr_code_is_drawn(
    practice, citizen, permit_verifier, dinkes_officer, head, settings
):
    settings.REGION_LETTERHEAD_LOGO = "img/logo.svg"  # not a raster image: no logo
    pdf = issue(practice, citizen, permit_verifier, dinkes_officer, head)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages[0].images) == 1
