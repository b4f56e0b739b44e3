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
DEMO_SPAN = datetime.timedelta(hours=2)  # the demo steps take an hour; keep them all past


def _demo_morning(now: datetime.datetime) -> tuple[datetime.date, datetime.datetime]:
    """The day and start time of the demo queue: a working morning wholly in the past.

    Seeding at 06:30 used to stamp check-ins at 08:00 today, in the future: an officer
    calling the next number at 06:34 then recorded a wait of -86 minutes. Today is used
    when its morning is over (07:30 plus two hours), else the last working day before.
    """
    day = _last_working_day(now.date())
    start = _local(day, DEMO_MORNING.hour, DEMO_MORNING.minute)
    if start + DEMO_SPAN > now:
        day = _last_working_day(day - datetime.timedelta(days=1))
        start = _local(day, DEMO_MORNING.hour, DEMO_MORNING.minute)
    return day, start


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
    day, start = _demo_morning(timezone.localtime())
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
