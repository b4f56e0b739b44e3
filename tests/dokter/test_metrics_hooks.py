"""e-Dokter's command center hooks: the long-wait alert, the live queue panel and the
open dataset, computed from queues run through the services."""

import datetime

import pytest
import time_machine

from binjai_portal.core import kpi
from dokter import services

from .conftest import DAY, ON_DAY
from .factories import PoliFactory, every_day
from .test_views import book

pytestmark = pytest.mark.django_db

MIN = datetime.timedelta(minutes=1)


@pytest.fixture
def dental(facility):
    poli = PoliFactory(facility=facility, name="Poli Gigi", code="gigi", letter="G")
    every_day(poli)
    return poli


@pytest.fixture
def queues(citizen, make_citizen, schedule, poli, dental, clinic_clerk):
    """At 08:50 on DAY: Poli Umum called one patient after 40 minutes and has another
    waiting for 50; Poli Gigi called its patient after 10 minutes."""
    traveller = time_machine.travel(ON_DAY + 50 * MIN, tick=False)
    traveller.start()
    a, b = book(citizen, schedule), book(make_citizen(full_name="Joko Pasien"), schedule)
    g = book(make_citizen(full_name="Rina Pasien"), dental.schedules.get(weekday=DAY.weekday()))
    for x in (a, b, g):
        services.booking_check_in(staff=clinic_clerk, code=x.code, now=ON_DAY)
    services.queue_call_next(staff=clinic_clerk, poli=poli, now=ON_DAY + 40 * MIN)
    services.queue_call_next(staff=clinic_clerk, poli=dental, now=ON_DAY + 10 * MIN)
    yield a, b, g
    traveller.stop()


def _rule():
    return kpi.registry.alert_rules[("dokter", "wait")].compute


def test_a_poli_waiting_over_30_minutes_raises_one_stable_cause(queues, citizen):
    causes = list(_rule()(DAY))

    assert [c.key for c in causes] == ["dokter:wait:puskesmas-demo-kota:umum:2026-02-10"]
    assert [c.key for c in _rule()(DAY)] == [c.key for c in causes]
    (cause,) = causes
    assert str(cause.title) == (
        "Antrean lama di Poli Umum, Puskesmas Demo Binjai Kota: rata-rata 45 menit"
    )  # 40 (called) and 50 (still waiting)
    assert "Masih menunggu: 1 pasien" in str(cause.body)
    assert cause.unit_codes == ("puskesmas-demo-kota",)
    assert cause.url == "/dokter/petugas/umum/"
    assert cause.severity == "warning"
    text = " ".join((str(cause.title), str(cause.body), cause.url))
    for personal in (
        citizen.full_name,
        "Joko",
        citizen.nik,
        citizen.phone,
        *(b.code for b in queues),
    ):
        assert personal not in text


def test_a_past_day_counts_the_called_patients_only(queues):
    with time_machine.travel(ON_DAY + datetime.timedelta(days=1), tick=False):
        (cause,) = _rule()(DAY)
    assert "rata-rata 40 menit" in str(cause.title)
    assert cause.key == "dokter:wait:puskesmas-demo-kota:umum:2026-02-10"


def test_danger_above_an_hour_and_nothing_under_the_limit(queues):
    with time_machine.travel(ON_DAY + 120 * MIN, tick=False):
        (cause,) = _rule()(DAY)  # (40 + 120) / 2 = 80 minutes
        assert not list(_rule()(DAY + datetime.timedelta(days=1)))
    assert cause.severity == "danger"


def test_live_queue_panel(queues, django_assert_num_queries):
    with django_assert_num_queries(1):
        table = kpi.registry.panels[("dokter", "queues")].compute()
    assert table.columns == ("Fasilitas", "Poli", "Dipanggil", "Sisa antrean")
    assert table.rows == (
        ("Puskesmas Demo Binjai Kota", "Poli Gigi", "G-1", 0),
        ("Puskesmas Demo Binjai Kota", "Poli Umum", "A-1", 1),
    )


def test_dataset_visits_by_facility(queues, clinic_clerk, django_assert_num_queries):
    a, _b, _g = queues
    services.booking_start_service(staff=clinic_clerk, booking=a, now=ON_DAY + 41 * MIN)
    services.booking_finish(staff=clinic_clerk, booking=a, now=ON_DAY + 45 * MIN)
    spec = kpi.registry.datasets[("dokter", "visits-by-facility")]

    with django_assert_num_queries(1):
        data = spec.compute(kpi.Period(DAY, DAY))
    assert data.columns[:3] == ("Kode fasilitas", "Fasilitas", "Jenis")
    assert data.rows == (
        ("puskesmas-demo-kota", "Puskesmas Demo Binjai Kota", "Puskesmas", 3, 3, 0, 1, 0, 25.0),
    )
    assert (
        spec.compute(
            kpi.Period(DAY + datetime.timedelta(days=1), DAY + datetime.timedelta(days=1))
        ).rows
        == ()
    )


def test_the_long_wait_alert_names_poli_and_facility_in_each_readers_language(queues, poli):
    from dokter.models import Poli

    Poli.objects.filter(pk=poli.pk).update(name_en="General Clinic")
    (cause,) = _rule()(DAY)
    assert cause.title.render("en") == (
        "Long queue at General Clinic, Demo Binjai Kota Community Health Centre: average 45 minutes"
    )
    assert cause.title.render("id") == (
        "Antrean lama di Poli Umum, Puskesmas Demo Binjai Kota: rata-rata 45 menit"
    )
