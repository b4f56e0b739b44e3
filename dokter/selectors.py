"""Reads of e-Dokter, scoped to the user: complaints and visit history are health data
(UU 27/2022) and reach only the patient, the account holder who booked, and the staff
of that facility."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

import rules
from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from binjai_portal.core.workdays import is_holiday

from .models import (
    Booking,
    Facility,
    FacilityClosure,
    Poli,
    QueueCounter,
    QuotaCounter,
    Schedule,
    VisitRating,
)
from .rules import ensure_facility_staff

S = Booking.Status
DISPLAY_CACHE_SECONDS = 60
DISPLAY_NEXT = 3
BOOKING_DAYS_AHEAD = 7


def display_cache_key(facility_id: int) -> str:
    return f"dokter:display:v1:{facility_id}"


def booking_cutoff(*, schedule: Schedule, date: datetime.date, facility: Facility):
    end = timezone.make_aware(datetime.datetime.combine(date, schedule.end))
    return end - datetime.timedelta(minutes=facility.cutoff_minutes)


def waiting_order(qs):
    """Priority patients first, then by number."""
    rank = Case(When(priority="", then=Value(1)), default=Value(0), output_field=IntegerField())
    return qs.annotate(rank=rank).order_by("rank", "number")


def facility_list_public() -> QuerySet[Facility]:
    return (
        Facility.objects.filter(is_active=True, unit__is_active=True)
        .select_related("unit", "kelurahan")
        .order_by("kind", "unit__name")
    )


def facility_get_public(*, code: str) -> Facility:
    return get_object_or_404(
        Facility.objects.select_related("unit", "kelurahan"), unit__code=code, is_active=True
    )


def facility_map_point(*, facility: Facility) -> dict | None:
    """The facility's point for the page's map (json_script), or None without coordinates."""
    if facility.latitude is None or facility.longitude is None:
        return None
    return {
        "lat": float(facility.latitude),
        "lng": float(facility.longitude),
        "name": facility.name,
    }


def poli_list_for_facility(*, facility: Facility, bookable_only: bool = False) -> QuerySet[Poli]:
    qs = facility.polis.filter(is_active=True).prefetch_related(
        Prefetch(
            "schedules",
            queryset=Schedule.objects.filter(is_active=True)
            .select_related("practitioner")
            .order_by("weekday", "start"),
        )
    )
    return qs.filter(bookable_online=True) if bookable_only else qs


def poli_get_public(*, facility: Facility, poli_code: str) -> Poli:
    return get_object_or_404(
        Poli.objects.select_related("facility__unit"),
        facility=facility,
        code=poli_code,
        is_active=True,
    )


def facility_for_staff(*, user) -> Facility:
    """The clerk's own facility (404 for anyone else)."""
    if not (user.is_authenticated and user.unit_id):
        raise Http404
    facility = Facility.objects.select_related("unit").filter(unit_id=user.unit_id).first()
    if facility is None:
        raise Http404
    ensure_facility_staff(user, facility)
    return facility


@dataclass(frozen=True)
class SessionOption:
    date: datetime.date
    schedule: Schedule
    remaining: int
    open: bool
    reason: str = ""

    @property
    def value(self) -> str:
        return f"{self.date.isoformat()}_{self.schedule.pk}"


