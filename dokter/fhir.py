"""FHIR R4 read API for e-Dokter: Schedule, Slot and Appointment, mounted at /api/fhir/.

Resources are built and validated with `fhir.resources` (its R4B models, which are
wire-compatible with R4 for these three resources) and served as
`application/fhir+json`. Every request needs a bearer token (`dokter.ApiToken`) of a
clerk of the facility; a token sees only its own facility, so another facility's ids
answer 404 and its searches come back empty.

Mapping:

- `Schedule/<id>`: one weekly session of a poli (`dokter.Schedule`); actors are the
  facility (`Location/<facility code>`), the poli (`HealthcareService/<poli id>`) and
  the practitioner (`Practitioner/<id>`); planningHorizon is the booking window
  (today up to 7 days ahead).
- `Slot/<schedule id>-<YYYYMMDD>`: that session on one date; `free` while online quota
  remains and the session is bookable, else `busy` (the reason in `comment`).
- `Appointment/<id>`: one queue entry (`dokter.Booking`); the booking code is the
  identifier; the patient is referenced by an opaque id (an HMAC, never the NIK or the
  account id), with the name as display (the token's facility is the booking's).

Search parameters (unknown ones are ignored, as FHIR allows):

- Schedule: `date=YYYY-MM-DD` (sessions held on that day), `actor=Location/<facility
  code>` (or the bare facility code) or `actor=HealthcareService/<poli id>`, `active`.
- Slot: `date=YYYY-MM-DD` (alias `start`; default today), `actor=` as for Schedule,
  `schedule=Schedule/<id>`, `status=free|busy`.
- Appointment: `date=YYYY-MM-DD` (default today), `location=Location/<facility code>`
  (or the bare code), `service-type=<poli code>`, `actor=HealthcareService/<poli id>`,
  `status` (FHIR codes, comma-separated).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
from collections import defaultdict
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.schedule import Schedule as FhirSchedule
from fhir.resources.R4B.slot import Slot

from binjai_portal.core import ratelimits
from binjai_portal.core.inputs import MAX_YEAR, MIN_YEAR, is_ascii_digits, parse_date
from binjai_portal.core.ratelimits import token_key

from .auth import token_for_request
from .models import Booking, FacilityClosure, Schedule
from .selectors import BOOKING_DAYS_AHEAD
from .services import booking_cutoff, closure_reason

CONTENT_TYPE = "application/fhir+json; charset=utf-8"


def kodebooking_system() -> str:
    """Identifier system of booking codes, under the region's domain (REGION_DOMAIN)."""
    return f"https://{settings.REGION_DOMAIN}/fhir/sid/dokter-kodebooking"


def poli_system() -> str:
    """Code system of the clinic units (poli), under the region's domain."""
    return f"https://{settings.REGION_DOMAIN}/fhir/CodeSystem/dokter-poli"


MAX_RESULTS = 500

S = Booking.Status
# Booking states -> FHIR R4 AppointmentStatus. A checked-in patient waiting in the
# room has "arrived"; once called the encounter may begin ("checked-in"); a transfer
# ends this queue entry (a new one starts at the other poli), so it is "fulfilled".
APPOINTMENT_STATUS = {
    S.BOOKED: "booked",
    S.CHECKED_IN: "arrived",
    S.CALLED: "checked-in",
    S.SERVING: "checked-in",
    S.DONE: "fulfilled",
    S.TRANSFERRED: "fulfilled",
    S.ABSENT: "noshow",
    S.CANCELLED: "cancelled",
}
FHIR_APPOINTMENT_STATUSES = {
    "proposed",
    "pending",
    "booked",
    "arrived",
    "fulfilled",
    "cancelled",
    "noshow",
    "entered-in-error",
    "checked-in",
    "waitlist",
}
SLOT_STATUSES = {"free", "busy"}
SLOT_ID = re.compile(r"^([0-9]{1,18})-([0-9]{8})$")


class BadRequest(Exception):
    pass


# ---------------------------------------------------------------- responses


def _response(resource, status: int = 200) -> HttpResponse:
    return HttpResponse(
        resource.model_dump_json(exclude_none=True), status=status, content_type=CONTENT_TYPE
    )


