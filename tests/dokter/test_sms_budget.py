"""SMS bombing through e-Dokter: booking and cancelling in a loop.

Each booking notifies by e-mail and SMS. The number, the account and the client address
each have an SMS budget (checked in binjai_portal.core where deliveries are written):
past it, the notice stays in the in-app inbox and the SMS is recorded as skipped.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from binjai_portal.core.models import Delivery, Notification
from binjai_portal.core.notifications import delivery_send
from binjai_portal.core.sms import LogSmsBackend
from dokter.models import Booking

from .conftest import DAY

LOOPS = 8


@pytest.fixture
def sms_log(settings, monkeypatch):
    settings.SMS_BACKEND = "binjai_portal.core.sms.LogSmsBackend"
    monkeypatch.setattr(LogSmsBackend, "sent", [])
    return LogSmsBackend.sent


def book_and_cancel(client, user, facility, poli, schedule, times, **extra):
    url = reverse("dokter:booking-create", args=[facility.code, poli.code])
    session = f"{DAY.isoformat()}_{schedule.pk}"
    for _ in range(times):
        r = client.post(
            url, {"patient": f"u{user.pk}", "session": session, "payment": "umum"}, **extra
        )
        assert r.status_code == 302, r.content.decode()[:500]
        booking = Booking.objects.filter(booked_by=user).latest("pk")
        r = client.post(reverse("dokter:ticket-cancel", args=[booking.code]), **extra)
        assert r.status_code == 302


def send_all_pending():
    for pk in Delivery.objects.filter(status=Delivery.Status.PENDING).values_list("pk", flat=True):
        delivery_send(delivery_id=pk)


def sms_status(user):
    rows = Delivery.objects.filter(recipient=user, channel="sms")
    return sorted(rows.values_list("status", "skip_reason"))


def test_book_cancel_loop_sends_at_most_the_budget_the_rest_stays_in_the_inbox(
    client, citizen, facility, poli, schedule, day_before, sms_log, settings
):
    settings.SMS_BUDGET_PER_NUMBER = 3
    citizen.phone_verified_at = timezone.now()
    citizen.save(update_fields=["phone_verified_at"])
    client.force_login(citizen)

    book_and_cancel(client, citizen, facility, poli, schedule, LOOPS)
    send_all_pending()

    assert len(sms_log) == 3
    assert {m["to"] for m in sms_log} == {citizen.phone}
    assert sms_status(citizen) == (
        [("sent", "")] * 3 + [("skipped", "budget_address")] * (LOOPS - 3)
    )
    # Every notice is in the inbox, and every e-mail went out.
    assert Notification.objects.filter(recipient=citizen).count() == LOOPS
    assert (
        Delivery.objects.filter(recipient=citizen, channel="email", status="sent").count() == LOOPS
    )


def test_an_unverified_number_gets_no_sms(
    client, citizen, facility, poli, schedule, day_before, sms_log
):
    assert citizen.phone_verified_at is None  # as registered: anyone can type any number
    client.force_login(citizen)

    book_and_cancel(client, citizen, facility, poli, schedule, 2)
    send_all_pending()

    assert sms_log == []
    assert sms_status(citizen) == [("skipped", "unverified")] * 2
    assert Notification.objects.filter(recipient=citizen).count() == 2


def test_one_client_address_has_a_budget_across_accounts(
    client, make_citizen, facility, poli, schedule, day_before, sms_log, settings
):
    settings.SMS_BUDGET_PER_CLIENT = 4
    users = [make_citizen() for _ in range(3)]
    for user in users:
        user.phone_verified_at = timezone.now()
        user.save(update_fields=["phone_verified_at"])
        client.force_login(user)
        book_and_cancel(client, user, facility, poli, schedule, 2, REMOTE_ADDR="203.0.113.9")
    send_all_pending()

    assert len(sms_log) == 4
    assert [r for u in users for r in sms_status(u)].count(("skipped", "budget_client")) == 2