def session_options(*, poli: Poli, now: datetime.datetime | None = None) -> list[SessionOption]:
    """Every session from today to 7 days ahead with its remaining online quota
    (three queries, whatever the number of days)."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    last = today + datetime.timedelta(days=BOOKING_DAYS_AHEAD)
    schedules = list(
        poli.schedules.filter(is_active=True)
        .select_related("practitioner")
        .order_by("weekday", "start")
    )
    # The counters the booking service takes places from: the same figure it refuses by.
    used = dict(
        ((schedule_id, date), n)
        for schedule_id, date, n in QuotaCounter.objects.filter(
            schedule__poli=poli, date__range=(today, last)
        ).values_list("schedule_id", "date", "online_taken")
    )
    closures = {
        c.date: c.reason
        for c in FacilityClosure.objects.filter(
            facility_id=poli.facility_id, date__range=(today, last)
        ).filter(Q(poli__isnull=True) | Q(poli=poli))
    }
    options = []
    for offset in range(BOOKING_DAYS_AHEAD + 1):
        day = today + datetime.timedelta(days=offset)
        for schedule in (s for s in schedules if s.weekday == day.weekday()):
            remaining = max(schedule.online_quota - used.get((schedule.pk, day), 0), 0)
            reason = ""
            if is_holiday(day):  # the weekly schedule decides the weekdays
                reason = "holiday"
            elif day in closures:
                reason = closures[day]
            elif now >= booking_cutoff(schedule=schedule, date=day, facility=poli.facility):
                reason = "cutoff"
            elif remaining == 0:
                reason = "full"
            options.append(SessionOption(day, schedule, remaining, not reason, reason))
    return options


def session_value_parse(value: str) -> tuple[datetime.date, int] | None:
    """(date, schedule id) of a booking form's session value "<date>_<schedule id>"."""
    day, _, schedule_id = (value or "").partition("_")
    try:
        return datetime.date.fromisoformat(day), int(schedule_id)
    except ValueError:
        return None


def session_option_posted(
    *, facility_code: str, poli_code: str, value: str
) -> SessionOption | None:
    """The session a booking form names ("<date>_<schedule id>"), read in one query with
    its poli and facility, for the POST of the booking form: the booking service checks
    the quota, the closures, the cutoff and the dates itself, so the page's full list of
    options (three queries and a week of checks) is built only when it is shown again.
    None when the value does not name an active session of this poli."""
    parsed = session_value_parse(value)
    if parsed is None:
        return None
    date, pk = parsed
    schedule = (
        Schedule.objects.select_related("poli__facility__unit")
        .filter(
            pk=pk,
            is_active=True,
            poli__code=poli_code,
            poli__is_active=True,
            poli__bookable_online=True,
            poli__facility__unit__code=facility_code,
            poli__facility__is_active=True,
        )
        .first()
    )
    if schedule is None or schedule.weekday != date.weekday():
        return None
    return SessionOption(date, schedule, schedule.online_quota, True)


def booking_list_for_user(*, user) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(Q(booked_by=user) | Q(patient_user=user))
        .select_related("facility__unit", "poli", "schedule")
        .order_by("-date", "-created_at")
    )


def booking_get_for_user(*, user, code: str) -> Booking:
    """The booking if the user booked it, is its patient, or works at its facility; else 404."""
    booking = (
        Booking.objects.select_related(
            "facility__unit", "poli", "schedule__practitioner", "patient_dependant"
        )
        .filter(code=(code or "").upper())
        .first()
    )
    if booking is None or not user.is_authenticated:
        raise Http404
    if user.pk in (booking.booked_by_id, booking.patient_user_id):
        return booking
    if rules.has_perm("dokter.run_facility", user, booking.facility):
        return booking
    raise Http404


@dataclass(frozen=True)
class QueueStatus:
    """Named as in the BPJS online-queue interface where it has a name."""

    total: int  # totalantrean: every number taken (not cancelled)
    remaining: int  # sisaantrean: still waiting (booked or checked in)
    called: str  # antreanpanggil: the number called last
    served: int  # numbers done
    remaining_quota: int | None  # sisakuotajkn/nonjkn: online quota left today's sessions
    serving: tuple[str, ...]


SHOWN_CALLED = (S.CALLED, S.SERVING)


def _shown_call(letter, number, status) -> str:
    """The number "called now", as the console, the ticket and the TV show it: the entry
    the poli called (or recalled) last, while it is still called or in service; nothing
    once it is done, skipped (absent) or transferred."""
    return f"{letter}-{number}" if number is not None and status in SHOWN_CALLED else ""


