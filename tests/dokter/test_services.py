import datetime
import importlib

import pytest
from django.http import Http404
from django.utils import timezone

from binjai_portal.accounts.models import Dependant
from binjai_portal.core.models import Notification, StatusChange
from dokter import services
from dokter.models import Booking, FacilityClosure, QuotaCounter
from dokter.services import BookingRefused

from .conftest import DAY, NOW

S = Booking.Status
ON_DAY = NOW + datetime.timedelta(days=1, hours=1)  # Tuesday 08:00


def book(actor, schedule, patient=None, now=NOW, date=DAY, **kw):
    kw.setdefault("payment", Booking.Payment.GENERAL)
    return services.booking_create(
        actor=actor, schedule=schedule, date=date, patient=patient or actor, now=now, **kw
    )


def refused(expected, fn, *args, **kwargs):
    with pytest.raises(BookingRefused) as exc:
        fn(*args, **kwargs)
    assert exc.value.code == expected, exc.value.messages
    assert exc.value.messages[0]
    return exc.value


def test_booking_gets_code_number_estimate_and_notification(citizen, schedule):
    b = book(citizen, schedule, complaint="Demam tiga hari")
    assert (b.queue_number, b.number, b.status) == ("A-1", 1, S.BOOKED)
    assert len(b.code) == 10 and b.code.isalnum()
    assert b.estimated_at == NOW.replace(day=10, hour=8)
    b2 = book(make_other(citizen), schedule)
    assert b2.queue_number == "A-2"
    assert b2.estimated_at == b.estimated_at + datetime.timedelta(minutes=10)
    n = Notification.objects.get(recipient=citizen)
    assert "A-1" in n.title and b.code in n.body and citizen.nik not in n.body + n.title
    assert StatusChange.objects.filter(object_id=str(b.pk), to_state=S.BOOKED).exists()


def make_other(citizen):
    from tests.accounts.factories import UserFactory

    return UserFactory()


def test_onsite_registration_shares_the_numbering(citizen, schedule, clinic_clerk, poli):
    book(citizen, schedule)
    walk_in = services.booking_register_onsite(
        staff=clinic_clerk, poli=poli, patient_name="Pak Amat", payment="umum", now=ON_DAY
    )
    assert (walk_in.queue_number, walk_in.status) == ("A-2", S.CHECKED_IN)
    assert book(make_other(citizen), schedule, now=ON_DAY).queue_number == "A-3"


def test_one_active_booking_per_patient_per_poli_per_day(citizen, schedule):
    first = book(citizen, schedule)
    refused("duplicate", book, citizen, schedule)
    assert Booking.objects.count() == 1
    services.booking_cancel(actor=citizen, booking=first, now=NOW)
    again = book(citizen, schedule)
    assert again.number == 2  # numbers are never reused


def test_dependant_booking_and_a_stranger_refused(citizen, schedule, make_citizen):
    child = Dependant.objects.create(
        guardian=citizen,
        nik="1275024101150001",
        full_name="Anak Siti",
        birth_date=datetime.date(2015, 1, 1),
        sex="P",
        relation="anak",
    )
    b = book(citizen, schedule, patient=child)
    assert (b.patient_dependant, b.patient_name, b.booked_by) == (child, "Anak Siti", citizen)
    # The mother herself may book too: another patient.
    assert book(citizen, schedule).number == 2
    stranger = make_citizen()
    refused("patient", book, stranger, schedule, patient=child)
    refused("patient", book, stranger, schedule, patient=citizen)


def test_quota_full_then_cancellation_frees_a_place(citizen, schedule):
    schedule.online_quota = 2
    schedule.save()
    a, b = book(citizen, schedule), book(make_other(citizen), schedule)
    third = make_other(citizen)
    err = refused("full", book, third, schedule)
    assert "penuh" in err.messages[0]
    services.booking_cancel(actor=citizen, booking=a, now=NOW)
    assert book(third, schedule).number == 3
    assert b.number == 2