def _outcome(status: int, code: str, text: str) -> HttpResponse:
    outcome = OperationOutcome(issue=[{"severity": "error", "code": code, "diagnostics": text}])
    response = _response(outcome, status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="fhir"'
    return response


def _not_found() -> HttpResponse:
    return _outcome(404, "not-found", "Sumber daya tidak ditemukan.")


def _base(request) -> str:
    return request.build_absolute_uri("/api/fhir/").rstrip("/")


def _bundle(request, type_name: str, resources: list, params: dict) -> HttpResponse:
    base = _base(request)
    query = urlencode(params)
    bundle = Bundle(
        type="searchset",
        total=len(resources),
        link=[{"relation": "self", "url": f"{base}/{type_name}" + (f"?{query}" if query else "")}],
        entry=[
            {"fullUrl": f"{base}/{type_name}/{r.id}", "resource": r, "search": {"mode": "match"}}
            for r in resources
        ],
    )
    return _response(bundle)


def _limited(request) -> HttpResponse | None:
    """Per client address, then per token; a read, so a limiter that is down lets it by."""
    for name, key in (("dokter_api_address", "ip"), ("dokter_api_token", token_key)):
        refusal = ratelimits.check(request, name, key=key, fail_open=True)
        if refusal is not None:
            response = _outcome(refusal.status, "throttled", refusal.message)
            response["Retry-After"] = str(refusal.wait)
            return response
    return None


def fhir_view(func):
    """GET only, within the request limits, a valid staff token, bad parameters -> 400
    OperationOutcome."""

    @require_GET
    def view(request, *args, **kwargs):
        refused = _limited(request)
        if refused is not None:
            return refused
        token = token_for_request(request)
        if token is None:
            return _outcome(401, "login", "Perlu token API petugas fasilitas (Bearer).")
        try:
            return func(request, token, *args, **kwargs)
        except BadRequest as exc:
            return _outcome(400, "invalid", str(exc))

    view.__name__ = func.__name__
    view.__doc__ = func.__doc__
    return view


# ---------------------------------------------------------------- parameters


def _date_param(request, *names: str, default=None) -> datetime.date | None:
    for name in names:
        value = request.GET.get(name)
        if value:
            value = value.removeprefix("eq")
            day = parse_date(value[:10])
            if day is None:
                raise BadRequest(
                    f"Parameter {name} harus berupa tanggal YYYY-MM-DD "
                    f"antara tahun {MIN_YEAR} dan {MAX_YEAR}."
                )
            return day
    return default


def _facility_matches(value: str | None, facility) -> bool:
    """`Location/<code>`, a full URL ending in it, or the bare code."""
    if not value:
        return True
    return value.rstrip("/").rsplit("/", 1)[-1] == facility.code


def _reference_id(value: str | None, type_name: str) -> int | None:
    """`HealthcareService/12` -> 12; None when the parameter is not that type."""
    if not value or f"{type_name}/" not in value:
        return None
    tail = value.rstrip("/").rsplit("/", 1)[-1]
    if not is_ascii_digits(tail):
        raise BadRequest(f"Referensi {type_name} tidak valid.")
    return int(tail)


def _actor_filter(request, facility) -> tuple[bool, int | None]:
    """(matches this facility, poli id or None) from the `actor` parameter."""
    actor = request.GET.get("actor")
    poli_id = _reference_id(actor, "HealthcareService")
    if poli_id is not None or (actor and "Practitioner/" in actor):
        return True, poli_id
    return _facility_matches(actor, facility), None


# ---------------------------------------------------------------- builders


def _aware(date: datetime.date, time: datetime.time) -> str:
    return timezone.make_aware(datetime.datetime.combine(date, time)).isoformat()


def _service_type(poli) -> list[dict]:
    return [
        {
            "coding": [{"system": poli_system(), "code": poli.code, "display": poli.name}],
            "text": poli.name,
        }
    ]


def schedule_resource(schedule: Schedule, *, today: datetime.date) -> FhirSchedule:
    poli, facility = schedule.poli, schedule.poli.facility
    actors = [
        {"reference": f"HealthcareService/{poli.pk}", "display": poli.name},
        {"reference": f"Location/{facility.code}", "display": facility.name},
    ]
    if schedule.practitioner_id:
        actors.append(
            {
                "reference": f"Practitioner/{schedule.practitioner_id}",
                "display": schedule.practitioner.name,
            }
        )
    horizon_end = today + datetime.timedelta(days=BOOKING_DAYS_AHEAD)
    return FhirSchedule(
        id=str(schedule.pk),
        active=schedule.is_active and poli.is_active,
        serviceType=_service_type(poli),
        actor=actors,
        planningHorizon={
            "start": _aware(today, datetime.time.min),
            "end": _aware(horizon_end, datetime.time.max.replace(microsecond=0)),
        },
        comment=(
            f"{schedule.get_weekday_display()} {schedule.label}, kuota daring "
            f"{schedule.online_quota}, kuota di tempat {schedule.onsite_quota}"
        ),
    )


def slot_resource(
    schedule: Schedule,
    date: datetime.date,
    *,
    used: int,
    closed: str | None,
    now: datetime.datetime,
) -> Slot:
    remaining = max(schedule.online_quota - used, 0)
    facility = schedule.poli.facility
    if closed:
        reason = f"Tutup: {closed}"
    elif not (schedule.is_active and schedule.poli.is_active and schedule.poli.bookable_online):
        reason = "Tidak menerima pemesanan daring"
    elif now >= booking_cutoff(schedule=schedule, date=date, facility=facility):
        reason = "Pemesanan sudah ditutup"
    elif remaining == 0:
        reason = "Kuota daring penuh"
    else:
        reason = ""
    status = "busy" if reason else "free"
    assert status in SLOT_STATUSES
    return Slot(
        id=f"{schedule.pk}-{date:%Y%m%d}",
        schedule={"reference": f"Schedule/{schedule.pk}"},
        serviceType=_service_type(schedule.poli),
        status=status,
        start=_aware(date, schedule.start),
        end=_aware(date, schedule.end),
        comment=reason or f"Sisa kuota daring {remaining} dari {schedule.online_quota}",
    )


def patient_reference_id(booking: Booking) -> str:
    """An opaque, stable id for the patient: never the NIK, never a guessable account id."""
    key = booking.patient_key or f"b{booking.pk}"
    return hmac.new(
        settings.SECRET_KEY.encode(), f"dokter.patient:{key}".encode(), hashlib.sha256
    ).hexdigest()[:32]


def appointment_resource(booking: Booking, *, show_name: bool) -> Appointment:
    poli, facility = booking.poli, booking.facility
    status = APPOINTMENT_STATUS[booking.status]
    assert status in FHIR_APPOINTMENT_STATUSES
    patient = {"reference": f"Patient/{patient_reference_id(booking)}"}
    if show_name:
        patient["display"] = booking.patient_name
    start = booking.estimated_at
    data = {
        "id": str(booking.pk),
        "identifier": [{"system": kodebooking_system(), "value": booking.code}],
        "status": status,
        "serviceType": _service_type(poli),
        "start": start.isoformat(),
        "end": (start + datetime.timedelta(minutes=poli.avg_service_minutes)).isoformat(),
        "minutesDuration": poli.avg_service_minutes,
        "created": booking.created_at.isoformat(),
        "comment": f"Nomor antrean {booking.queue_number}",
        "participant": [
            {"actor": patient, "status": "accepted"},
            {
                "actor": {"reference": f"Location/{facility.code}", "display": facility.name},
                "status": "accepted",
            },
            {
                "actor": {"reference": f"HealthcareService/{poli.pk}", "display": poli.name},
                "status": "accepted",
            },
        ],
    }
    if booking.schedule_id:
        data["slot"] = [{"reference": f"Slot/{booking.schedule_id}-{booking.date:%Y%m%d}"}]
    if booking.priority:
        data["priority"] = 1  # lower is more urgent; 0 means undefined
    return Appointment(**data)


# ---------------------------------------------------------------- queries


def _schedules(facility):
    return (
        Schedule.objects.filter(poli__facility=facility)
        .select_related("poli__facility__unit", "practitioner")
        .order_by("poli__letter", "weekday", "start")
    )


def _slots(schedules: list[Schedule], date: datetime.date, facility) -> list[Slot]:
    """Slots of one date, in three queries whatever the number of sessions."""
    schedules = [s for s in schedules if s.weekday == date.weekday()]
    used = dict(
        Booking.objects.filter(schedule__in=schedules, date=date, channel=Booking.Channel.ONLINE)
        .exclude(status=S.CANCELLED)
        .values_list("schedule_id")
        .annotate(n=Count("pk"))
    )
    holiday = closure_reason(poli=schedules[0].poli, date=date) if schedules else None
    closures = defaultdict(list)
    if schedules and not holiday:
        for c in FacilityClosure.objects.filter(facility=facility, date=date):
            closures[c.poli_id].append(c.reason)
    now = timezone.localtime()
    slots = []
    for schedule in schedules:
        reasons = closures.get(None, []) + closures.get(schedule.poli_id, [])
        closed = holiday if holiday else (reasons[0] if reasons else None)
        slots.append(
            slot_resource(schedule, date, used=used.get(schedule.pk, 0), closed=closed, now=now)
        )
    return slots


def _appointments(facility):
    return (
        Booking.objects.filter(facility=facility)
        .select_related("poli", "facility__unit")
        .order_by("date", "poli__letter", "number")
    )


# ---------------------------------------------------------------- views


def _pk(value: str) -> int:
    """An id from the URL; anything not a plausible id matches nothing (-> 404)."""
    return int(value) if is_ascii_digits(value) else 0


@fhir_view
def schedule_search(request, token):
    """GET /api/fhir/Schedule?date=&actor=&active="""
    facility = token.facility
    date = _date_param(request, "date")
    matches, poli_id = _actor_filter(request, facility)
    params = {k: v for k, v in request.GET.items() if k in {"date", "actor", "active"}}
    if not matches:
        return _bundle(request, "Schedule", [], params)
    qs = _schedules(facility)
    if date is not None:
        qs = qs.filter(weekday=date.weekday())
    if poli_id is not None:
        qs = qs.filter(poli_id=poli_id)
    active = request.GET.get("active")
    if active in {"true", "false"}:
        qs = (
            qs.filter(is_active=active == "true", poli__is_active=True)
            if active == "true"
            else qs.filter(Q(is_active=False) | Q(poli__is_active=False))
        )
    today = timezone.localdate()
    resources = [schedule_resource(s, today=today) for s in qs[:MAX_RESULTS]]
    return _bundle(request, "Schedule", resources, params)


@fhir_view
def schedule_read(request, token, pk: str):
    schedule = _schedules(token.facility).filter(pk=_pk(pk)).first()
    if schedule is None:
        return _not_found()
    return _response(schedule_resource(schedule, today=timezone.localdate()))


@fhir_view
def slot_search(request, token):
    """GET /api/fhir/Slot?date=&actor=&schedule=&status="""
    facility = token.facility
    date = _date_param(request, "date", "start", default=timezone.localdate())
    matches, poli_id = _actor_filter(request, facility)
    schedule_id = _reference_id(request.GET.get("schedule"), "Schedule")
    params = {
        k: v
        for k, v in request.GET.items()
        if k in {"date", "start", "actor", "schedule", "status"}
    }
    if not matches:
        return _bundle(request, "Slot", [], params)
    qs = _schedules(facility).filter(is_active=True, poli__is_active=True)
    if poli_id is not None:
        qs = qs.filter(poli_id=poli_id)
    if schedule_id is not None:
        qs = qs.filter(pk=schedule_id)
    slots = _slots(list(qs[:MAX_RESULTS]), date, facility)
    status = request.GET.get("status")
    if status:
        slots = [s for s in slots if s.status == status]
    return _bundle(request, "Slot", slots, params)


@fhir_view
def slot_read(request, token, slot_id: str):
    match = SLOT_ID.match(slot_id)
    if not match:
        return _not_found()
    date = parse_date(match[2])
    if date is None:
        return _not_found()
    schedule = _schedules(token.facility).filter(pk=int(match[1])).first()
    if schedule is None or schedule.weekday != date.weekday():
        return _not_found()
    return _response(_slots([schedule], date, token.facility)[0])


@fhir_view
def appointment_search(request, token):
    """GET /api/fhir/Appointment?date=&location=&service-type=&status="""
    facility = token.facility
    date = _date_param(request, "date", default=timezone.localdate())
    params = {
        k: v
        for k, v in request.GET.items()
        if k in {"date", "location", "actor", "service-type", "status"}
    }
    if not _facility_matches(request.GET.get("location"), facility):
        return _bundle(request, "Appointment", [], params)
    qs = _appointments(facility).filter(date=date)
    poli_id = _reference_id(request.GET.get("actor"), "HealthcareService")
    if poli_id is not None:
        qs = qs.filter(poli_id=poli_id)
    service = request.GET.get("service-type")
    if service:  # a token: `<system>|<poli code>` or the bare poli code
        qs = qs.filter(poli__code=service.rsplit("|", 1)[-1])
    status = request.GET.get("status")
    if status:
        states = [k for k, v in APPOINTMENT_STATUS.items() if v in status.split(",")]
        qs = qs.filter(status__in=states)
    resources = [
        appointment_resource(b, show_name=b.facility_id == facility.pk) for b in qs[:MAX_RESULTS]
    ]
    return _bundle(request, "Appointment", resources, params)


@fhir_view
def appointment_read(request, token, pk: str):
    booking = _appointments(token.facility).filter(pk=_pk(pk)).first()
    if booking is None:
        return _not_found()
    return _response(
        appointment_resource(booking, show_name=booking.facility_id == token.facility_id)
    )


def unknown(request, path: str = ""):
    """Any other path under /api/fhir/: a FHIR 404, not the HTML one."""
    return _not_found()
