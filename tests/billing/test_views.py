import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from binjai_portal.core.billing import services
from binjai_portal.core.billing import workflows as wf
from binjai_portal.core.billing.models import Bill

from . import factories

pytestmark = pytest.mark.django_db


def test_bill_page_shows_what_the_payer_needs(client, citizen, bank):
    bill = factories.bill(citizen, amount="2650000")
    client.force_login(citizen)
    page = client.get(bill.get_absolute_url()).content.decode()
    assert "Rp\xa02.650.000" in page
    assert "dua juta enam ratus lima puluh ribu rupiah" in page.lower()
    assert "Perda Kota Binjai (uji)" in page
    assert bill.virtual_account_no.replace(" ", "") in page
    assert "data:image/svg+xml" in page  # the QRIS
    assert "ATM" in page and "Teller" in page
    assert "Bayar (simulasi bank)" not in page  # demo off
    pdf = client.get(reverse("billing:bill-pdf", args=[bill.code]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("billing:receipt-pdf", args=[bill.code])).status_code == 404


def test_other_citizens_never_see_a_bill(client, citizen, make_citizen):
    bill = factories.bill(citizen)
    client.force_login(make_citizen(full_name="Orang Lain"))
    assert client.get(bill.get_absolute_url()).status_code == 404
    assert client.get(reverse("billing:bill-pdf", args=[bill.code])).status_code == 404


def test_receipt_and_verification(client, citizen):
    bill = factories.bill(citizen)
    services.bill_pay(bill=bill, channel="va", amount=bill.amount, reference="R1")
    bill.refresh_from_db()
    client.force_login(citizen)
    pdf = client.get(reverse("billing:receipt-pdf", args=[bill.code]))
    assert pdf.status_code == 200 and bill.receipt_token.encode() in pdf.content
    client.logout()
    page = client.get(reverse("billing:receipt-verify", args=[bill.receipt_token]))
    assert page.status_code == 200 and bill.receipt_number in page.content.decode()
    assert citizen.full_name not in page.content.decode()
    assert client.get(reverse("billing:receipt-verify", args=["x" * 24])).status_code == 404


def test_cashier_form_for_the_treasurer_only(client, citizen, treasurer, permit_verifier):
    bill = factories.bill(citizen)
    url = reverse("billing:bill-record-cash", args=[bill.code])
    data = {"cash-receipt_number": "KW 2026 7", "cash-note": "Tunai"}
    for user in (citizen, permit_verifier):
        client.force_login(user)
        assert client.post(url, data).status_code == 404
    client.force_login(treasurer)
    assert client.post(url, {"cash-receipt_number": "", "cash-note": ""}).status_code == 400
    response = client.post(url, data)
    assert response.status_code == 302
    bill.refresh_from_db()
    assert bill.status == wf.PAID and bill.receipt_number == "KW20267"


def test_correction_from_the_bill_page(client, citizen, treasurer):
    bill = factories.bill(citizen)
    client.force_login(treasurer)
    url = reverse("billing:bill-correct", args=[bill.code])
    response = client.post(url, {"correct-amount": "100000", "correct-reason": "Tarif salah"})
    new = Bill.objects.get(replaces=bill)
    assert response.url == new.get_absolute_url() and new.amount == 100000
    page = client.get(bill.get_absolute_url()).content.decode()
    assert new.code in page and "Tarif salah" in page


def test_demo_button_only_in_demo_mode(client, citizen, settings, bank):
    bill = factories.bill(citizen)
    client.force_login(citizen)
    url = reverse("billing:bill-simulate", args=[bill.code, "va"])
    assert client.post(url).status_code == 404
    settings.BILLING_DEMO_PAYMENTS, settings.BILLING_DEMO_BANK_URL = True, "http://127.0.0.1:9"
    assert "Bayar (simulasi bank)" in client.get(bill.get_absolute_url()).content.decode()
    response = client.post(url, follow=True)
    assert "Simulator bank tidak menjawab" in response.content.decode()
    assert Bill.objects.get(pk=bill.pk).status == wf.ISSUED


def test_treasurer_page_and_export(client, citizen, treasurer):
    bill = factories.bill(citizen)
    services.bill_pay(bill=bill, channel="va", amount=bill.amount, reference="REF-77")
    client.force_login(citizen)
    assert client.get(reverse("billing:treasurer")).status_code == 404
    client.force_login(treasurer)
    page = client.get(reverse("billing:treasurer")).content.decode()
    assert bill.code in page and "REF-77" in page
    csv = client.get(reverse("billing:treasurer-export", args=["csv"]))
    assert csv.status_code == 200 and b"REF-77" in csv.content
    xlsx = client.get(reverse("billing:treasurer-export", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_treasurer_page_query_count_does_not_grow(client, citizen, treasurer):
    def count():
        client.force_login(treasurer)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("billing:treasurer")).status_code == 200
        return len(ctx)

    def more(n, start):
        for i in range(n):
            b = factories.bill(citizen, subject_id=str(start + i))
            services.bill_pay(bill=b, channel="va", amount=b.amount, reference=f"R{start + i}")

    more(5, 0)
    five = count()
    more(45, 100)
    assert count() == five


def test_permit_page_shows_the_bill(client, citizen, make_staff, bank):
    app = factories.permit_waiting_for_payment(citizen, make_staff)
    client.force_login(citizen)
    page = client.get(app.get_absolute_url()).content.decode()
    assert (
        "Tagihan retribusi" in page
        and "Rp\xa0150.000" in page
        and "seratus lima puluh ribu" in page.lower()
    )
    assert "Catat pembayaran" not in page and "Halaman tagihan" in page
    # The permit office sees the bill on the permit, but no link to the payer's bill page.
    client.force_login(make_staff("dpmptsp_verifikator", full_name="Verifikator Lain"))
    page = client.get(app.get_absolute_url()).content.decode()
    assert "Tagihan retribusi" in page and "Halaman tagihan" not in page