def test_cutoff_closes_booking_and_cancellation(citizen, schedule):
    b = book(citizen, schedule)
    late = NOW + datetime.timedelta(days=1, hours=4)  # Tuesday 11:00, session ends 12:00
    refused("cutoff", book, make_other(citizen), schedule, now=late)
    refused("cutoff", services.booking_cancel, actor=citizen, booking=b, now=late)
    b.refresh_from_db()
    assert b.status == S.BOOKED


@pytest.mark.parametrize("days", [-2, 8])
def test_date_outside_the_window_refused(citizen, schedules, days):
    date = DAY + datetime.timedelta(days=days)
    refused("date", book, citizen, schedules[date.weekday()], date=date)


def test_wrong_weekday_holiday_and_closure_refused(citizen, schedules, facility):
    refused("date", book, citizen, schedules[0], date=DAY)
    holiday = datetime.date(2026, 2, 17)  # Tahun Baru Imlek
    refused(
        "closed",
        book,
        citizen,
        schedules[holiday.weekday()],
        date=holiday,
        now=NOW + datetime.timedelta(days=7),
    )
    FacilityClosure.objects.create(facility=facility, date=DAY, reason="Fogging gedung")
    err = refused("closed", book, citizen, schedules[DAY.weekday()])
    assert "Fogging" in err.messages[0]


def test_bpjs_needs_a_card_number(citizen, schedule):
    refused("bpjs", book, citizen, schedule, payment="bpjs")
    b = book(citizen, schedule, payment="bpjs", bpjs_number="0001234567890")
    assert b.bpjs_number == "0001234567890"


def test_stranger_cannot_cancel(citizen, schedule, make_citizen):
    b = book(citizen, schedule)
    with pytest.raises(Http404):
        services.booking_cancel(actor=make_citizen(), booking=b, now=NOW)


@pytest.fixture
def day_queue(citizen, schedule, clinic_clerk):
    """Three online bookings, all checked in on the day."""
    people = [citizen, make_other(citizen), make_other(citizen)]
    bookings = [book(p, schedule) for p in people]
    for b in bookings:
        services.booking_check_in(staff=clinic_clerk, code=b.code.lower(), now=ON_DAY)
    return bookings


def test_call_next_order_with_priority_absent_requeue_and_transfer(
    day_queue, clinic_clerk, poli, lab, citizen
):
    a1, a2, a3 = day_queue
    walk_in = services.booking_register_onsite(
        staff=clinic_clerk,
        poli=poli,
        patient_name="Nenek Ijah",
        payment="umum",
        priority="lansia",
        priority_note="Usia 80 tahun",
        now=ON_DAY,
    )
    call = lambda: services.queue_call_next(staff=clinic_clerk, poli=poli, now=ON_DAY)  # noqa: E731
    assert call() == walk_in  # priority first, although A-4
    services.booking_start_service(staff=clinic_clerk, booking=walk_in, now=ON_DAY)
    first = call()
    assert first == a1
    services.booking_mark_absent(staff=clinic_clerk, booking=a1, now=ON_DAY)
    assert call() == a2
    services.booking_start_service(staff=clinic_clerk, booking=a2, now=ON_DAY)
    new = services.booking_transfer(staff=clinic_clerk, booking=a2, to_poli=lab, now=ON_DAY)
    assert (new.queue_number, new.status, new.transferred_from) == ("L-1", S.CHECKED_IN, a2)
    a2.refresh_from_db()
    assert a2.status == S.TRANSFERRED and a2.finished_at
    services.booking_transfer_undo(staff=clinic_clerk, booking=a2, now=ON_DAY)
    a2.refresh_from_db()
    new.refresh_from_db()
    assert (a2.status, new.status) == (S.SERVING, S.CANCELLED)
    new = services.booking_transfer(staff=clinic_clerk, booking=a2, to_poli=lab, now=ON_DAY)
    assert new.queue_number == "L-2"
    assert services.queue_call_next(staff=clinic_clerk, poli=lab, now=ON_DAY) == new
    services.booking_requeue(staff=clinic_clerk, booking=a1, now=ON_DAY)  # came late
    assert call() == a1
    services.booking_recall(staff=clinic_clerk, booking=a1, now=ON_DAY)
    a1.refresh_from_db()
    assert a1.call_count == 3  # called, called again after requeue, recalled
    services.booking_start_service(staff=clinic_clerk, booking=a1, now=ON_DAY)
    assert call() == a3
    services.booking_mark_absent(staff=clinic_clerk, booking=a3, now=ON_DAY)
    assert call() is None
    actions = list(
        StatusChange.objects.filter(object_id=str(a1.pk), workflow="dokter.booking").values_list(
            "action", "actor_id"
        )
    )
    assert [a for a, _ in actions] == [
        "create",
        "check_in",
        "call",
        "mark_absent",
        "requeue",
        "call",
        "recall",
        "start",
    ]
    assert all(actor == clinic_clerk.pk for a, actor in actions[1:])


