import datetime
import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from binjai_portal.accounts.models import Dependant
from binjai_portal.accounts.nik import nik_compose
from conftest import PASSWORD

User = get_user_model()
pytestmark = pytest.mark.django_db


def registration_data(kelurahan, **overrides):
    birth = datetime.date(1995, 8, 17)
    data = {
        "nik": nik_compose(region6="127502", birth_date=birth, sex="P", serial=77),
        "full_name": "Rina Marlina",
        "birth_date": "1995-08-17",
        "sex": "P",
        "phone": "0813 7000 1234",
        "email": "rina@example.org",
        "kelurahan": kelurahan.pk,
        "address": "Jl. Sudirman No. 10",
        "rt": "003",
        "rw": "001",
        "password1": "Binjai-Maju-2026",
        "password2": "Binjai-Maju-2026",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_citizen_registers_logs_in_and_gets_a_verification_mail(
    client, kelurahan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), registration_data(kelurahan))

    # Not logged in straight away: a taken NIK must get the very same answer.
    assert response.status_code == 302 and response.url == reverse("accounts:register-done")
    assert "_auth_user_id" not in client.session
    user = User.objects.get(full_name="Rina Marlina")
    assert user.phone == "+6281370001234"
    assert user.has_role("warga") and not user.is_staff
    assert (
        client.post(
            reverse("accounts:login"), {"username": user.nik, "password": "Binjai-Maju-2026"}
        ).status_code
        == 302
    )
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert user.nik not in body and user.nik not in mail.outbox[0].subject
    link = re.search(r"https?://[^/]+(/akun/verifikasi-email/\S+)", body).group(1)
    assert client.get(link).status_code == 200
    user.refresh_from_db()
    assert user.email_verified


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"nik": "12345"}, "nik", "NIK harus 16 digit"),
        ({"birth_date": "1995-08-18"}, "birth_date", "Tanggal lahir tidak sesuai dengan NIK"),
        ({"sex": "L"}, "sex", "Jenis kelamin tidak sesuai dengan NIK"),
        ({"phone": "12345"}, "phone", "Nomor HP"),
        ({"password2": "lain"}, "password2", "Kedua kata sandi tidak sama"),
        ({"consent": ""}, "consent", "Persetujuan diperlukan"),
        ({"rt": "abc"}, "rt", "Isi 1 sampai 3 angka"),
    ],
)
def test_bad_registration_shows_a_field_message_in_indonesian_and_creates_nothing(
    client, kelurahan, overrides, field, message
):
    response = client.post(reverse("accounts:register"), registration_data(kelurahan, **overrides))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not User.objects.filter(full_name="Rina Marlina").exists()


def test_english_speaker_gets_messages_in_english(client, kelurahan):
    client.cookies["django_language"] = "en"
    response = client.post(reverse("accounts:register"), registration_data(kelurahan, sex="L"))
    assert "Sex does not match the NIK" in " ".join(response.context["form"].errors["sex"])


@pytest.mark.parametrize("taken", ["nik", "phone", "email"])
def test_a_taken_identifier_answers_as_a_new_registration_and_tells_the_owner(
    client, citizen, kelurahan, taken
):
    """Registration is no oracle for "does this NIK/phone/e-mail have an account"."""
    from binjai_portal.core.models import Notification

    fresh = client.post(reverse("accounts:register"), registration_data(kelurahan), follow=True)
    client.cookies.clear()
    value = {"nik": citizen.nik, "phone": citizen.phone, "email": citizen.email}[taken]
    other = registration_data(
        kelurahan,
        **{
            "nik": nik_compose(
                region6="127502", birth_date=datetime.date(1995, 8, 17), sex="P", serial=78
            ),
            "phone": "0813 7000 9999",
            "email": "lain@example.org",
            "full_name": "Orang Lain",
        },
    )
    other[taken] = value
    if taken == "nik":  # the identity fields must match the NIK to pass the form
        other.update(birth_date=citizen.birth_date.isoformat(), sex=citizen.sex)
    probe = client.post(reverse("accounts:register"), other, follow=True)

    assert probe.redirect_chain == fresh.redirect_chain
    assert probe.status_code == fresh.status_code == 200

    def page(response):  # the CSRF token differs per visitor, nothing else may
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    assert page(probe) == page(fresh)
    assert not User.objects.filter(full_name="Orang Lain").exists()
    notice = Notification.objects.get(recipient=citizen)
    assert "mencoba mendaftar" in notice.title
    assert citizen.nik not in notice.body
    assert not notice.deliveries.exists()  # inbox only


