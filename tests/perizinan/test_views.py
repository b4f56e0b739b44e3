import datetime
import io

import pikepdf
import pytest
import zxingcpp
from django.urls import reverse

from binjai_portal.core.models import Upload
from perizinan import services
from perizinan import workflows as wf
from perizinan.certificate import verification_url
from perizinan.models import Application, Certificate

from . import factories

pytestmark = pytest.mark.django_db


def pdf_of(cert) -> bytes:
    with cert.pdf.file.open("rb") as f:
        return f.read()


def test_certificate_pdf_holds_number_holder_and_a_qr_of_the_verification_url(issued, citizen):
    cert = issued.certificates.get()
    data = pdf_of(cert)
    assert Upload.objects.get(pk=cert.pdf_id).sha256 == cert.sha256
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        text = b"".join(
            c.read_bytes()
            for c in (
                [page.Contents] if isinstance(page.Contents, pikepdf.Stream) else page.Contents
            )
        )
        assert cert.number.encode() in text
        assert citizen.full_name.encode() in text
        assert citizen.nik.encode() not in text
        [(_name, raw)] = list(page.images.items())
        image = pikepdf.PdfImage(raw).as_pil_image()
    decoded = zxingcpp.read_barcodes(image.convert("L"))
    assert [b.text for b in decoded] == [verification_url(cert.token)]
    assert f"/perizinan/verifikasi/{cert.token}/" in decoded[0].text


