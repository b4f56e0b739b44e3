"""The SNAP BI biller endpoints over real HTTP (live server), called as the bank would."""

import datetime
import secrets

import pytest
from django.utils import timezone

from binjai_portal.core.billing import services
from binjai_portal.core.billing import workflows as wf
from binjai_portal.core.billing.models import BankEvent, Bill, Payment
from binjai_portal.core.models import Notification

from . import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def client_(bank, live_server):
    return bank.client(live_server.url)


@pytest.fixture
def bill(citizen, bank):
    return factories.bill(citizen)


def rid():
    return secrets.token_hex(8)


def test_access_token_needs_the_banks_rsa_signature(client_):
    ok = client_.access_token()
    assert ok.status == 200 and ok.body["responseCode"] == "2007300"
    assert ok.body["tokenType"] == "Bearer" and ok.body["accessToken"]
    bad = client_.access_token(bad_signature=True)
    assert bad.status == 401 and bad.body["responseCode"] == "4017300"
    old = (timezone.now() - datetime.timedelta(hours=1)).isoformat(timespec="seconds")
    stale = client_.access_token(ts=old)
    assert stale.status == 401 and stale.body["responseCode"] == "4017300"
    assert BankEvent.objects.filter(service="73", http_status=401).count() == 2


def test_inquiry_and_payment(client_, bill, citizen):
    va = bill.virtual_account_no
    answer = client_.inquiry(va)
    assert answer.status == 200 and answer.body["responseCode"] == "2002400"
    data = answer.body["virtualAccountData"]
    assert data["totalAmount"] == {"value": "150000.00", "currency": "IDR"}
    assert data["virtualAccountNo"] == va and data["inquiryStatus"] == "00"
    paid = client_.payment(va, "150000.00", request_id="PAY1")
    assert paid.status == 200 and paid.body["responseCode"] == "2002500"
    assert paid.body["virtualAccountData"]["paymentFlagStatus"] == "00"
    bill.refresh_from_db()
    assert bill.status == wf.PAID and bill.channel == "va" and bill.receipt_number
    assert Notification.objects.filter(
        recipient=citizen, title__contains="Pembayaran diterima"
    ).exists()
    status = client_.status(va, request_id="PAY1")
    assert status.body["responseCode"] == "2002600"
    assert status.body["virtualAccountData"]["paymentFlagStatus"] == "00"


def test_repeated_notifications_never_pay_twice(client_, bill):
    va = bill.virtual_account_no
    # A bank's retry is the same message byte for byte, trxDateTime included; built twice
    # from the clock, two requests a second apart would be two different bodies (a 409).
    trx = timezone.localtime().isoformat(timespec="seconds")
    first = client_.payment(va, "150000.00", request_id="PAY1", external_id="111", trx=trx)
    same = client_.payment(va, "150000.00", request_id="PAY1", external_id="111", trx=trx)
    assert first.body == same.body and same.status == 200
    again = client_.payment(va, "150000.00", request_id="PAY1", external_id="222")
    assert again.status == 200 and again.body["responseCode"] == "2002500"
    other = client_.payment(va, "150000.00", request_id="PAY2", external_id="333")
    assert other.status == 404 and other.body["responseCode"] == "4042514"
    assert Payment.objects.filter(bill=bill).count() == 1
    assert BankEvent.objects.filter(bill=bill, duplicate=True).count() == 2


def test_same_external_id_with_another_body_is_a_conflict(client_, bill, citizen):
    other = factories.bill(citizen, subject_id="2")
    client_.inquiry(bill.virtual_account_no, external_id="999")
    answer = client_.inquiry(other.virtual_account_no, external_id="999")
    assert answer.status == 409 and answer.body["responseCode"] == "4092400"


def test_wrong_amount_unknown_expired_cancelled(client_, bill, citizen, treasurer):
    va = bill.virtual_account_no
    wrong = client_.payment(va, "149999.00", request_id=rid())
    assert wrong.status == 404 and wrong.body["responseCode"] == "4042513"
    bill.refresh_from_db()
    assert bill.status == wf.ISSUED
    assert BankEvent.objects.filter(bill=bill, response_code="4042513").exists()

    unknown = va[:8] + "26999999990"
    assert client_.inquiry(unknown).body["responseCode"] == "4042412"

    late = factories.bill(citizen, subject_id="3")
    Bill.objects.filter(pk=late.pk).update(due_at=timezone.now() - datetime.timedelta(minutes=1))
    assert client_.inquiry(late.virtual_account_no).body["responseCode"] == "4042419"
    paid = client_.payment(late.virtual_account_no, "150000.00", request_id=rid())
    assert paid.body["responseCode"] == "4042519"
    assert Bill.objects.get(pk=late.pk).status == wf.ISSUED

    gone = factories.bill(citizen, subject_id="4")
    services.bill_cancel(bill=gone, actor=treasurer, reason="salah tarif")
    assert client_.inquiry(gone.virtual_account_no).body["responseCode"] == "4042412"
    assert (
        client_.payment(gone.virtual_account_no, "150000.00", request_id=rid()).body["responseCode"]
        == "4042512"
    )
    assert not Payment.objects.exists()


def test_bad_signature_token_timestamp(client_, bill):
    va = bill.virtual_account_no
    assert client_.inquiry(va, bad_signature=True).body["responseCode"] == "4012400"
    old = (timezone.now() - datetime.timedelta(minutes=10)).isoformat(timespec="seconds")
    stale = client_.inquiry(va, ts=old)
    assert stale.status == 401 and stale.body["responseCode"] == "4012400"
    client_.access_token()
    forged = client_.inquiry(va, token="not-a-token")
    assert forged.status == 401 and forged.body["responseCode"] == "4012401"
    assert BankEvent.objects.filter(service="24", http_status=401).count() == 3


def test_qris_notification_pays_through_the_same_path(client_, bill):
    answer = client_.qr_notify(bill_code=bill.code, amount="150000.00", reference="QR1")
    assert answer.status == 200 and answer.body["responseCode"] == "2005200"
    again = client_.qr_notify(bill_code=bill.code, amount="150000.00", reference="QR1")
    assert again.status == 200
    bill.refresh_from_db()
    assert bill.status == wf.PAID and bill.channel == "qris"
    assert Payment.objects.filter(bill=bill).count() == 1


def test_permit_moves_on_by_itself_once_paid(client_, citizen, make_staff, bank):
    from perizinan import workflows as permit_wf
    from perizinan.models import Application

    app = factories.permit_waiting_for_payment(citizen, make_staff)
    assert app.status == permit_wf.PAYMENT
    bill = Bill.objects.get(subject_kind="perizinan.application", subject_id=str(app.pk))
    assert bill.amount == 150000 and app.levy_number == bill.code
    assert "Retribusi" in bill.legal_basis
    assert Notification.objects.filter(recipient=citizen, title__contains=app.number).exists()
    answer = client_.payment(bill.virtual_account_no, "150000.00", request_id="P")
    assert answer.body["responseCode"] == "2002500"
    app = Application.objects.get(pk=app.pk)
    assert app.status == permit_wf.ISSUED and app.paid_at is not None
    assert app.certificates.filter(state="valid").exists()
