"""Many citizens booking the same poli and day in the same second, on PostgreSQL."""

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from dokter import services
from dokter.models import Booking
from dokter.services import BookingRefused
from tests.accounts.factories import UserFactory

from .conftest import DAY, NOW

pytestmark = pytest.mark.django_db(transaction=True)


def run_threads(n, target):
    barrier = threading.Barrier(n)
    results = [None] * n

    def worker(i):
        try:
            barrier.wait()
            results[i] = ("ok", target(i))
        except BookingRefused as exc:
            results[i] = (exc.code, exc.messages[0])
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[i] = ("error", repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_fifty_threads_twenty_places(schedule):
    assert connection.vendor == "postgresql"
    schedule.online_quota = 20
    schedule.save()
    people = [UserFactory() for _ in range(50)]
    results = run_threads(50, lambda i: services.booking_create(
        actor=people[i], schedule=schedule, date=DAY, patient=people[i], payment="umum",
        now=NOW).number)

    kinds = Counter(kind for kind, _ in results)
    assert kinds == {"ok": 20, "full": 30}, results
    assert sorted(n for kind, n in results if kind == "ok") == list(range(1, 21))
    assert all("penuh" in msg for kind, msg in results if kind == "full")
    numbers = list(Booking.objects.filter(poli=schedule.poli, date=DAY)
                   .values_list("number", flat=True))
    assert sorted(numbers) == list(range(1, 21))


def test_one_patient_twenty_times_at_once_gets_one_place(schedule, citizen):
    results = run_threads(20, lambda i: services.booking_create(
        actor=citizen, schedule=schedule, date=DAY, patient=citizen, payment="umum",
        now=NOW).number)
    assert Counter(kind for kind, _ in results) == {"ok": 1, "duplicate": 19}, results
    assert Booking.objects.filter(patient_user=citizen).count() == 1