def called_now(*, poli_id: int, date: datetime.date) -> str:
    row = (
        QueueCounter.objects.filter(poli_id=poli_id, date=date)
        .values_list("last_called__letter", "last_called__number", "last_called__status")
        .first()
    )
    return _shown_call(*row) if row else ""


def queue_status(*, poli: Poli, date: datetime.date) -> QueueStatus:
    rows = Booking.objects.filter(poli=poli, date=date).exclude(status=S.CANCELLED)
    agg = rows.aggregate(
        total=Count("pk"),
        remaining=Count("pk", filter=Q(status__in=Booking.WAITING)),
        served=Count("pk", filter=Q(status__in=(S.DONE, S.TRANSFERRED))),
        online=Count("pk", filter=Q(channel=Booking.Channel.ONLINE)),
    )
    serving = list(
        rows.filter(status=S.SERVING)
        .order_by("called_at", "number")
        .values_list("letter", "number")
    )
    quota = sum(
        s.online_quota for s in poli.schedules.all() if s.is_active and s.weekday == date.weekday()
    )
    return QueueStatus(
        total=agg["total"],
        remaining=agg["remaining"],
        called=called_now(poli_id=poli.pk, date=date),
        served=agg["served"],
        remaining_quota=max(quota - agg["online"], 0),
        serving=tuple(f"{letter}-{n}" for letter, n in serving),
    )


@dataclass(frozen=True)
class Ticket:
    booking: Booking
    position: int | None  # 1 = next; None when no longer waiting
    ahead: int
    serving: tuple[str, ...]  # in service now (the numbers in the rooms)
    estimated_at: datetime.datetime
    called: str = ""  # called now (the same number the console and the TV show)
    rating: object = None  # the patient's rating of a finished visit

    @property
    def finished(self) -> bool:
        return self.booking.status == S.DONE


def booking_ticket(*, booking: Booking, now: datetime.datetime | None = None) -> Ticket:
    """The live ticket: how many are ahead, who is called and served, when it is my turn."""
    now = timezone.localtime(now or timezone.now())
    same_queue = Booking.objects.filter(poli_id=booking.poli_id, date=booking.date)
    serving = tuple(
        f"{letter}-{n}"
        for letter, n in same_queue.filter(status=S.SERVING)
        .order_by("called_at", "number")
        .values_list("letter", "number")
    )
    called = called_now(poli_id=booking.poli_id, date=booking.date)
    if booking.status not in Booking.WAITING:
        rating = None
        if booking.status == S.DONE:
            rating = VisitRating.objects.filter(booking=booking).first()
        return Ticket(booking, None, 0, serving, booking.estimated_at, called, rating)
    order = list(
        waiting_order(same_queue.filter(status__in=Booking.WAITING)).values_list("pk", flat=True)
    )
    ahead = order.index(booking.pk) if booking.pk in order else 0
    in_rooms = len(serving) + (1 if called and called not in serving else 0)
    minutes = (ahead + in_rooms) * booking.poli.avg_service_minutes
    estimate = booking.estimated_at
    if booking.date == now.date():
        estimate = max(booking.estimated_at, now + datetime.timedelta(minutes=minutes))
    return Ticket(booking, ahead + 1, ahead, serving, estimate, called)


def console_queue(*, staff, poli: Poli, date: datetime.date) -> list[Booking]:
    """Today's queue of a poli for its clerks: active first in calling order, then closed."""
    ensure_facility_staff(staff, poli.facility)
    rank_order = waiting_order(
        Booking.objects.filter(poli=poli, date=date).select_related(
            "patient_user", "patient_dependant"
        )
    )
    return list(rank_order)


def display_state_for_code(*, code: str) -> dict:
    """The board by facility code: no query at all while the cache holds it."""
    key = f"dokter:display:code:{code}"
    facility_id = cache.get(key)
    if facility_id is None:
        facility_id = facility_get_public(code=code).pk
        cache.set(key, facility_id, 3600)
    return display_state(facility_id=facility_id)


