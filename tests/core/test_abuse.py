"""Abuse of the public doors: login lockout, password spraying, rotated proxy headers,
and what the limits do when their cache is down (a real Redis of our own, stopped)."""

import pytest
from django.core import mail
from django.urls import reverse

from binjai_portal.core.models import Notification
from conftest import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER, OWNER, OTHER = "198.51.100.7", "203.0.113.9", "192.0.2.44"
LOCKOUT_TITLE = "Percobaan masuk ke akun Anda dihentikan"


def login(client, username, password, address):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# ---------------------------------------------------------------- lockout


def test_lockout_holds_one_account_from_one_address(client, citizen, settings):
    # Switching identifiers (NIK, e-mail, phone) does not reset the count: one account.
    identifiers = [citizen.nik, citizen.email, citizen.phone, "0" + citizen.phone[3:]]
    for n in range(settings.AXES_FAILURE_LIMIT):
        assert not logged_in(client)
        login(client, identifiers[n % len(identifiers)], "salah", ATTACKER)

    locked = login(client, citizen.email, PASSWORD, ATTACKER)
    assert locked.status_code in (403, 429) and not logged_in(client)

    # The owner, from their own phone, still logs in with the right password.
    owner = login(client, citizen.phone, PASSWORD, OWNER)
    assert owner.status_code == 302 and logged_in(client)


def test_the_owner_is_told_once_per_lockout_in_the_inbox(client, citizen, settings):
    for address in (ATTACKER, OTHER):  # two attackers, each locked out, ten tries more
        for _ in range(settings.AXES_FAILURE_LIMIT + 10):
            login(client, citizen.nik, "salah", address)

    notices = Notification.objects.filter(recipient=citizen)
    assert [n.title for n in notices] == [LOCKOUT_TITLE]
    assert citizen.nik not in notices[0].body
    assert not notices[0].deliveries.exists()  # inbox only: no e-mail, no SMS


def test_spraying_many_accounts_from_one_address_throttles_that_address(
    client, make_citizen, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_address": "30/15m"}
    victims = [make_citizen() for _ in range(40)]
    statuses = [login(client, v.nik, "Sandi-Umum-2026", ATTACKER).status_code for v in victims]

    assert statuses[:30] == [200] * 30  # wrong password, the ordinary answer
    assert set(statuses[31:]) == {429}
    page = login(client, victims[-1].nik, PASSWORD, ATTACKER)
    assert page.status_code == 429 and not logged_in(client)  # even with the right password
    assert "Terlalu banyak permintaan" in page.content.decode()
    # Another address (the victims themselves) is not affected.
    assert login(client, victims[-1].nik, PASSWORD, OWNER).status_code == 302


# ---------------------------------------------------------------- proxy headers


def test_rotating_x_forwarded_for_from_an_untrusted_peer_does_not_reset_open311s_limit(
    client, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_anon": "5/m"}
    url = reverse("open311:o311-discovery", args=["json"])
    statuses = [
        client.get(url, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(10)
    ]
    assert statuses == [200] * 5 + [429] * 5
    refused = client.get(url, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert refused.json()[0]["code"] == 429 and refused["Retry-After"]
    # Through the trusted proxy each forwarded client has its own count.
    assert client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=OWNER).status_code == 200


# ---------------------------------------------------------------- limiter down


def test_limits_count_in_the_limiters_redis_then_fail_open_for_reads_and_closed_for_writes(
    client, citizen, kelurahan, settings, limiter_redis
):
    from tests.accounts.test_views import registration_data

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register": "1/h", "open_data": "1/m"}
    csv = reverse("command_center:open-data-download", args=["pengaduan"])
    register = reverse("accounts:register")
    # Up: the limits hold.
    assert client.post(register, registration_data(kelurahan)).status_code == 302
    assert client.post(register, registration_data(kelurahan)).status_code == 429
    client.get(csv)
    assert client.get(csv).status_code == 429

    limiter_redis()  # the limiter's Redis is gone

    # A read goes on, unlimited.
    assert client.get(csv).status_code != 429
    assert client.get(csv).status_code in (200, 404)
    track = client.post(reverse("perizinan:track"), {"number": "IZN-2026-000001", "check": "1234"})
    assert track.status_code == 200 and "tidak ditemukan" in track.content.decode()
    # A write that sends messages is refused, clearly, and changes nothing.
    mail.outbox.clear()
    for url, data in (
        (register, registration_data(kelurahan, nik=citizen.nik)),
        (reverse("accounts:password-reset"), {"email": citizen.email}),
    ):
        response = client.post(url, data)
        assert response.status_code == 503, url
        assert "pemeriksa batas permintaan sedang tidak tersedia" in response.content.decode()
        assert response["Retry-After"]
    assert not mail.outbox
    assert not Notification.objects.filter(recipient=citizen).exists()
    # Logging in still works (axes keeps its records in the database).
    assert login(client, citizen.nik, PASSWORD, OWNER).status_code == 302


def test_log_lines_name_the_real_client_not_the_proxy(settings):
    import logging

    from django.http import HttpResponse
    from django.test import RequestFactory

    from binjai_portal.core.clientip import ClientAddressLogFilter, ClientAddressMiddleware

    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    records = []

    def view(request):
        record = logging.LogRecord("uji", logging.WARNING, __file__, 1, "x", None, None)
        ClientAddressLogFilter().filter(record)
        records.append(record.client_ip)
        return HttpResponse()

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=ATTACKER)
    ClientAddressMiddleware(view)(request)
    assert records == [ATTACKER]
    assert "%(client_ip)s" in settings.LOGGING["formatters"]["plain"]["format"]
