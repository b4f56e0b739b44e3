"""A citizen applies with documents, answers a revision request and downloads the
certificate, in Chromium at 360 px; axe-core on the form, tracking and verification."""

import pytest

from conftest import PASSWORD
from perizinan import services
from perizinan import workflows as wf
from perizinan.models import Application
from tests.browser import axe_violations, no_horizontal_scroll

from . import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, user):
    page.goto("/akun/masuk/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_citizen_applies_answers_revision_and_downloads_certificate(
    phone_page,
    practice,
    citizen,
    permit_verifier,
    dinkes_officer,
    head,
    tmp_path,
):
    page = phone_page
    login(page, citizen)
    page.goto("/perizinan/")
    page.get_by_role("link", name="Ajukan Surat Izin Praktik Bidan").click()
    page.get_by_role("button", name="Mulai permohonan").click()
    page.wait_for_url("**/ubah/")
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)
    page.get_by_label("Perorangan").check()
    page.get_by_label("Nomor STR").fill("1234567890")
    page.get_by_label("Tempat praktik").fill("PMB Bidan Sari")
    doc = tmp_path / "str.pdf"
    doc.write_bytes(factories.pdf_bytes("STR"))
    page.locator("input[type=file]").first.set_input_files(str(doc))
    page.get_by_role("button", name="Ajukan permohonan").click()
    page.wait_for_url("**/permohonan/*/")
    app = Application.objects.get(applicant=citizen)
    assert app.status == wf.SUBMITTED and app.number

    services.application_request_revision(
        application=app, actor=permit_verifier, notes={app.documents.get().pk: "Buram"}
    )
    page.reload()
    page.get_by_role("link", name="Perbaiki berkas").click()
    assert "Perlu diperbaiki: Buram" in page.content()
    page.locator("input[type=file]").first.set_input_files(str(doc))
    page.get_by_role("button", name="Kirim perbaikan").click()
    page.wait_for_url("**/permohonan/*/")
    app.refresh_from_db()
    assert app.status == wf.SUBMITTED

    services.application_accept(application=app, actor=permit_verifier)
    services.application_recommend(application=app, actor=dinkes_officer, recommendation="OK")
    services.application_decide(application=app, actor=head, approve=True)
    page.reload()
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh sertifikat (PDF)").click()
    data = open(info.value.path(), "rb").read()
    assert data.startswith(b"%PDF") and app.certificates.get().sha256
    import hashlib

    assert hashlib.sha256(data).hexdigest() == app.certificates.get().sha256

    # Public pages, logged out.
    page.context.clear_cookies()
    page.goto("/perizinan/lacak/")
    page.get_by_label("Nomor registrasi").fill(app.number)
    page.get_by_label("4 angka terakhir nomor HP pemohon").fill(citizen.phone[-4:])
    page.get_by_role("button", name="Lacak").click()
    assert "Izin terbit" in page.content()
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)
    page.goto(app.certificates.get().get_absolute_url())
    assert "Izin SAH dan berlaku" in page.content()
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)