@pytest.mark.parametrize("identifier", ["nik", "email", "phone_local", "phone"])
def test_login_with_nik_email_or_phone(client, citizen, identifier):
    value = {
        "nik": citizen.nik,
        "email": citizen.email.upper(),
        "phone_local": "0" + citizen.phone[3:],
        "phone": citizen.phone,
    }[identifier]
    response = client.post(reverse("accounts:login"), {"username": value, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).context["user"] == citizen


def test_wrong_password_gives_a_clear_message(client, citizen):
    response = client.post(
        reverse("accounts:login"), {"username": citizen.nik, "password": "salah"}
    )
    assert response.status_code == 200
    assert "kata sandi salah" in response.content.decode()


def test_repeated_failed_logins_lock_the_account_even_with_the_right_password(
    client, citizen, settings, caplog
):
    caplog.set_level(logging.DEBUG)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": citizen.nik, "password": "salah"})
    # Switching to the phone number does not reset the count: same account.
    response = client.post(
        reverse("accounts:login"), {"username": citizen.phone, "password": PASSWORD}
    )
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session
    # The NIK is never written to the log or to the lockout records.
    from axes.models import AccessAttempt

    assert citizen.nik not in caplog.text
    assert not AccessAttempt.objects.filter(username__contains=citizen.nik).exists()


def test_password_reset_mail_never_contains_the_nik(client, citizen):
    # The mail is written to the outbox and sent by the worker (as its tasks do), not by
    # the request (tests/accounts/test_password_reset_outbox.py runs the real worker).
    from binjai_portal.accounts.password_reset import password_reset_mail_write
    from binjai_portal.core.models import Delivery
    from binjai_portal.core.notifications import delivery_send

    password_reset_mail_write(email=citizen.email)
    delivery_send(delivery_id=Delivery.objects.get(purpose="password_reset").pk)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert citizen.nik not in message.body and citizen.nik not in message.subject
    link = re.search(r"https?://[^/]+(/akun/atur-sandi/\S+)", message.body).group(1)
    response = client.get(link, follow=True)
    new = "Sandi-Baru-2026!"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("Sandi-Baru-2026!")


def test_profile_shows_masked_nik_only(client, citizen):
    client.force_login(citizen)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert citizen.masked_nik in page
    assert citizen.nik not in page


def test_profile_edit_changes_fields_and_bad_phone_changes_nothing(client, citizen, kelurahan):
    client.force_login(citizen)
    url = reverse("accounts:profile-edit")
    base = {
        "full_name": "Siti Aminah Lubis",
        "phone": "0813 7000 9999",
        "email": citizen.email,
        "address": "Jl. Baru 2",
        "kelurahan": kelurahan.pk,
        "rt": "004",
        "rw": "005",
        "language": "id",
    }
    bad = client.post(url, {**base, "phone": "999"})
    assert bad.status_code == 200 and "phone" in bad.context["form"].errors
    citizen.refresh_from_db()
    assert citizen.full_name == "Siti Aminah"

    assert client.post(url, base).status_code == 302
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.phone, citizen.rt) == (
        "Siti Aminah Lubis",
        "+6281370009999",
        "004",
    )