def test_verification_states_without_login(client, issued, head):
    cert = issued.certificates.get()
    page = client.get(reverse("perizinan:verify", args=[cert.token]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Izin SAH dan berlaku" in html
    assert "Siti Aminah" not in html and "Si** Am****" in html
    assert issued.applicant.nik not in html
    new = services.certificate_reissue(application=issued, actor=head, note="Koreksi")
    html = client.get(reverse("perizinan:verify", args=[cert.token])).content.decode()
    assert "telah DIGANTI" in html
    services.certificate_revoke(certificate=new, actor=head, reason="Disalahgunakan")
    html = client.get(reverse("perizinan:verify", args=[new.token])).content.decode()
    assert "DICABUT" in html
    Certificate.objects.filter(pk=new.pk).update(
        state="valid", valid_until=datetime.date(2020, 1, 1)
    )
    html = client.get(reverse("perizinan:verify-search"), {"nomor": new.number}).content.decode()
    assert "habis masa berlakunya" in html
    assert client.get(reverse("perizinan:verify", args=["x" * 60])).status_code == 404
    assert client.get(reverse("perizinan:verify", args=["nope"])).status_code == 404


def test_verification_by_file_byte_for_byte(client, issued):
    cert = issued.certificates.get()
    data = pdf_of(cert)
    url = reverse("perizinan:verify-search")
    ok = client.post(url, {"berkas": io.BytesIO(data)}, format="multipart")
    assert "sama persis" in ok.content.decode()
    tampered = data.replace(b"Siti", b"Sita")
    bad = client.post(url, {"berkas": _named(tampered)})
    assert "TIDAK sama" in bad.content.decode()


def _named(data: bytes, name="izin.pdf"):
    f = io.BytesIO(data)
    f.name = name
    return f


def test_tracking_reveals_nothing_with_a_wrong_check_value(client, issued, citizen):
    url = reverse("perizinan:track")
    wrong = "0000" if not citizen.phone.endswith("0000") else "1111"
    page = client.post(url, {"number": issued.number, "check": wrong}).content.decode()
    assert "tidak ditemukan" in page and issued.permit_type.name not in page
    page = client.post(url, {"number": issued.number, "check": citizen.phone[-4:]})
    html = page.content.decode()
    assert "Izin terbit" in html and issued.permit_type.name in html
    assert citizen.full_name not in html and citizen.nik not in html
    assert client.post(url, {"number": "x" * 500, "check": "12ab"}).status_code == 200


def test_tracking_is_rate_limited(client, issued):
    url = reverse("perizinan:track")
    for _ in range(20):
        client.post(url, {"number": issued.number, "check": "9999"})
    page = client.post(url, {"number": issued.number, "check": issued.applicant.phone[-4:]})
    assert page.status_code == 429
    assert "Terlalu banyak permintaan" in page.content.decode()
    assert issued.permit_type.name not in page.content.decode()


def test_citizen_applies_through_the_form(client, citizen, building):
    client.force_login(citizen)
    client.post(reverse("perizinan:apply", args=["pbg"]))
    app = Application.objects.get(applicant=citizen)
    url = reverse("perizinan:application-edit", args=[app.pk])
    reqs = list(building.requirements.all())
    form = {
        "applicant_kind": "person",
        "f_luas_tanah": "200",
        "f_luas_bangunan": "abc",
        "f_jumlah_lantai": "2",
        "f_fungsi": "hunian",
        "location_address": "Jl. A",
        "intent": "submit",
    }
    bad = client.post(url, form)
    assert bad.status_code == 200 and Application.objects.get(pk=app.pk).status == wf.DRAFT
    form["f_luas_bangunan"] = "120"
    form.update(
        {
            f"doc_{reqs[0].pk}": _named(factories.pdf_bytes()),
            f"doc_{reqs[1].pk}": _named(factories.pdf_bytes("tanah")),
        }
    )
    done = client.post(url, form)
    app.refresh_from_db()
    assert done.status_code == 302 and app.status == wf.SUBMITTED
    assert app.data["luas_bangunan"] == "120.00" or app.data["luas_bangunan"] == "120"


def test_wrong_file_type_is_refused_and_changes_nothing(client, citizen, building):
    client.force_login(citizen)
    app = factories.draft(building, citizen, documents=False)
    req = building.requirements.first()
    page = client.post(
        reverse("perizinan:application-edit", args=[app.pk]),
        {
            "applicant_kind": "person",
            f"doc_{req.pk}": _named(b"MZ\x90\x00 not a pdf", "x.pdf"),
            "intent": "save",
        },
    )
    assert page.status_code == 200 and not app.documents.exists()


def test_applications_are_invisible_outside_scope(
    client, issued, make_citizen, opd_officer, dinkes_officer
):
    detail = reverse("perizinan:application-detail", args=[issued.pk])
    client.force_login(make_citizen())
    assert client.get(detail).status_code == 404
    client.force_login(opd_officer)  # DPUPR: not this type's agency
    assert client.get(detail).status_code == 404
    client.force_login(dinkes_officer)
    assert client.get(detail).status_code == 200
    doc = issued.documents.first().upload
    assert client.get(reverse("core:upload", args=[doc.token])).status_code == 200
    client.force_login(opd_officer)
    assert client.get(reverse("core:upload", args=[doc.token])).status_code == 404


def test_action_by_the_wrong_role_is_a_404(client, building, citizen, surveyor):
    app = factories.submitted(building, citizen)
    client.force_login(surveyor)
    url = reverse("perizinan:application-act", args=[app.pk, "accept"])
    assert client.post(url, {}).status_code == 404
    assert (
        client.post(reverse("perizinan:application-act", args=[app.pk, "bogus"]), {}).status_code
        == 404
    )
    assert Application.objects.get(pk=app.pk).status == wf.SUBMITTED


def test_staff_actions_through_the_pages(client, building, citizen, permit_verifier):
    app = factories.submitted(building, citizen)
    client.force_login(permit_verifier)
    doc = app.documents.first()
    url = reverse("perizinan:application-act", args=[app.pk, "request_revision"])
    assert client.post(url, {}).status_code == 400  # no note
    response = client.post(url, {f"request_revision-doc_{doc.pk}": "Buram"})
    assert response.status_code == 302
    assert Application.objects.get(pk=app.pk).status == wf.REVISION


@pytest.mark.parametrize("count", [5, 500])
def test_inbox_costs_the_same_queries_at_any_size(
    client, building, citizen, permit_verifier, django_assert_max_num_queries, count
):
    base = factories.submitted(building, citizen)
    rows = []
    for i in range(count - 1):
        rows.append(
            Application(
                permit_type=building,
                applicant=citizen,
                agency=building.agency,
                number=f"IZN-2029-{i + 1:06d}",
                status=wf.SUBMITTED,
                submitted_on=base.submitted_on,
                sla_due=base.sla_due,
            )
        )
    Application.objects.bulk_create(rows)
    client.force_login(permit_verifier)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("perizinan:work-queue"))
    assert page.status_code == 200
    # A page of the oldest files (pages of WORK_QUEUE_PAGE_SIZE, the count capped at 1000).
    from perizinan.views import WORK_QUEUE_PAGE_SIZE

    assert page.content.decode().count("/perizinan/permohonan/") >= min(count, WORK_QUEUE_PAGE_SIZE)


def test_public_pages_render(client, regions, building):
    for name in ("perizinan:index", "perizinan:track", "perizinan:verify-search"):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("perizinan:verify-search"), {"nomor": "x" * 100}).status_code == 200


def test_an_xfa_pdf_is_refused_as_a_permit_document_and_stored_nowhere(client, citizen, building):
    """The PDF that was accepted and served back byte-identical: an AcroForm whose XFA
    stream carries a script."""
    import pikepdf

    from binjai_portal.core.models import Upload

    doc = pikepdf.new()
    doc.add_blank_page()
    doc.Root.AcroForm = doc.make_indirect(
        pikepdf.Dictionary(
            Fields=pikepdf.Array(),
            XFA=doc.make_indirect(
                pikepdf.Stream(
                    doc,
                    b"<xdp:xdp><script>app.launchURL('http://evil.example/')</script></xdp:xdp>",
                )
            ),
        )
    )
    out = io.BytesIO()
    doc.save(out)
    client.force_login(citizen)
    app = factories.draft(building, citizen, documents=False)
    req = building.requirements.first()
    page = client.post(
        reverse("perizinan:application-edit", args=[app.pk]),
        {
            "applicant_kind": "person",
            f"doc_{req.pk}": _named(out.getvalue(), "imb.pdf"),
            "intent": "save",
        },
    )
    assert page.status_code == 200 and "formulir XFA" in page.content.decode()
    assert not app.documents.exists() and not Upload.objects.exists()