def test_called_and_near_notifications(day_queue, clinic_clerk, poli, citizen, schedule):
    more = [book(make_other(citizen), schedule) for _ in range(2)]
    for b in more:
        services.booking_check_in(staff=clinic_clerk, code=b.code, now=ON_DAY)
    services.queue_call_next(staff=clinic_clerk, poli=poli, now=ON_DAY)
    assert Notification.objects.filter(recipient=citizen, title__contains="dipanggil").exists()
    # A-5 now has ahead: told to come.
    assert (
        Notification.objects.filter(
            recipient=more[1].booked_by, title__contains="tinggal 3"
        ).count()
        == 1
    )
    services.booking_start_service(staff=clinic_clerk, booking=day_queue[0], now=ON_DAY)
    services.queue_call_next(staff=clinic_clerk, poli=poli, now=ON_DAY)
    assert (
        Notification.objects.filter(
            recipient=more[1].booked_by, title__contains="tinggal 3"
        ).count()
        == 1
    )


def test_staff_of_another_facility_cannot_act(day_queue, make_staff, poli, other_facility):
    outsider = make_staff("petugas_puskesmas", "puskesmas-demo-utara")
    with pytest.raises(Http404):
        services.queue_call_next(staff=outsider, poli=poli, now=ON_DAY)
    with pytest.raises(Http404):
        services.booking_mark_absent(staff=outsider, booking=day_queue[0], now=ON_DAY)
    refused("code", services.booking_check_in, staff=outsider, code=day_queue[0].code, now=ON_DAY)
    with pytest.raises(Http404):
        services.booking_register_onsite(
            staff=outsider, poli=poli, patient_name="X", payment="umum", now=ON_DAY
        )
    assert not Booking.objects.exclude(status=S.CHECKED_IN).exists()


def test_check_in_on_the_wrong_day_and_priority_without_reason(citizen, schedule, clinic_clerk):
    b = book(citizen, schedule)
    refused("date", services.booking_check_in, staff=clinic_clerk, code=b.code, now=NOW)
    refused(
        "priority",
        services.booking_check_in,
        staff=clinic_clerk,
        code=b.code,
        priority="hamil",
        now=ON_DAY,
    )
    refused("undeclared", services.booking_finish, staff=clinic_clerk, booking=b, now=ON_DAY)
    b.refresh_from_db()
    assert b.status == S.BOOKED


def test_close_day_marks_open_entries(day_queue, clinic_clerk, poli, citizen, schedule):
    services.queue_call_next(staff=clinic_clerk, poli=poli, now=ON_DAY)
    services.booking_start_service(staff=clinic_clerk, booking=day_queue[0], now=ON_DAY)
    assert services.queue_close_day(date=DAY) == 3
    statuses = dict(Booking.objects.values_list("number", "status"))
    assert statuses == {1: S.DONE, 2: S.ABSENT, 3: S.ABSENT}
    assert services.queue_close_day(date=DAY) == 0


