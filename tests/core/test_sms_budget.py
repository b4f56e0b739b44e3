"""SMS only to verified numbers, within budgets, and never when the budget is unknown."""

import pytest
from django.urls import reverse
from django.utils import timezone

from binjai_portal.core.models import Delivery
from binjai_portal.core.notifications import EMAIL, SMS, delivery_send, notify
from binjai_portal.core.sms import LogSmsBackend

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


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


def sms_of(notification) -> Delivery:
    return notification.deliveries.get(channel=SMS)


def test_unverified_number_keeps_the_message_in_the_inbox(db, citizen, sms_log):
    notification = notify(recipient=citizen, title="Izin terbit", channels=(EMAIL, SMS))

    sms = sms_of(notification)
    assert (sms.status, sms.skip_reason) == ("skipped", "unverified")
    assert delivery_send(delivery_id=sms.pk) == "skipped"
    assert sms_log == []
    assert notification.deliveries.get(channel=EMAIL).status == "pending"


def test_per_number_budget(db, verified, sms_log, settings):
    settings.SMS_BUDGET_PER_NUMBER = 2
    deliveries = [
        sms_of(notify(recipient=verified, title=f"Pesan {i}", channels=(SMS,))) for i in range(4)
    ]

    assert [(d.status, d.skip_reason) for d in deliveries] == [
        ("pending", ""),
        ("pending", ""),
        ("skipped", "budget_address"),
        ("skipped", "budget_address"),
    ]
    for d in deliveries:
        delivery_send(delivery_id=d.pk)
    assert len(sms_log) == 2


def test_a_new_window_has_a_new_budget(db, verified, sms_log, settings, monkeypatch):
    settings.SMS_BUDGET_PER_NUMBER = 1
    clock = [1_000_000.0]
    monkeypatch.setattr("binjai_portal.core.budget.time.time", lambda: clock[0])
    first = sms_of(notify(recipient=verified, title="Satu", channels=(SMS,)))
    second = sms_of(notify(recipient=verified, title="Dua", channels=(SMS,)))
    clock[0] += settings.SMS_BUDGET_WINDOW_SECONDS
    third = sms_of(notify(recipient=verified, title="Tiga", channels=(SMS,)))
    assert [first.status, second.status, third.status] == ["pending", "skipped", "pending"]


def test_counter_store_down_fails_closed_for_sms_only(db, verified, sms_log, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }

    notification = notify(recipient=verified, title="Jadwal", channels=(EMAIL, SMS))

    sms = sms_of(notification)
    assert (sms.status, sms.skip_reason) == ("skipped", "budget_unavailable")
    assert notification.deliveries.get(channel=EMAIL).status == "pending"
    assert sms_log == []


def test_skipped_deliveries_are_listed_in_the_admin_with_their_reason(
    client, citizen, make_citizen, sms_log
):
    admin = make_citizen()
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    notify(recipient=citizen, title="Izin terbit", channels=(SMS,))
    client.force_login(admin)
    page = client.get(
        reverse("admin:core_delivery_changelist"), {"status__exact": "skipped"}
    ).content.decode()
    assert "Nomor HP belum terverifikasi" in page