def test_changing_email_needs_verification_again(
    client, citizen, kelurahan, django_capture_on_commit_callbacks
):
    citizen.email_verified = True
    citizen.save(update_fields=["email_verified"])
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:profile-edit"),
            {
                "full_name": citizen.full_name,
                "phone": citizen.phone,
                "email": "baru@example.org",
                "address": citizen.address,
                "kelurahan": kelurahan.pk,
                "rt": "1",
                "rw": "2",
                "language": "en",
            },
        )
    citizen.refresh_from_db()
    assert citizen.email == "baru@example.org" and not citizen.email_verified
    assert mail.outbox[-1].to == ["baru@example.org"]


def test_dependants_are_added_checked_and_private_to_their_guardian(client, citizen, make_citizen):
    client.force_login(citizen)
    child_birth = datetime.date(2015, 2, 3)
    child_nik = nik_compose(region6="127502", birth_date=child_birth, sex="L", serial=501)
    url = reverse("accounts:dependant-create")
    wrong = client.post(
        url,
        {
            "nik": child_nik,
            "full_name": "Andi",
            "birth_date": "2015-02-04",
            "sex": "L",
            "relation": "anak",
        },
    )
    assert "birth_date" in wrong.context["form"].errors
    assert not Dependant.objects.exists()

    ok = client.post(
        url,
        {
            "nik": child_nik,
            "full_name": "Andi",
            "birth_date": "2015-02-03",
            "sex": "L",
            "relation": "anak",
        },
    )
    assert ok.status_code == 302
    child = Dependant.objects.get(guardian=citizen)
    assert child_nik not in client.get(reverse("accounts:profile")).content.decode()

    other = make_citizen()
    client.force_login(other)
    assert client.get(reverse("accounts:dependant-edit", args=[child.pk])).status_code == 404
    assert client.post(reverse("accounts:dependant-delete", args=[child.pk])).status_code == 404
    assert Dependant.objects.filter(pk=child.pk).exists()


def test_pages_need_login(client):
    for name in [
        "accounts:profile",
        "accounts:profile-edit",
        "accounts:dependant-create",
        "core:inbox",
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_registration_is_limited_per_address(client, kelurahan, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register": "2/h"}
    url = reverse("accounts:register")
    statuses = [
        client.post(
            url,
            registration_data(
                kelurahan,
                nik=nik_compose(
                    region6="127502", birth_date=datetime.date(1995, 8, 17), sex="P", serial=200 + n
                ),
                phone=f"0813 7000 12{n:02d}",
                email=f"rina{n}@example.org",
            ),
            REMOTE_ADDR="198.51.100.3",
        ).status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 429, 429]
    assert User.objects.filter(full_name="Rina Marlina").count() == 2
    assert client.get(url, REMOTE_ADDR="198.51.100.3").status_code == 200  # the form opens
    assert (
        client.post(
            url, registration_data(kelurahan, nik="1"), REMOTE_ADDR="198.51.100.4"
        ).status_code
        == 200
    )  # another address


def test_password_reset_form_is_limited_per_address(client, citizen, settings, celery_eager):
    from binjai_portal.core.models import Delivery

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": "2/h"}
    url = reverse("accounts:password-reset")
    statuses = [
        client.post(url, {"email": citizen.email}, REMOTE_ADDR="198.51.100.3").status_code
        for _ in range(4)
    ]
    assert statuses == [302, 302, 429, 429]
    # The mail is written to the outbox by a task (run in-process here), not sent inline.
    assert Delivery.objects.filter(purpose="password_reset").count() == 2
    refused = client.post(url, {"email": citizen.email}, REMOTE_ADDR="198.51.100.3")
    assert "Terlalu banyak permintaan" in refused.content.decode()


def test_a_taken_nik_with_a_wrong_birth_date_is_refused_like_a_new_one(client, citizen, kelurahan):
    wrong_day = (citizen.birth_date + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("accounts:register"),
        registration_data(kelurahan, nik=citizen.nik, birth_date=wrong_day, sex=citizen.sex),
    )
    assert response.status_code == 200
    assert "Tanggal lahir tidak sesuai dengan NIK" in " ".join(
        response.context["form"].errors["birth_date"]
    )