def test_reminder_once(citizen, schedule):
    book(citizen, schedule)
    assert services.booking_send_reminders(date=DAY) == 1
    assert services.booking_send_reminders(date=DAY) == 0
    assert Notification.objects.filter(title__startswith="Pengingat").count() == 1


# ---------------------------------------------------------------- the 07:00 rush


def _counter_statements(queries):
    return [
        q["sql"]
        for q in queries
        if "dokter_queuecounter" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "WITH", "SELECT"))
    ]


def test_booking_locks_the_counter_in_one_statement(
    citizen, schedule, django_assert_max_num_queries
):
    """The rows every citizen of the poli queues on are held for one statement: no
    SELECT ... FOR UPDATE, no full_clean() query, no history or notification under it."""
    book(make_other(citizen), schedule)  # the day's counters exist, as after 07:00:00
    # 11 statements, plus 6 SAVEPOINT/RELEASE because the test runs inside a transaction
    with django_assert_max_num_queries(17) as ctx:
        booking = book(citizen, schedule)
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert not [s for s in sqls if "FOR UPDATE" in s.upper()]
    (locking,) = _counter_statements(ctx.captured_queries)
    assert "dokter_quotacounter" in locking and 'INSERT INTO "dokter_booking"' in locking
    after = sqls[sqls.index(locking) + 1 :]
    assert any("core_statuschange" in s for s in after)
    assert any("core_notification" in s for s in after)
    assert booking.number == 2 and booking.pk
    assert Booking.objects.get(pk=booking.pk).estimated_at == booking.estimated_at
    assert StatusChange.objects.filter(object_id=str(booking.pk), action="create").exists()


def test_refusal_of_a_full_session_reads_and_never_locks(
    citizen, schedule, django_assert_max_num_queries
):
    schedule.online_quota = 1
    schedule.save()
    book(citizen, schedule)
    other = make_other(citizen)
    with django_assert_max_num_queries(3) as ctx:  # the poli, the family, the quota
        refused("full", book, other, schedule)
    assert not _counter_statements(ctx.captured_queries)
    assert not [
        q
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "WITH"))
    ]


def test_estimate_counts_only_those_still_waiting(citizen, schedule, clinic_clerk):
    """The estimate is computed without a count under the lock: numbers below the new
    one, less the entries that no longer wait (here a cancelled one)."""
    first = book(citizen, schedule)
    services.booking_cancel(actor=citizen, booking=first, now=NOW)
    second = book(make_other(citizen), schedule)
    third = book(make_other(citizen), schedule)
    start = timezone.make_aware(datetime.datetime.combine(DAY, schedule.start))
    minutes = schedule.poli.avg_service_minutes
    assert (second.number, third.number) == (2, 3)
    assert second.estimated_at == start
    assert third.estimated_at == start + datetime.timedelta(minutes=minutes)


def test_quota_counters_start_from_the_existing_entries(citizen, schedule):
    """The migration's backfill: places taken = entries of the session not cancelled."""
    from django.apps import apps

    migration = importlib.import_module("dokter.migrations.0003_quota_counter")
    a, b = book(citizen, schedule), book(make_other(citizen), schedule)
    services.booking_cancel(actor=citizen, booking=a, now=NOW)
    QuotaCounter.objects.all().delete()
    migration.count_taken_places(apps, None)
    counter = QuotaCounter.objects.get(schedule=schedule, date=DAY)
    assert (counter.online_taken, counter.onsite_taken) == (1, 0)
    assert b.number == 2


def test_no_place_is_taken_without_a_number(citizen, schedule):
    """The quota row without the poli's counter row (never made by the services): the
    booking creates the counter and goes through, and takes exactly one place."""
    QuotaCounter.objects.create(schedule=schedule, date=DAY)
    booking = book(citizen, schedule)
    assert booking.number == 1
    assert QuotaCounter.objects.get(schedule=schedule, date=DAY).online_taken == 1
