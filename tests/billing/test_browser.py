"""At 360 px: apply for a permit with a levy, receive the bill, pay it through the bank
simulator (virtual account, then QRIS for a second permit), download the receipt and
see the permit issued. Screenshots in /tmp/bill/."""

import os

import pytest

from binjai_portal.core.billing.models import Bill
from conftest import PASSWORD
from perizinan import services
from perizinan import workflows as wf
from perizinan.models import Application, PermitType
from tests.browser import axe_violations, no_horizontal_scroll
from tests.perizinan import factories as pf

from . import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/bill"


def shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def login(page, user):
    page.goto("/akun/masuk/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_apply_bill_pay_va_and_qris_receipt_issued(
    phone_page, bank_simulator, settings, citizen, make_staff, tmp_path
):
    settings.BILLING_DEMO_PAYMENTS, settings.BILLING_DEMO_BANK_URL = True, bank_simulator
    pt = pf.practice_type(
        code="sip-berbayar",
        name="Surat Izin Praktik Bidan (berbayar)",
        fee_kind=PermitType.FeeKind.FIXED,
        fee_amount=150000,
        legal_basis="Peraturan Daerah Kota Binjai tentang Retribusi Perizinan Tertentu (uji)",
    )
    verifier = make_staff("dpmptsp_verifikator", full_name="Agus Verifikator")
    officer = make_staff("petugas_opd", "dinkes", full_name="Rina Dinkes")
    head = make_staff("dpmptsp_kepala", "dpmptsp", full_name="Lestari Kepala")
    page = phone_page
    login(page, citizen)
    page.goto("/perizinan/")
    page.get_by_role("link", name=f"Ajukan {pt.name}").click()
    page.get_by_role("button", name="Mulai permohonan").click()
    page.wait_for_url("**/ubah/")
    page.get_by_label("Perorangan").check()
    page.get_by_label("Nomor STR").fill("1234567890")
    page.get_by_label("Tempat praktik").fill("PMB Bidan Sari")
    doc = tmp_path / "str.pdf"
    doc.write_bytes(pf.pdf_bytes("STR"))
    page.locator("input[type=file]").first.set_input_files(str(doc))
    page.get_by_role("button", name="Ajukan permohonan").click()
    page.wait_for_url("**/permohonan/*/")
    app = Application.objects.get(applicant=citizen)
    services.application_accept(application=app, actor=verifier)
    services.application_recommend(application=app, actor=officer, recommendation="OK")
    services.application_decide(application=app, actor=head, approve=True)

    page.reload()
    assert "Tagihan retribusi" in page.content()
    assert no_horizontal_scroll(page)
    shot(page, "1-permit-waiting-for-payment")
    page.get_by_role("link", name="Halaman tagihan").click()
    page.wait_for_url("**/tagihan/*/")
    content = page.content()
    assert "Seratus lima puluh ribu rupiah" in content and "Cara membayar" in content
    assert axe_violations(page) == [] and no_horizontal_scroll(page)
    page.locator("summary").first.click()
    shot(page, "2-bill-360")
    page.get_by_role("button", name="Bayar (simulasi bank) — virtual account").click()
    page.wait_for_load_state()
    assert "Bank (simulasi) telah membayar tagihan ini." in page.content()
    shot(page, "3-bill-paid-va")
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh tanda bukti (PDF)").click()
    assert open(info.value.path(), "rb").read().startswith(b"%PDF")
    app.refresh_from_db()
    assert app.status == wf.ISSUED
    page.goto(app.get_absolute_url())
    assert "Izin terbit dengan nomor" in page.content()
    shot(page, "4-permit-issued")

    # A second permit, paid by QRIS.
    app2 = factories.permit_waiting_for_payment(citizen, make_staff, fee="75000", code="sip-qris")
    bill2 = Bill.objects.get(subject_kind="perizinan.application", subject_id=str(app2.pk))
    page.goto(bill2.get_absolute_url())
    assert page.locator("img.bb-qris").count() == 1
    shot(page, "5-bill-qris")
    page.get_by_role("button", name="Bayar (simulasi bank) — QRIS").click()
    page.wait_for_load_state()
    assert "Bank (simulasi) telah membayar tagihan ini." in page.content()
    app2.refresh_from_db()
    assert app2.status == wf.ISSUED
    assert Bill.objects.get(pk=bill2.pk).channel == "qris"
    shot(page, "6-bill-paid-qris")
