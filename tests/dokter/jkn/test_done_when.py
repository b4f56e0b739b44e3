"""Issue 16's "done when", over real HTTP: the portal in gunicorn, Mobile JKN driving its
WS Antrean, the BPJS and SATUSEHAT simulators receiving what the outbox sends."""

from __future__ import annotations

import datetime
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client
from django.utils import timezone

from binjai_portal.core import outbox
from binjai_portal.core.workdays import is_holiday
from dokter import services
from dokter.models import Booking, JknPatient
from simulators.mobilejkn import MobileJkn
from simulators.mobilejkn.client import scenarios

from .conftest import CARD, NIK, WS_PASSWORD, WS_USER, build_world


@pytest.fixture(autouse=True)
def _working_today(transactional_db):
    """These tests run on the real clock (a real server): not on a national holiday."""
    if is_holiday(timezone.localdate()):
        pytest.skip("the real clock is on a national holiday")


def known_to_bpjs(sim, code: str) -> None:
    """BPJS holds the bookings Mobile JKN took (the simulator is told so)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{sim.server_port}/_known",
        data=f'{{"kodebooking": "{code}"}}'.encode(),
        method="POST",
    )
    urllib.request.urlopen(request).close()  # noqa: S310


def test_mobile_jkn_patient_a7_end_to_end(
    gunicorn_portal, bpjs_sim, satusehat_sim, clinic_clerk, make_citizen
):
    world = build_world(clinic_clerk, served=True)
    poli, today = world["poli"], timezone.localdate()
    schedule = world["schedules"][today.weekday()]
    # A-1..A-3 at the counter, A-4..A-6 through the portal (checked in on arrival)
    for i in range(3):
        services.booking_register_onsite(
            staff=clinic_clerk, poli=poli, patient_name=f"Loket {i + 1}", payment="umum"
        )
    for i in range(3):
        person = make_citizen(full_name=f"Portal {i + 1}")
        booked = services.booking_create(
            actor=person, schedule=schedule, date=today, patient=person, payment="umum"
        )
        services.booking_check_in(staff=clinic_clerk, code=booked.code)

    app = MobileJkn(f"{gunicorn_portal}/api/jkn/", username=WS_USER, password=WS_PASSWORD)
    ran = dict(
        scenarios(
            app,
            kodepoli="UMU",
            tanggal=today.isoformat(),
            nik=NIK,
            nomorkartu=CARD,
            jam="00:00-23:59",
        )
    )
    assert ran["wrong credentials"].http == 401
    assert ran["forged token"].http == 401
    assert ran["take (unknown patient)"].code == 202
    assert ran["new patient"].ok
    assert ran["take"].ok, ran["take"].message
    assert ran["take"].response["nomorantrean"] == "A-7"
    assert ran["duplicate booking"].code == 201
    assert ran["closed day"].code == 201
    assert ran["remaining"].ok and ran["check in"].ok
    code = ran["take"].response["kodebooking"]
    known_to_bpjs(bpjs_sim, code)
    services.booking_register_onsite(
        staff=clinic_clerk, poli=poli, patient_name="Loket 4", payment="umum"
    )
    jkn = Booking.objects.get(code=code)
    assert jkn.source == Booking.Source.MOBILE_JKN and jkn.status == Booking.Status.CHECKED_IN

    console = Client()
    console.force_login(clinic_clerk)
    page = console.get(f"/dokter/petugas/{poli.code}/antrean/").content.decode()
    rows = [n for n in ("A-6", "A-7", "A-8") if f'data-testid="row-{n}"' in page]
    assert rows == ["A-6", "A-7", "A-8"]
    assert page.index("row-A-6") < page.index("row-A-7") < page.index("row-A-8")
    assert "Mobile JKN" in page and "Portal" in page and "Loket" in page

    # the clerk calls, serves and finishes through the console until A-7's turn
    while True:
        console.post(f"/dokter/petugas/{poli.code}/aksi/", {"action": "call_next"})
        called = Booking.objects.get(poli=poli, date=today, status=Booking.Status.CALLED)
        if called.pk == jkn.pk:
            break
        for action in ("start", "finish"):
            console.post(
                f"/dokter/petugas/{poli.code}/aksi/", {"action": action, "booking": called.pk}
            )
    board = urllib.request.urlopen(  # noqa: S310
        f"{gunicorn_portal}/dokter/display/{world['facility'].code}/papan/"
    ).read()
    assert b">A-7<" in board
    for action in ("start", "finish"):
        console.post(f"/dokter/petugas/{poli.code}/aksi/", {"action": action, "booking": jkn.pk})
    jkn.refresh_from_db()
    assert jkn.status == Booking.Status.DONE

    # a second Mobile JKN patient takes a number and cancels it in the app
    other = JknPatient.objects.create(
        facility=world["facility"],
        norm="JKN9",
        nomorkartu="0001234567891",
        nik="1275010101900003",
        nama="Pasien Batal",
    )
    cancelled = app.take(
        nomorkartu=other.nomorkartu,
        nik=other.nik,
        nohp="",
        kodepoli="UMU",
        norm="JKN9",
        tanggalperiksa=today.isoformat(),
        kodedokter=12345,
        jampraktek="00:00-23:59",
        jeniskunjungan=1,
        nomorreferensi="",
    )
    assert cancelled.ok
    known_to_bpjs(bpjs_sim, cancelled.response["kodebooking"])
    assert app.cancel(cancelled.response["kodebooking"]).ok

    outbox.outbox_send_due()  # the Celery worker's job
    held = bpjs_sim.antrean.ledger()["bookings"]
    assert sorted(held[code]["tasks"], key=int) == ["1", "2", "3", "4", "5"]
    assert not held[code]["added"]  # BPJS took it itself through Mobile JKN
    assert list(held[cancelled.response["kodebooking"]]["tasks"]) == ["99"]
    encounters = [
        e
        for e in satusehat_sim.platform.ledger()["encounters"]
        if e["identifier"][0]["value"] == code
    ]
    assert len(encounters) == 1
    assert encounters[0]["subject"]["reference"] == "Patient/P02478375538"


def test_500_clients_against_a_quota_of_100(gunicorn_portal, bpjs_sim, clinic_clerk):
    world = build_world(clinic_clerk, quota=100, served=True)
    today = timezone.localdate()
    JknPatient.objects.bulk_create(
        JknPatient(
            facility=world["facility"],
            norm=f"JKN{i:05d}",
            nomorkartu=f"{i:013d}",
            nik=f"1275{i:012d}",
            nama=f"Peserta {i}",
        )
        for i in range(1, 501)
    )
    app = MobileJkn(f"{gunicorn_portal}/api/jkn/", username=WS_USER, password=WS_PASSWORD)
    assert app.token().ok

    def take(i: int):
        return app.take(
            nomorkartu=f"{i:013d}",
            nik=f"1275{i:012d}",
            nohp="",
            kodepoli="UMU",
            norm="",
            tanggalperiksa=today.isoformat(),
            kodedokter=12345,
            jampraktek="00:00-23:59",
            jeniskunjungan=1,
            nomorreferensi="",
        )

    started = datetime.datetime.now()
    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(take, range(1, 501)))
    elapsed = (datetime.datetime.now() - started).total_seconds()
    assert not [a for a in answers if a.http >= 500]
    taken = [a for a in answers if a.ok]
    assert len(taken) == 100, {a.message for a in answers if not a.ok}
    assert all(a.code == 201 for a in answers if not a.ok)
    numbers = sorted(a.response["angkaantrean"] for a in taken)
    assert numbers == list(range(1, 101))
    assert len({a.response["kodebooking"] for a in taken}) == 100
    assert Booking.objects.filter(date=today).count() == 100
    print(f"500 Mobile JKN takes in {elapsed:.1f} s")
