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
    results = run_threads(
        50,
        lambda i: (
            services.booking_create(
                actor=people[i],
                schedule=schedule,
                date=DAY,
                patient=people[i],
                payment="umum",
                now=NOW,
            ).number
        ),
    )

    kinds = Counter(kind for kind, _ in results)
    assert kinds == {"ok": 20, "full": 30}, results
    assert sorted(n for kind, n in results if kind == "ok") == list(range(1, 21))
    assert all("penuh" in msg for kind, msg in results if kind == "full")
    numbers = list(
        Booking.objects.filter(poli=schedule.poli, date=DAY).values_list("number", flat=True)
    )
    assert sorted(numbers) == list(range(1, 21))


def test_one_patient_twenty_times_at_once_gets_one_place(schedule, citizen):
    results = run_threads(
        20,
        lambda i: (
            services.booking_create(
                actor=citizen, schedule=schedule, date=DAY, patient=citizen, payment="umum", now=NOW
            ).number
        ),
    )
    assert Counter(kind for kind, _ in results) == {"ok": 1, "duplicate": 19}, results
    assert Booking.objects.filter(patient_user=citizen).count() == 1


def _hold_counters(poli, schedule):
    """Another connection that holds the poli's counter rows locked, as a booking mid-way."""
    import psycopg

    params = connection.get_connection_params()
    other = psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})
    other.execute("SET lock_timeout = '3s'")  # a test that fails, not one that hangs
    other.execute("SELECT 1 FROM dokter_queuecounter WHERE poli_id = %s FOR UPDATE", [poli.pk])
    other.execute(
        "SELECT 1 FROM dokter_quotacounter WHERE schedule_id = %s FOR UPDATE", [schedule.pk]
    )
    return other


def test_a_full_session_is_refused_while_the_counter_is_locked(schedule, citizen):
    """A refusal costs no lock: it neither waits for nor takes the counter rows."""
    schedule.online_quota = 1
    schedule.save()
    services.booking_create(
        actor=citizen, schedule=schedule, date=DAY, patient=citizen, payment="umum", now=NOW
    )
    other = _hold_counters(schedule.poli, schedule)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        late = UserFactory()
        with pytest.raises(BookingRefused) as exc:
            services.booking_create(
                actor=late, schedule=schedule, date=DAY, patient=late, payment="umum", now=NOW
            )
        assert exc.value.code == "full"
    finally:
        other.rollback()
        other.close()


def test_the_booking_commits_before_its_history(schedule, citizen):
    """Outside a transaction the numbered entry is committed by its own statement, so the
    rows are free while history and notifications are written; both are there after."""
    from binjai_portal.core.models import Notification, StatusChange

    other_user = UserFactory()
    services.booking_create(
        actor=other_user, schedule=schedule, date=DAY, patient=other_user, payment="umum", now=NOW
    )
    seen = {}
    from dokter.services import booking as module

    original = module.workflow_started

    def log_and_look(booking, **kwargs):
        other = _hold_counters(schedule.poli, schedule)  # would block if still held
        other.close()
        seen["ok"] = True
        return original(booking, **kwargs)

    module.workflow_started = log_and_look
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        booking = services.booking_create(
            actor=citizen, schedule=schedule, date=DAY, patient=citizen, payment="umum", now=NOW
        )
    finally:
        module.workflow_started = original
    assert seen == {"ok": True}
    assert StatusChange.objects.filter(object_id=str(booking.pk), action="create").exists()
    assert Notification.objects.filter(recipient=citizen).exists()


def _statements(run):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        outcome = run()
    return outcome, [q["sql"] for q in ctx.captured_queries]


def _touches_counters(sql: str) -> bool:
    return "dokter_queuecounter" in sql or "dokter_quotacounter" in sql


def test_the_counter_rows_are_held_by_one_statement(schedule, citizen):
    """The counter rows (quota and number) are locked by ONE statement of its own
    transaction, the numbered insert: no other statement runs while they are held, and
    the reads before it (one statement: quota, closures, the poli's day, this patient)
    take no lock."""
    other = UserFactory()
    services.booking_create(  # the day's counters exist: the steady state of the rush
        actor=other, schedule=schedule, date=DAY, patient=other, payment="umum", now=NOW
    )
    booking, sqls = _statements(
        lambda: services.booking_create(
            actor=citizen, schedule=schedule, date=DAY, patient=citizen, payment="umum", now=NOW
        )
    )
    assert booking.number == 2
    locking = [i for i, q in enumerate(sqls) if _touches_counters(q) and "UPDATE" in q]
    assert len(locking) == 1, sqls
    lock = locking[0]
    assert sqls[lock].startswith("WITH q AS (UPDATE") and "INSERT INTO" in sqls[lock]
    before = sqls[:lock]
    # No transaction open when it runs: its own commit releases the rows at once.
    assert before.count("BEGIN") == before.count("COMMIT"), sqls
    # Before the lock: one read of the booking's facts, nothing written, nothing locked.
    dokter_reads = [q for q in before if "dokter_" in q]
    assert len(dokter_reads) == 1 and dokter_reads[0].startswith("SELECT"), dokter_reads
    assert not [q for q in before if "FOR UPDATE" in q or q.startswith(("UPDATE", "INSERT"))]
    # After it, nothing touches the counters again (history and notifications only).
    assert not [q for q in sqls[lock + 1 :] if _touches_counters(q)], sqls


def test_a_refusal_of_a_full_session_is_one_read_and_no_lock(schedule, citizen):
    """Refused by the counter (no cache flag yet): one statement, a plain SELECT."""
    from django.core.cache import cache

    schedule.online_quota = 1
    schedule.save()
    services.booking_create(
        actor=citizen, schedule=schedule, date=DAY, patient=citizen, payment="umum", now=NOW
    )
    cache.clear()
    late = UserFactory()

    def refused():
        with pytest.raises(BookingRefused) as exc:
            services.booking_create(
                actor=late, schedule=schedule, date=DAY, patient=late, payment="umum", now=NOW
            )
        return exc.value

    exc, sqls = _statements(refused)
    assert exc.code == "full" and "penuh" in exc.messages[0]
    assert len(sqls) == 1 and sqls[0].startswith("SELECT"), sqls
    assert "FOR UPDATE" not in sqls[0]
