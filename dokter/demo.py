"""Demo data for e-Dokter: facilities on the faskes units, polis, schedules and one day of
queue entries in every state. Everything here is demo (no public list of the region's
puskesmas exists; no official facility codes are invented)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from binjai_portal.accounts.demo import demo_facility_code
from binjai_portal.accounts.models import Unit, User
from binjai_portal.accounts.roles import FASKES, PETUGAS_PUSKESMAS
from binjai_portal.core.workdays import is_working_day

from . import services
from .models import Booking, Facility, Poli, Practitioner, Schedule

PUSKESMAS_POLIS = [  # (code, name, letter, minutes, bookable online)
    ("umum", "Poli Umum", "A", 10, True),
    ("gigi", "Poli Gigi", "B", 20, True),
    ("kia", "Poli KIA (Ibu dan Anak)", "C", 15, True),
    ("lansia", "Poli Lansia", "D", 12, True),
    ("lab", "Laboratorium", "L", 8, False),
    ("apotek", "Apotek", "P", 5, False),
]
HOSPITAL_POLIS = [
    ("dalam", "Poli Penyakit Dalam", "A", 15, True),
    ("anak", "Poli Anak", "B", 15, True),
    ("kandungan", "Poli Kebidanan dan Kandungan", "C", 15, True),
    ("bedah", "Poli Bedah", "D", 20, True),
    ("lab", "Laboratorium", "L", 8, False),
    ("farmasi", "Farmasi", "F", 5, False),
]


def _local(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def seed_facilities(log) -> list[Facility]:
    facilities = []
    lat, lng = settings.MAP_CENTER
    for i, unit in enumerate(Unit.objects.filter(kind=FASKES).order_by("code")):
        hospital = unit.code.startswith("rsud")
        facility, created = Facility.objects.get_or_create(
            unit=unit,
            defaults={
                "kind": Facility.Kind.HOSPITAL if hospital else Facility.Kind.PUSKESMAS,
                "address": unit.address,
                "phone": unit.phone,
                "opening_hours": "Senin–Kamis 08.00–14.00, Jumat 08.00–11.00 (demo)",
                # Demo points around the map centre (MAP_CENTER), not surveyed locations.
                "latitude": round(Decimal(str(lat)) + Decimal("0.0110") * (i % 5 - 2), 4),
                "longitude": round(Decimal(str(lng)) + Decimal("0.0090") * (i % 3 - 1), 4),
                # The hospital's name is real, but its polis, hours and quotas here are not.
                "is_demo": True,
            },
        )
        facilities.append(facility)
        if not created:
            continue
        for code, name, letter, minutes, online in HOSPITAL_POLIS if hospital else PUSKESMAS_POLIS:
            poli = Poli.objects.create(
                facility=facility,
                code=code,
                name=name,
                letter=letter,
                avg_service_minutes=minutes,
                bookable_online=online,
            )
            doctor = Practitioner.objects.create(
                facility=facility, name=f"dr. Demo {name.replace('Poli ', '')}"
            )
            Schedule.objects.bulk_create(
                [
                    Schedule(
                        poli=poli,
                        weekday=d,
                        start=datetime.time(8, 0),
                        end=datetime.time(11, 0) if d == 4 else datetime.time(12, 0),
                        practitioner=doctor,
                        online_quota=20,
                        onsite_quota=20,
                    )
                    for d in range(5)
                ]
            )
        log(f"dokter: facility {unit.code} (demo polis and schedules)")
    return facilities


def _last_working_day(today: datetime.date) -> datetime.date:
    day = today
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


DEMO_MORNING = datetime.time(7, 30)
DEMO_STEPS = datetime.timedelta(minutes=65)  # the demo's steps, from registration to the last call
DEMO_SPAN = datetime.timedelta(hours=2)  # a past morning: every step and the finish before now
LIVE_FROM = datetime.time(8, 0)  # the demo poli's session (seed_facilities)
LIVE_UNTIL = datetime.time(11, 0)  # Friday's end: a live queue never outlasts its session


def _demo_morning(now: datetime.datetime) -> tuple[datetime.date, datetime.datetime, bool]:
    """The day and start time of the demo queue, and whether it is live.

    Live (seeded during the morning session of a working day): the queue began 65
    minutes ago, so those still waiting have waited at most an hour, as in a real
    morning. Otherwise the morning of the last working day whose session is over, run
    to its end and closed: no entry of a past day stays "waiting" for hours (a demo
    seeded at 12:30 showed waits of 305 minutes, at 23:15 of 947). Seeding at 06:30
    once stamped check-ins at 08:00 today, in the future; every step is in the past.
    """
    local = timezone.localtime(now)
    today = local.date()
    live_start = local - DEMO_STEPS
    if (
        is_working_day(today)
        and live_start.date() == today
        and LIVE_FROM <= live_start.time()
        and local.time() <= LIVE_UNTIL
    ):
        return today, live_start, True
    day = _last_working_day(today)
    start = _local(day, DEMO_MORNING.hour, DEMO_MORNING.minute)
    if start + DEMO_SPAN > now:
        day = _last_working_day(day - datetime.timedelta(days=1))
        start = _local(day, DEMO_MORNING.hour, DEMO_MORNING.minute)
    return day, start, False


@transaction.atomic
def seed_day(log) -> None:
    facility = Facility.objects.filter(unit__code=demo_facility_code()).first()
    clerk = User.objects.filter(
        unit__code=demo_facility_code(), groups__name=PETUGAS_PUSKESMAS, is_demo=True
    ).first()
    if facility is None or clerk is None or Booking.objects.filter(facility=facility).exists():
        return
    umum = facility.polis.get(code="umum")
    lab = facility.polis.get(code="lab")
    day, start, live = _demo_morning(timezone.localtime())
    names = [
        "Pasien Demo Satu",
        "Pasien Demo Dua",
        "Pasien Demo Tiga",
        "Pasien Demo Empat",
        "Pasien Demo Lima",
        "Pasien Demo Enam",
        "Pasien Demo Tujuh",
    ]
    e = [
        services.booking_register_onsite(
            staff=clerk, poli=umum, patient_name=n, payment="umum", now=start
        )
        for n in names
    ]

    def at(minutes):  # the demo morning's clock: every step after the one before
        return start + datetime.timedelta(minutes=minutes)

    services.queue_call_next(staff=clerk, poli=umum, now=at(5))  # e0
    services.booking_start_service(staff=clerk, booking=e[0], now=at(7))
    services.booking_finish(staff=clerk, booking=e[0], now=at(19))  # done
    services.queue_call_next(staff=clerk, poli=umum, now=at(21))  # e1
    services.booking_start_service(staff=clerk, booking=e[1], now=at(23))
    services.booking_transfer(staff=clerk, booking=e[1], to_poli=lab, now=at(36))  # transferred
    services.queue_call_next(staff=clerk, poli=umum, now=at(38))  # e2
    services.booking_mark_absent(staff=clerk, booking=e[2], now=at(44))  # absent
    services.queue_call_next(staff=clerk, poli=umum, now=at(46))  # e3
    services.booking_start_service(staff=clerk, booking=e[3], now=at(48))  # serving
    services.queue_call_next(staff=clerk, poli=umum, now=at(60))  # e4 called; e5, e6 checked in
    if not live:  # a past morning ends as a real one does: everyone served, the day closed
        services.booking_finish(staff=clerk, booking=e[3], now=at(66))
        services.booking_start_service(staff=clerk, booking=e[4], now=at(67))
        services.booking_finish(staff=clerk, booking=e[4], now=at(78))
        services.queue_call_next(staff=clerk, poli=umum, now=at(80))  # e5
        services.booking_start_service(staff=clerk, booking=e[5], now=at(81))
        services.booking_finish(staff=clerk, booking=e[5], now=at(93))
        services.queue_call_next(staff=clerk, poli=umum, now=at(95))  # e6 never came
        services.queue_close_day(date=day)  # e6 absent, as the 23:30 task would
    warga = User.objects.filter(phone="+6281200009001", is_demo=True).first()
    nxt = day + datetime.timedelta(days=1)
    while not is_working_day(nxt):
        nxt += datetime.timedelta(days=1)
    if warga:  # the demo citizen: one cancelled and one booked place on the next working day
        now = timezone.localtime()
        try:
            b = services.booking_create(
                actor=warga,
                schedule=facility.polis.get(code="gigi").schedules.get(weekday=nxt.weekday()),
                date=nxt,
                patient=warga,
                payment="umum",
                complaint="Gigi berlubang (demo)",
                now=now,
            )
            services.booking_cancel(actor=warga, booking=b, now=now)
            services.booking_create(
                actor=warga,
                schedule=umum.schedules.get(weekday=nxt.weekday()),
                date=nxt,
                patient=warga,
                payment="umum",
                complaint="Kontrol tekanan darah (demo)",
                now=now,
            )
        except services.BookingRefused as exc:
            log(f"dokter: demo booking skipped ({exc.messages[0]})")
    log(f"dokter: a day of demo queue entries at {facility} on {day}")


DEMO_WS_USER, DEMO_WS_PASSWORD = "jkn-demo", "demo-jkn-ws"


@transaction.atomic
def seed_national(log) -> None:
    """Links of the demo puskesmas to the simulators (simulators/bpjs, simulators/satusehat
    with their default credentials): demo values, not a facility's real keys or ids."""
    from django.contrib.auth.hashers import make_password

    from .models import BpjsConfig, BpjsDoctor, BpjsPoli, SatusehatConfig

    facility = Facility.objects.filter(unit__code=demo_facility_code()).first()
    clerk = User.objects.filter(
        unit__code=demo_facility_code(), groups__name=PETUGAS_PUSKESMAS, is_demo=True
    ).first()
    if facility is None or clerk is None or BpjsConfig.objects.filter(facility=facility).exists():
        return
    umum = facility.polis.get(code="umum")
    BpjsPoli.objects.get_or_create(poli=umum, defaults={"kodepoli": "UMU"})
    for number, doctor in enumerate(facility.practitioners.order_by("pk"), start=1):
        BpjsDoctor.objects.get_or_create(practitioner=doctor, defaults={"kodedokter": number})
    BpjsConfig.objects.create(
        facility=facility,
        acts_as=clerk,
        ws_username=DEMO_WS_USER,
        ws_password_hash=make_password(DEMO_WS_PASSWORD),
        cons_id="1000",
        secret="demo-secret",
        user_key="demo-user-key",
        pharmacy_poli=facility.polis.filter(code="apotek").first(),
    )
    SatusehatConfig.objects.create(
        facility=facility,
        organization_id="demo-org",
        location_id="demo-location",
        practitioner_id="demo-practitioner",
        client_id="demo-client",
        client_secret="demo-secret",
    )
    log(f"dokter: demo BPJS and SATUSEHAT links of {facility} (WS user {DEMO_WS_USER})")


def seed(log) -> None:
    seed_facilities(log)
    seed_day(log)
    seed_national(log)
