"""Account recovery by SMS code to the verified phone; birth dates in the future refused;
the language switch remembered on the account."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from binjai_portal.accounts.models import Dependant, SmsResetCode, User
from binjai_portal.accounts.nik import nik_compose
from binjai_portal.core.models import Delivery
from binjai_portal.core.notifications import delivery_send
from binjai_portal.core.sms import LogSmsBackend

from .test_views import registration_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian_afterwards():
    """A request in English leaves English active in this thread: restore the default."""
    yield
    from django.utils import translation

    translation.activate("id")


START, CONFIRM = (
    reverse("accounts:password-reset-sms"),
    reverse("accounts:password-reset-sms-confirm"),
)
NEW = "Sandi-Baru-Binjai-2027"


@pytest.fixture
def sms_log(settings, monkeypatch):
    settings.SMS_BACKEND = "binjai_portal.core.sms.LogSmsBackend"
    monkeypatch.setattr(LogSmsBackend, "sent", [])
    return LogSmsBackend.sent


@pytest.fixture
def verified(citizen):
    citizen.phone_verified_at = timezone.now()
    citizen.save(update_fields=["phone_verified_at"])
    return citizen


def deliver_pending():
    for pk in Delivery.objects.filter(status="pending").values_list("pk", flat=True):
        delivery_send(delivery_id=pk)


def ask(client, phone):
    response = client.post(START, {"phone": phone})
    assert response.status_code == 302 and response["Location"] == CONFIRM
    deliver_pending()
    return response


def test_a_citizen_without_email_sets_a_new_password_with_the_sms_code(client, verified, sms_log):
    ask(client, verified.phone)
    code = re.search(r"\b(\d{6})\b", sms_log[-1]["text"]).group(1)
    assert sms_log[-1]["to"] == verified.phone
    assert Delivery.objects.get(purpose="password_reset").body == ""  # not kept
    response = client.post(CONFIRM, {"code": code, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    verified.refresh_from_db()
    assert verified.check_password(NEW)
    # The code is spent.
    client.post(START, {"phone": verified.phone})
    response = client.post(
        CONFIRM, {"code": code, "new_password1": "X" + NEW, "new_password2": "X" + NEW}
    )
    assert response.status_code == 200


def test_an_unknown_or_unverified_number_answers_the_same_and_sends_nothing(
    client, citizen, sms_log
):
    known_unverified = ask(client, citizen.phone)
    unknown = ask(client, "081299999999")
    assert known_unverified["Location"] == unknown["Location"]
    assert sms_log == [] and not SmsResetCode.objects.exists()
    page = client.post(CONFIRM, {"code": "123456", "new_password1": NEW, "new_password2": NEW})
    assert "Kode salah, kedaluwarsa" in page.content.decode()


def test_wrong_guesses_are_limited_per_code(client, verified, sms_log, settings):
    ask(client, verified.phone)
    code = re.search(r"\b(\d{6})\b", sms_log[-1]["text"]).group(1)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.PHONE_OTP_MAX_ATTEMPTS):
        client.post(CONFIRM, {"code": wrong, "new_password1": NEW, "new_password2": NEW})
    response = client.post(CONFIRM, {"code": code, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 200
    verified.refresh_from_db()
    assert not verified.check_password(NEW)


def test_a_new_code_only_after_the_resend_wait(client, verified, sms_log):
    ask(client, verified.phone)
    ask(client, verified.phone)
    assert SmsResetCode.objects.filter(user=verified).count() == 1 and len(sms_log) == 1


def test_asking_for_codes_is_limited_per_address(client, verified, settings, sms_log):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": "2/h"}
    for _ in range(2):
        client.post(START, {"phone": "081299999999"})
    assert client.post(START, {"phone": verified.phone}).status_code == 429


def test_a_weak_new_password_is_refused_before_the_code_is_spent(client, verified, sms_log):
    ask(client, verified.phone)
    code = re.search(r"\b(\d{6})\b", sms_log[-1]["text"]).group(1)
    response = client.post(CONFIRM, {"code": code, "new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert SmsResetCode.objects.get(user=verified).used_at is None


def test_the_confirm_page_without_a_number_sends_back_to_the_start(client):
    assert client.get(CONFIRM)["Location"] == START


# --- birth dates ---------------------------------------------------------------------------


def test_registration_refuses_a_birth_date_in_the_future(client, kelurahan):
    future = datetime.date(2030, 1, 1)
    nik = nik_compose(region6="127502", birth_date=future, sex="P", serial=77)
    response = client.post(
        reverse("accounts:register"),
        registration_data(kelurahan, nik=nik, birth_date=future.isoformat()),
    )
    assert response.status_code == 200
    assert "masa depan" in " ".join(response.context["form"].errors["birth_date"])
    assert not User.objects.filter(full_name="Rina Marlina").exists()


def test_a_dependant_born_in_the_future_is_refused(client, citizen):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    nik = nik_compose(region6="127502", birth_date=tomorrow, sex="L", serial=12)
    client.force_login(citizen)
    response = client.post(
        reverse("accounts:dependant-create"),
        {
            "nik": nik,
            "full_name": "Anak Baru",
            "birth_date": tomorrow.isoformat(),
            "sex": "L",
            "relation": "anak",
        },
    )
    assert response.status_code == 200
    assert not Dependant.objects.filter(full_name="Anak Baru").exists()


# --- language ------------------------------------------------------------------------------


def test_the_language_switch_is_remembered_on_the_account(client, citizen):
    client.force_login(citizen)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    citizen.refresh_from_db()
    assert citizen.language == "en"
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    citizen.refresh_from_db()
    assert citizen.language == "en"


def test_login_brings_back_the_accounts_language(client, citizen):
    citizen.language = "en"
    citizen.save(update_fields=["language"])
    response = client.post(
        reverse("accounts:login"), {"username": citizen.phone, "password": "Rahasia-Binjai-2026"}
    )
    assert response.cookies["django_language"].value == "en"
