"""A phone number receives SMS only after its owner proved it with a code sent to it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from binjai_portal.accounts.models import PhoneVerification
from binjai_portal.core.models import Delivery
from binjai_portal.core.notifications import SMS, delivery_send, notify
from binjai_portal.core.sms import LogSmsBackend

pytestmark = pytest.mark.django_db
VERIFY, SEND = reverse("accounts:phone-verify"), reverse("accounts:phone-verify-send")


@pytest.fixture
def sms_log(settings, monkeypatch):
    settings.SMS_BACKEND = "binjai_portal.core.sms.LogSmsBackend"
    monkeypatch.setattr(LogSmsBackend, "sent", [])
    return LogSmsBackend.sent


@pytest.fixture
def logged_in(client, citizen):
    client.force_login(citizen)
    return client


def deliver_pending():
    """What the worker does after commit."""
    for pk in Delivery.objects.filter(status="pending").values_list("pk", flat=True):
        delivery_send(delivery_id=pk)


def ask_code(client, sms_log) -> str:
    response = client.post(SEND)
    assert response.status_code == 302 and response["Location"] == VERIFY
    deliver_pending()
    return re.search(r"\b(\d{6})\b", sms_log[-1]["text"]).group(1)


def test_otp_flow_end_to_end(logged_in, citizen, sms_log):
    profile = logged_in.get(reverse("accounts:profile")).content.decode()
    assert "belum terverifikasi" in profile and VERIFY in profile
    assert sms_status_of_notice(citizen) == ("skipped", "unverified")

    code = ask_code(logged_in, sms_log)

    assert [m["to"] for m in sms_log] == [citizen.phone]
    otp = Delivery.objects.get(purpose="phone_verification")
    assert (otp.status, otp.body) == ("sent", "")  # the code is not kept in the outbox
    stored = PhoneVerification.objects.get(user=citizen)
    assert code not in stored.code_hash
    wrong = "000000" if code != "000000" else "111111"
    response = logged_in.post(VERIFY, {"code": wrong})
    assert response.status_code == 200 and "Kode salah" in response.content.decode()
    response = logged_in.post(VERIFY, {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")
    citizen.refresh_from_db()
    assert citizen.phone_verified_at is not None
    # From now on notices reach the phone too.
    assert sms_status_of_notice(citizen) == ("pending", "")
    deliver_pending()
    assert len(sms_log) == 2


def sms_status_of_notice(user):
    notification = notify(recipient=user, title="Antrean Anda", channels=(SMS,))
    d = notification.deliveries.get()
    return d.status, d.skip_reason


def test_bad_code_input_is_a_message_and_changes_nothing(logged_in, citizen, sms_log):
    for bad in ("", "12ab56", "1234567"):
        response = logged_in.post(VERIFY, {"code": bad})
        assert response.status_code == 200
        assert response.context["form"].errors
    response = logged_in.post(VERIFY, {"code": "123456"})  # no code asked for yet
    assert "Minta kode baru" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.phone_verified_at is None


def test_codes_expire_and_allow_few_attempts(logged_in, citizen, sms_log, settings):
    settings.PHONE_OTP_RESEND_SECONDS = 0
    code = ask_code(logged_in, sms_log)
    PhoneVerification.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert "kedaluwarsa" in logged_in.post(VERIFY, {"code": code}).content.decode()

    code = ask_code(logged_in, sms_log)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.PHONE_OTP_MAX_ATTEMPTS):
        logged_in.post(VERIFY, {"code": wrong})
    page = logged_in.post(VERIFY, {"code": code}).content.decode()
    assert "Terlalu banyak percobaan" in page
    citizen.refresh_from_db()
    assert citizen.phone_verified_at is None


def test_resend_is_limited(logged_in, citizen, sms_log, settings):
    ask_code(logged_in, sms_log)
    response = logged_in.post(SEND, follow=True)
    assert "Tunggu" in response.content.decode()
    assert PhoneVerification.objects.count() == 1

    settings.PHONE_OTP_RESEND_SECONDS = 0
    settings.PHONE_OTP_MAX_PER_DAY = 2
    ask_code(logged_in, sms_log)
    response = logged_in.post(SEND, follow=True)
    assert "Batas permintaan kode hari ini" in response.content.decode()
    assert len(sms_log) == 2


def test_the_code_sms_counts_against_the_budget(logged_in, citizen, sms_log, settings):
    settings.SMS_BUDGET_PER_NUMBER = 1
    settings.PHONE_OTP_RESEND_SECONDS = 0
    ask_code(logged_in, sms_log)
    response = logged_in.post(SEND, follow=True)
    assert "batas pengiriman SMS tercapai" in response.content.decode()
    deliver_pending()
    assert len(sms_log) == 1
    assert (
        Delivery.objects.filter(
            purpose="phone_verification", status="skipped", skip_reason="budget_address"
        ).count()
        == 1
    )


def test_changing_the_phone_clears_verification(logged_in, citizen, kelurahan, sms_log):
    citizen.phone_verified_at = timezone.now()
    citizen.save(update_fields=["phone_verified_at"])
    base = {
        "full_name": citizen.full_name,
        "phone": "0813 7000 9999",
        "email": citizen.email,
        "address": "Jl. Baru 2",
        "kelurahan": kelurahan.pk,
        "rt": "004",
        "rw": "005",
        "language": "id",
    }
    assert logged_in.post(reverse("accounts:profile-edit"), base).status_code == 302
    citizen.refresh_from_db()
    assert citizen.phone == "+6281370009999" and citizen.phone_verified_at is None
    # A code sent to the old number does not verify the new one.
    assert sms_status_of_notice(citizen) == ("skipped", "unverified")


def test_a_code_for_the_old_number_does_not_verify_the_new_one(
    logged_in, citizen, kelurahan, sms_log
):
    code = ask_code(logged_in, sms_log)
    base = {
        "full_name": citizen.full_name,
        "phone": "0813 7000 9999",
        "email": citizen.email,
        "address": "Jl. Baru 2",
        "kelurahan": kelurahan.pk,
        "rt": "004",
        "rw": "005",
        "language": "id",
    }
    logged_in.post(reverse("accounts:profile-edit"), base)
    logged_in.post(VERIFY, {"code": code})
    citizen.refresh_from_db()
    assert citizen.phone_verified_at is None


def test_verification_pages_need_login(client):
    assert client.get(VERIFY).status_code == 302
    assert client.post(SEND).status_code == 302
    assert PhoneVerification.objects.count() == 0


def test_demo_accounts_are_verified(db):
    from django.core.management import call_command

    from binjai_portal.accounts.models import User

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    demo = User.objects.filter(is_demo=True)
    assert demo.exists() and not demo.filter(phone_verified_at__isnull=True).exists()
