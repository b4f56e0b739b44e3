"""No duration figure of any registered app is ever negative (issue 14: "Rata-rata tunggu
-86,4 menit" marked as target met, on the dashboard, the wallboard and the open-data CSV).

The figures, the wallboard's figures and the open datasets are computed from every app's
metrics.py over data whose timestamps are out of order the way real data gets: a late
arrival requeued after their first call, a queue stamped in the future by the demo seed and
called earlier by an officer, a transfer undone.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone, translation

from binjai_portal.core import kpi
from dokter import services as dokter
from dokter.demo import DEMO_SPAN, DEMO_STEPS, _demo_morning
from tests.dokter.factories import FacilityFactory, PoliFactory, every_day

# Units (in Indonesian) that make a figure a duration, and the open-data column suffixes.
DURATION_UNITS = {"detik", "menit", "jam", "hari", "hari kerja"}
DURATION_COLUMNS = ("(detik)", "(menit)", "(jam)", "(hari", "(hari kerja)")

DAY = datetime.date(2026, 2, 10)  # a working Tuesday


def at(hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(DAY, datetime.time(hour, minute)))


@pytest.fixture
def out_of_order_queue(regions, clinic_clerk):
    from binjai_portal.accounts.models import Unit

    facility = FacilityFactory(unit=Unit.objects.get(code="puskesmas-demo-kota"))
    poli = PoliFactory(facility=facility, code="umum", letter="A")
    lab = PoliFactory(facility=facility, code="lab", letter="L", bookable_online=False)
    every_day(poli, start=datetime.time(6, 0), end=datetime.time(14, 0))
    every_day(lab, start=datetime.time(6, 0), end=datetime.time(14, 0))
    reg = {"staff": clinic_clerk, "poli": poli, "payment": "umum"}
    # The demo fault: entries checked in "at 08:00" by a seed run at 06:30...
    a = dokter.booking_register_onsite(**reg, patient_name="Pasien Uji A", now=at(8))
    b = dokter.booking_register_onsite(**reg, patient_name="Pasien Uji B", now=at(8))
    # ...called, served and finished by an officer at 06:34-06:40.
    dokter.queue_call_next(staff=clinic_clerk, poli=poli, now=at(6, 34))
    dokter.booking_start_service(staff=clinic_clerk, booking=a, now=at(6, 40))
    dokter.booking_finish(staff=clinic_clerk, booking=a, now=at(6, 35))
    # A late arrival: called, absent, requeued (a new check-in after the call).
    dokter.queue_call_next(staff=clinic_clerk, poli=poli, now=at(9))
    dokter.booking_mark_absent(staff=clinic_clerk, booking=b, now=at(9, 5))
    dokter.booking_requeue(staff=clinic_clerk, booking=b, now=at(10))
    return facility


def _duration_figures():
    with translation.override("id"):
        return {k for k, spec in kpi.registry.figures.items() if str(spec.unit) in DURATION_UNITS}


def test_the_registry_declares_duration_figures():
    found = _duration_figures()
    assert ("dokter", "avg_wait") in found and ("dokter", "avg_service") in found


@time_machine.travel(at(10, 30), tick=False)
def test_no_duration_figure_of_any_app_is_negative(out_of_order_queue):
    filters = kpi.Filters(kpi.Period(DAY, DAY))
    negative = []
    for app, key in sorted(_duration_figures()):
        value = kpi.registry.figures[(app, key)].compute(filters).value
        if value is not None and value < 0:
            negative.append(f"{app}.{key} = {value}")
    with translation.override("id"):
        for spec in kpi.registry.datasets.values():
            data = spec.compute(filters.period)
            for i, column in enumerate(data.columns):
                if any(str(column).endswith(s) or s in str(column) for s in DURATION_COLUMNS):
                    negative += [
                        f"dataset {spec.app}.{spec.key} {column} = {row[i]}"
                        for row in data.rows
                        if row[i] is not None and row[i] < 0
                    ]
        for spec in kpi.registry.alert_rules.values():
            for cause in spec.compute(DAY):
                assert " -" not in str(cause.title), str(cause.title)
    assert not negative, negative


def test_the_measured_spans_still_count(out_of_order_queue, clinic_clerk):
    """The guard drops out-of-order spans only: once B, requeued at 10:00, is called at
    10:12, B's wait of 12 minutes counts; A's spans (08:00 -> 06:34) never existed."""
    filters = kpi.Filters(kpi.Period(DAY, DAY))
    wait = kpi.registry.figures[("dokter", "avg_wait")]
    assert wait.compute(filters).value is None
    poli = out_of_order_queue.polis.get(code="umum")
    dokter.queue_call_next(staff=clinic_clerk, poli=poli, now=at(10, 12))
    assert wait.compute(filters).value == 12.0
    assert kpi.registry.figures[("dokter", "avg_service")].compute(filters).value is None


@pytest.mark.parametrize(
    ("now", "expect_today", "expect_live"),
    [
        ((6, 30), False, False),
        ((9, 0), False, False),
        ((9, 31), True, True),
        ((13, 0), True, False),
    ],
)
def test_demo_queue_morning_is_wholly_past(db, now, expect_today, expect_live):
    moment = at(*now)
    day, start, live = _demo_morning(moment)
    assert start + (DEMO_STEPS if live else DEMO_SPAN) <= moment
    assert (day == DAY) is expect_today
    assert live is expect_live