def display_state(*, facility_id: int) -> dict:
    """What the waiting-room TV shows, cached until the next queue change (the services
    delete the key on commit) or a minute at most. Three queries when rebuilt."""
    key = display_cache_key(facility_id)
    state = cache.get(key)
    if state is not None:
        return state
    today = timezone.localdate()
    facility = Facility.objects.select_related("unit").get(pk=facility_id)
    polis = list(
        facility.polis.filter(is_active=True).order_by("letter").values("pk", "name", "letter")
    )
    rows = list(
        Booking.objects.filter(
            facility_id=facility_id,
            date=today,
            status__in=(S.CHECKED_IN, S.CALLED, S.SERVING),
        )
        .annotate(
            last_called=Exists(
                QueueCounter.objects.filter(
                    poli_id=OuterRef("poli_id"), date=today, last_called_id=OuterRef("pk")
                )
            )
        )
        .order_by("number")
        .values("poli_id", "number", "status", "priority", "call_count", "pk", "last_called")
    )
    boards = []
    for poli in polis:
        mine = [r for r in rows if r["poli_id"] == poli["pk"]]
        waiting = sorted(
            (r for r in mine if r["status"] == S.CHECKED_IN),
            key=lambda r: (r["priority"] == "", r["number"]),
        )
        # The same rule as called_now(): the entry called last, while called or served
        # (the rows are only the open ones; SHOWN_CALLED are among them).
        now_called = next(
            (r for r in mine if r["last_called"] and r["status"] in SHOWN_CALLED), None
        )
        boards.append(
            {
                "name": poli["name"],
                "letter": poli["letter"],
                "called": f"{poli['letter']}-{now_called['number']}" if now_called else "",
                "called_number": now_called["number"] if now_called else None,
                "call_id": (f"{now_called['pk']}.{now_called['call_count']}" if now_called else ""),
                "next": [f"{poli['letter']}-{r['number']}" for r in waiting[:DISPLAY_NEXT]],
                "waiting": len(waiting),
            }
        )
    state = {
        "facility": facility.name,
        "boards": boards,
        "updated": timezone.localtime().strftime("%H.%M.%S"),
        # Names this build of the state: the board's rendered HTML is cached by it.
        "version": secrets.token_hex(8),
    }
    cache.set(key, state, DISPLAY_CACHE_SECONDS)
    return state


# ---------------------------------------------------------------- national systems


@dataclass(frozen=True)
class IntegrationState:
    system: str
    label: str
    configured: bool
    last_success: datetime.datetime | None
    backlog: int
    failed: int
    retrying: int


def integration_states(*, facility: Facility) -> tuple[list[IntegrationState], list]:
    """BPJS and SATUSEHAT for one facility: whether it is set up, the last call that got
    through, what waits in the outbox, and the latest failures with their error (two
    queries for the outbox, whatever the number of messages)."""
    from binjai_portal.core import outbox

    from .bpjs.models import BpjsConfig
    from .satusehat.models import SatusehatConfig

    scope = f"dokter.facility:{facility.pk}"
    summary = outbox.outbox_summary(scope=scope)
    configured = {
        "bpjs": BpjsConfig.objects.filter(facility=facility).exists(),
        "satusehat": SatusehatConfig.objects.filter(facility=facility, enabled=True).exists(),
    }
    labels = {"bpjs": "BPJS Kesehatan (antrean)", "satusehat": "SATUSEHAT (Kemenkes)"}
    states = [
        IntegrationState(
            system=system,
            label=labels[system],
            configured=configured[system],
            last_success=summary.get(system, {}).get("last_success"),
            backlog=summary.get(system, {}).get("backlog", 0),
            failed=summary.get(system, {}).get("failed", 0),
            retrying=summary.get(system, {}).get("retrying", 0),
        )
        for system in ("bpjs", "satusehat")
    ]
    return states, list(outbox.outbox_failures(scope=scope))
