import datetime

import pytest

from binjai_portal.core import kpi
from dokter import services
from dokter.demo import seed
from dokter.models import Booking, Facility

from .conftest import DAY, ON_DAY
from .test_views import book

S = Booking.Status


def test_figures_and_section(citizen, schedule, poli, clinic_clerk, make_citizen, on_day):
    a, b = book(citizen, schedule), book(make_citizen(), schedule)
    for x in (a, b):
        services.booking_check_in(staff=clinic_clerk, code=x.code, now=ON_DAY)
    later = ON_DAY + datetime.timedelta(minutes=12)
    services.queue_call_next(staff=clinic_clerk, poli=poli, now=later)
    services.booking_start_service(staff=clinic_clerk, booking=a, now=later)
    services.booking_finish(
        staff=clinic_clerk, booking=a, now=later + datetime.timedelta(minutes=6)
    )
    services.queue_call_next(staff=clinic_clerk, poli=poli, now=later)
    services.booking_mark_absent(staff=clinic_clerk, booking=b, now=later)
    filters = kpi.Filters(kpi.Period(DAY, DAY))
    figures = {f.key: f.value for f in kpi.registry.compute_figures(filters) if f.app == "dokter"}
    assert figures == {
        "bookings": 2,
        "served": 1,
        "avg_wait": 12.0,
        "avg_service": 6.0,
        "no_show": 50.0,
        "mobile_jkn": 0,
    }
    section = next(s for s in kpi.registry.compute_sections(filters) if s.app == "dokter")
    assert section.tables[0].rows == (("Puskesmas Demo Binjai Kota", "Poli Umum", 2, 2, 1, 1),)
    other = kpi.Filters(kpi.Period(DAY, DAY), agency="rsud-djoelham")
    assert {f.key: f.value for f in kpi.registry.compute_figures(other) if f.app == "dokter"}[
        "bookings"
    ] == 0


def _wib(day, hour, minute=0):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _seed_at(moment):
    import time_machine

    from binjai_portal.accounts.demo import seed as accounts_seed

    with time_machine.travel(moment, tick=False):
        accounts_seed(lambda line: None)
        seed(lambda line: None)


def test_demo_seed_is_idempotent_and_marked(regions):
    _seed_at(_wib(DAY, 9, 40))  # a working Tuesday, during the morning session
    counts = (Facility.objects.count(), Booking.objects.count())
    _seed_at(_wib(DAY, 9, 45))
    assert (Facility.objects.count(), Booking.objects.count()) == counts
    assert counts[0] == 6 and not Facility.objects.filter(is_demo=False).exists()
    states = set(Booking.objects.values_list("status", flat=True))
    assert {S.DONE, S.TRANSFERRED, S.ABSENT, S.SERVING, S.CALLED, S.CHECKED_IN} <= states


def _waits_in_minutes(now):
    """Minutes each patient still waiting has waited at `now` (check-in to now)."""
    waiting = Booking.objects.filter(status=S.CHECKED_IN, date=now.date())
    return [(now - b.checked_in_at).total_seconds() / 60 for b in waiting]


def test_a_demo_seeded_in_the_morning_session_is_a_believable_live_queue(regions):
    now = _wib(DAY, 10, 15)
    _seed_at(now)
    queue = Booking.objects.filter(date=DAY, poli__code="umum")
    assert queue.filter(status=S.CHECKED_IN).count() == 2
    waits = _waits_in_minutes(now)
    assert waits and max(waits) <= 65, waits  # not 305 or 947 minutes
    stamps = queue.values_list("checked_in_at", "called_at", "service_started_at", "finished_at")
    assert all(t is None or t <= now for row in stamps for t in row)


@pytest.mark.parametrize("hour", [6, 13, 23])
def test_a_demo_seeded_outside_the_session_shows_a_finished_past_morning(regions, hour):
    """At 06:00, 13:00 or 23:00 there is no live queue to show: the last morning whose
    session is over, every patient served or marked absent, nobody left waiting."""
    now = _wib(DAY, hour)
    _seed_at(now)
    morning = Booking.objects.filter(poli__code="umum", poli__facility__is_demo=True).exclude(
        complaint__contains="(demo)"
    )
    assert morning.exists() and all(b.date <= DAY for b in morning)
    assert not morning.filter(status__in=Booking.ACTIVE).exists()
    assert set(morning.values_list("status", flat=True)) <= {S.DONE, S.ABSENT, S.TRANSFERRED}
    assert _waits_in_minutes(now) == []
