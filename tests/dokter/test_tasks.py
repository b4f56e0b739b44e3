"""The reminder the day before, sent by a real Celery worker on Redis: once per booking
(core `once` keys), however often and however many workers run it; and the migration
that turned the booking's sent flags into those keys."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from binjai_portal.core.models import Notification, NotifiedOnce
from binjai_portal.core.once import once
from dokter import services
from dokter.models import Booking
from dokter.services.queue import _notify_near
from dokter.tasks import booking_remind_task
from tests.workers import real_worker_config

from .conftest import DAY
from .test_services import ON_DAY, book, make_other

WAIT = 30


@pytest.fixture(scope="session")
def celery_config():
    return real_worker_config("dokter")


@pytest.mark.django_db(transaction=True)
def test_a_worker_reminds_each_booking_once_however_often_it_runs(
    celery_app, celery_worker, citizen, schedule
):
    first, second = book(citizen, schedule), book(make_other(citizen), schedule)
    assert booking_remind_task.app is celery_app
    assert booking_remind_task.delay(DAY.isoformat()).get(timeout=WAIT) == 2
    # Two more runs at once, as two beats or two workers might: nothing more is sent.
    again = [booking_remind_task.delay(DAY.isoformat()) for _ in range(2)]
    assert [r.get(timeout=WAIT) for r in again] == [0, 0]
    assert set(NotifiedOnce.objects.values_list("key", flat=True)) >= {
        f"dokter.reminder:{first.pk}",
        f"dokter.reminder:{second.pk}",
    }
    for booking in (first, second):
        assert (
            Notification.objects.filter(
                recipient=booking.booked_by, title__startswith="Pengingat"
            ).count()
            == 1
        )


def test_a_booking_made_after_the_reminders_still_gets_its_own(db, citizen, schedule):
    book(citizen, schedule)
    assert services.booking_send_reminders(date=DAY) == 1
    late = book(make_other(citizen), schedule)
    assert services.booking_send_reminders(date=DAY) == 1
    assert Notification.objects.filter(
        recipient=late.booked_by, title__startswith="Pengingat"
    ).exists()


def test_the_near_message_goes_once_per_booking(db, citizen, schedule, clinic_clerk, poli):
    people = [citizen, *(make_other(citizen) for _ in range(5))]
    bookings = [book(p, schedule) for p in people]
    for b in bookings:
        services.booking_check_in(staff=clinic_clerk, code=b.code, now=ON_DAY)
    services.queue_call_next(staff=clinic_clerk, poli=poli, now=ON_DAY)
    near = bookings[4]  # ahead of A-5 once A-1 is called
    assert NotifiedOnce.objects.filter(key=f"dokter.near:{near.pk}").exists()
    # Whatever makes the queue look at its near entry again, it is not told twice.
    _notify_near(poli=poli, date=DAY)
    _notify_near(poli=poli, date=DAY)
    told = Notification.objects.filter(recipient=near.booked_by, title__contains="tinggal 3")
    assert told.count() == 1


def _flags() -> dict[int, tuple[bool, bool]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, reminded, notified_near FROM dokter_booking ORDER BY id")
        return {pk: (reminded, near) for pk, reminded, near in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_the_sent_flags_become_once_keys_and_back(citizen, schedule):
    reminded, near, neither = (book(make_other(citizen), schedule) for _ in range(3))
    assert once(f"dokter.reminder:{reminded.pk}") and once(f"dokter.near:{near.pk}")
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("dokter", "0008_poli_english_name")])
        assert _flags() == {
            reminded.pk: (True, False),
            near.pk: (False, True),
            neither.pk: (False, False),
        }
        NotifiedOnce.objects.filter(key__startswith="dokter.").delete()
        with connection.cursor() as cursor:  # sent under the old code, with the flags
            cursor.execute("UPDATE dokter_booking SET reminded = true WHERE id = %s", [neither.pk])
        executor = MigrationExecutor(connection)
        executor.migrate([("dokter", "0009_reminders_as_core_once")])
        assert set(
            NotifiedOnce.objects.filter(key__startswith="dokter.").values_list("key", flat=True)
        ) == {
            f"dokter.reminder:{reminded.pk}",
            f"dokter.near:{near.pk}",
            f"dokter.reminder:{neither.pk}",
        }
        # Nobody is reminded again: every booking of the day was reminded before.
        assert services.booking_send_reminders(date=DAY) == 1  # `near` only
    finally:
        # Forward to the newest migration again, whatever happened: later tests need it.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes("dokter"))
    assert Booking.objects.count() == 3
