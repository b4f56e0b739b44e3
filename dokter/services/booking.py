"""Writes of e-Dokter: bookings, on-site registrations and the moves of the day's queue.

Every change to a queue takes the rows it locks in one order: the session's quota row
(`QuotaCounter`, when a place is taken or given back), then the poli's day counter row
(`QueueCounter`), then the entry's row (inside `transition()`); counters of two polis
in ascending id order. So two clerks, or a clerk and a booking citizen, never deadlock.

A citizen's booking (`booking_create`) holds the counter row for as short as possible,
because at 07:00 hundreds of citizens book the same poli at once and they all queue on
that one row: everything that can be checked is checked before the lock, the lock is
taken by the statement that takes the number, the database's constraints stand in for
`full_clean()`'s queries, and the history and notifications are written after the
lock is gone.
"""

from __future__ import annotations

import datetime
import time
from contextlib import nullcontext

import rules
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from binjai_portal.accounts.models import Dependant, User
from binjai_portal.core.notifications import Text
from binjai_portal.core.workdays import is_holiday
from binjai_portal.core.workflow import workflow_started

from ..models import (
    Booking,
    FacilityClosure,
    Poli,
    QueueCounter,
    QuotaCounter,
    Schedule,
    VisitRating,
)
from ..rules import ensure_facility_staff
from ..selectors import BOOKING_DAYS_AHEAD, booking_cutoff
from ..workflows import BOOKING
from .common import (
    BookingRefused,
    _ahead,
    _estimate,
    _integrations,
    _lock_counter,
    _new_code,
    _not_waiting,
    _notify_people,
    _now,
    _patient_fields,
    _queue_changed,
    _refuse_duplicate_patient,
    _save_new,
    _step,
)
from .day import (
    _counters_ensure,
    _mark_full,
    _quota,
    _quota_field,
    _refuse_full,
    _release_place,
    _take_number,
    closure_reason,
    quota_taken,
)

S = Booking.Status


def _insert_numbered(
    booking: Booking,
    *,
    schedule: Schedule,
    start: datetime.datetime,
    not_waiting: int,
    own_transaction: bool,
) -> tuple[float, float] | None:
    """PostgreSQL: take the place, the number and insert the entry in ONE statement. The
    quota's UPDATE runs first (the number's UPDATE waits on its result), keeping the lock
    order of the module docstring. Returns when the lock was taken (PostgreSQL's clock),
    or None when the quota is full (then nothing changed). The entry that takes the last
    online place marks the session full in the cache (`session_marked_full`).

    Outside a transaction the statement is its own transaction: the rows are released
    when it ends, in the same round trip, and its commit does not wait for the WAL flush
    (`synchronous_commit` off for this transaction alone; otherwise the flush, a few ms on
    this disk, would be spent holding the rows). It is durable all the same before the
    citizen is told the number: the history written next commits synchronously, which
    flushes the WAL up to and including this statement. Inside an outer transaction the
    rows are held until it commits, and the setting is left alone."""
    async_commit = (
        ""
        if not own_transaction
        else (" AND set_config('synchronous_commit', 'off', true) = 'off'")
    )
    qn = connection.ops.quote_name
    field = _quota_field(booking.channel)
    columns, values, params = [], [], []
    for f in Booking._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(qn(f.column))
        if f.name == "number":
            values.append("n.last_number")
        elif f.name == "estimated_at":
            # _estimate(): the session's start (or now) + those waiting ahead x service time
            values.append("%s + greatest(n.last_number - 1 - %s, 0) * %s * interval '1 minute'")
            params += [start, not_waiting, booking.poli.avg_service_minutes]
        else:
            values.append("%s")
            params.append(f.get_db_prep_save(f.pre_save(booking, True), connection))
    sql = (
        f"WITH q AS (UPDATE {qn(QuotaCounter._meta.db_table)} SET {field} = {field} + 1"  # noqa: S608 (model names)
        f" WHERE schedule_id = %s AND date = %s AND {field} < %s{async_commit}"
        f" AND EXISTS (SELECT 1 FROM {qn(QueueCounter._meta.db_table)}"
        "  WHERE poli_id = %s AND date = %s)"  # no place taken without a number to give
        f" RETURNING clock_timestamp() AS locked_at, {field} AS taken),"
        f" n AS (UPDATE {qn(QueueCounter._meta.db_table)} SET last_number = last_number + 1"
        " WHERE poli_id = %s AND date = %s AND EXISTS (SELECT 1 FROM q) RETURNING last_number)"
        f" INSERT INTO {qn(Booking._meta.db_table)} ({', '.join(columns)})"
        f" SELECT {', '.join(values)} FROM n"
        f" RETURNING {qn('id')}, {qn('number')}, {qn('estimated_at')},"
        " (SELECT extract(epoch FROM locked_at) FROM q), extract(epoch FROM clock_timestamp()),"
        " (SELECT taken FROM q)"
    )
    head = [
        schedule.pk,
        booking.date,
        _quota(schedule, booking.channel),
        booking.poli_id,
        booking.date,
        booking.poli_id,
        booking.date,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, head + params)
        row = cursor.fetchone()
    if row is None:
        return None
    booking.pk, booking.number, booking.estimated_at, locked_at, done_at, taken = row
    booking._state.adding, booking._state.db = False, connection.alias
    if taken >= _quota(schedule, booking.channel) and booking.channel == Booking.Channel.ONLINE:
        _mark_full(schedule, booking.date)  # this entry took the last place
    return float(locked_at), float(done_at)


class _HoldTimer:
    """Times the counter lock for bench/booking_burst.py: one line per booking attempt in
    settings.DOKTER_LOCK_TIMING_FILE (empty, the default: nothing is measured or written)."""

    def __init__(self):
        self.path = settings.DOKTER_LOCK_TIMING_FILE
        self.cpu0 = time.process_time()
        self.asked = self.locked = self.written = self.released = None

    def ask(self):
        self.asked = time.time()

    def lock(self, at: float | None = None, written: float | None = None):
        """`at` and `written`: PostgreSQL's clock when it locked the rows and when it had
        written the entry (its commit, without a flush, follows at once)."""
        self.locked, self.written = at or time.time(), written

    def release(self):
        self.released = time.time()

    def write(self, outcome: str):
        if not self.path:
            return
        wait = hold = seen = -1.0
        if self.locked:
            wait = (self.locked - self.asked) * 1000
            seen = ((self.released or time.time()) - self.locked) * 1000
            hold = (self.written - self.locked) * 1000 if self.written else seen
        cpu = (time.process_time() - self.cpu0) * 1000
        with open(self.path, "a") as log:  # one short line: an atomic append
            log.write(f"{outcome} {wait:.3f} {hold:.3f} {cpu:.3f} {seen:.3f}\n")


def _booking_facts(*, schedule: Schedule, poli: Poli, date: datetime.date, patient_key) -> dict:
    """What a booking needs to know before it takes the lock, in ONE statement without
    a lock (read committed: each part is as of this statement): the places of the
    session's quota taken that day (None before the day's counters exist), the reason of
    an ad-hoc closure of the facility or the poli (None when open; `closure_reason`
    without the holidays), the poli's entries of the day that no longer wait
    (`_not_waiting`) and whether this patient already has an active entry there.

    Raw SQL on purpose: it runs for every booking attempt of the 07:00 rush, and the
    three querysets it replaces cost more CPU to compile than to run."""
    qn = connection.ops.quote_name
    day = connection.ops.adapt_datefield_value(date)
    waiting = ", ".join(["%s"] * len(Booking.WAITING))
    active = ", ".join(["%s"] * len(Booking.ACTIVE))
    sql = (
        f"SELECT (SELECT online_taken FROM {qn(QuotaCounter._meta.db_table)}"  # noqa: S608 (model names)
        "  WHERE schedule_id = %s AND date = %s),"
        f" (SELECT reason FROM {qn(FacilityClosure._meta.db_table)}"
        "  WHERE facility_id = %s AND date = %s AND (poli_id IS NULL OR poli_id = %s)"
        "  ORDER BY id LIMIT 1),"
        f" COUNT(*) FILTER (WHERE status NOT IN ({waiting})),"
        f" COUNT(*) FILTER (WHERE patient_key = %s AND status IN ({active}))"
        f" FROM {qn(Booking._meta.db_table)} WHERE poli_id = %s AND date = %s"
    )
    params = [
        schedule.pk,
        day,
        poli.facility_id,
        day,
        poli.pk,
        *Booking.WAITING,
        patient_key,
        *Booking.ACTIVE,
        poli.pk,
        day,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        taken, closure, not_waiting, mine = cursor.fetchone()
    return {"taken": taken, "closure": closure, "not_waiting": not_waiting, "mine": mine}


def _check_fields(booking: Booking) -> None:
    """Field validation without queries: the database checks the foreign keys and the
    unique constraints (which `full_clean()` would re-check with a query each)."""
    try:
        booking.clean_fields(
            exclude=[f.name for f in Booking._meta.fields if f.is_relation]
            + ["code", "number", "estimated_at"]
        )
    except ValidationError as exc:
        raise BookingRefused(exc.messages[0], code="invalid") from exc


def booking_create(
    *,
    actor: User,
    schedule: Schedule,
    date: datetime.date,
    patient: User | Dependant,
    payment: str,
    bpjs_number: str = "",
    complaint: str = "",
    now: datetime.datetime | None = None,
    source: str = Booking.Source.PORTAL,
    person: dict | None = None,
    on_created=None,
) -> Booking:
    """Book a numbered place for the actor or one of their dependants.

    A partner channel (Mobile JKN) books with `actor=None` and `person` (the
    patient's name and key) instead of `patient`; `on_created(booking)` writes its own
    rows in the transaction that records the booking.

    Three steps (one transaction when called inside another): checks and reads, no lock
    (a full session is refused here); a short transaction that takes the number and the
    place and inserts the entry, holding the poli's counter row for those three
    statements only; then the history, the notifications and the board's cache.
    """
    timer = _HoldTimer()
    try:
        booking = _booking_create(
            actor=actor,
            schedule=schedule,
            date=date,
            patient=patient,
            payment=payment,
            bpjs_number=bpjs_number,
            complaint=complaint,
            now=now,
            timer=timer,
            source=source,
            person=person,
            on_created=on_created,
        )
    except BookingRefused as exc:
        timer.write(f"refused:{exc.code}")
        raise
    timer.write("booked")
    return booking


def _can_book_for(actor: User, patient) -> bool:
    """persons_user_can_act_for()'s rule (the account holder and their dependants),
    checked on the rows at hand instead of a query: this runs once per booking."""
    if isinstance(patient, Dependant):
        return patient.guardian_id == actor.pk
    return isinstance(patient, User) and patient.pk == actor.pk


def _booking_create(
    *,
    actor,
    schedule,
    date,
    patient,
    payment,
    bpjs_number,
    complaint,
    now,
    timer: _HoldTimer,
    source=Booking.Source.PORTAL,
    person=None,
    on_created=None,
) -> Booking:
    now = _now(now)
    if Schedule.poli.is_cached(schedule) and Poli.facility.is_cached(schedule.poli):
        poli = schedule.poli  # loaded by the caller with its facility: no second read
    else:
        poli = Poli.objects.select_related("facility__unit").get(pk=schedule.poli_id)
    facility = poli.facility
    if person is None and not _can_book_for(actor, patient):
        raise BookingRefused(
            _("Anda hanya dapat memesan untuk diri sendiri atau anggota keluarga yang terdaftar."),
            code="patient",
        )
    if not (facility.is_active and poli.is_active and poli.bookable_online and schedule.is_active):
        raise BookingRefused(_("Poli ini tidak menerima pemesanan daring."), code="closed")
    today = now.date()
    if not today <= date <= today + datetime.timedelta(days=BOOKING_DAYS_AHEAD):
        raise BookingRefused(
            _("Pilih tanggal mulai hari ini sampai %(n)s hari ke depan.")
            % {"n": BOOKING_DAYS_AHEAD},
            code="date",
        )
    if schedule.weekday != date.weekday():
        raise BookingRefused(_("Sesi ini tidak ada pada tanggal yang dipilih."), code="date")
    patient_fields = _patient_fields(patient) if person is None else person
    # One read, no lock, for every fact the booking depends on; a full session is
    # refused here: most of the 07:00 crowd hear this.
    facts = _booking_facts(
        schedule=schedule, poli=poli, date=date, patient_key=patient_fields["patient_key"]
    )
    taken = facts["taken"]
    if taken is not None and taken >= schedule.online_quota:
        _mark_full(schedule, date)
        raise _refuse_full()
    reason = _("Hari libur.") if is_holiday(date) else facts["closure"]
    if reason:
        raise BookingRefused(
            _("Layanan tutup pada tanggal itu: %(reason)s") % {"reason": reason}, code="closed"
        )
    if now >= booking_cutoff(schedule=schedule, date=date, facility=facility):
        raise BookingRefused(_("Pemesanan untuk sesi ini sudah ditutup."), code="cutoff")
    if payment == Booking.Payment.BPJS and not bpjs_number:
        raise BookingRefused(_("Isi nomor kartu BPJS untuk pembayaran BPJS."), code="bpjs")
    booking = Booking(
        facility=facility,
        poli=poli,
        schedule=schedule,
        date=date,
        code=_new_code(),
        letter=poli.letter,
        channel=Booking.Channel.ONLINE,
        source=source,
        status=S.BOOKED,
        booked_by=actor,
        payment=payment,
        bpjs_number=bpjs_number if payment == Booking.Payment.BPJS else "",
        complaint=complaint.strip(),
        **patient_fields,
    )
    _check_fields(booking)
    # A patient who already has a place is refused without the lock too. The quota's
    # condition and the unique constraint below catch whoever slips past these reads.
    if facts["mine"]:
        raise _refuse_duplicate_patient()
    if taken is None:  # the day's first booking: the quota row comes after the counter's
        _counters_ensure(poli=poli, date=date, schedule=schedule)

    outermost = not connection.in_atomic_block
    timer.ask()
    try:
        if connection.vendor == "postgresql":
            # Inside a transaction, a savepoint keeps it usable after a refused insert.
            start = _estimate(schedule=schedule, poli=poli, date=date, now=now, ahead=0)
            for attempt in (1, 2):
                with nullcontext() if outermost else transaction.atomic():
                    clocks = _insert_numbered(
                        booking,
                        schedule=schedule,
                        not_waiting=facts["not_waiting"],
                        own_transaction=outermost,
                        start=start,
                    )
                if clocks is not None or attempt == 2:
                    break
                # Nothing changed: the quota is full, or a counter row is missing.
                taken = quota_taken(schedule=schedule, date=date)
                if taken is not None and taken >= schedule.online_quota:
                    break
                _counters_ensure(poli=poli, date=date, schedule=schedule)
            if clocks is None:
                _mark_full(schedule, date)
                raise _refuse_full()
            timer.lock(*clocks)
        else:  # the same statements one by one (SQLite, `make run`)
            with transaction.atomic():
                booking.number = _take_number(
                    poli=poli, date=date, schedule=schedule, channel=Booking.Channel.ONLINE
                )
                timer.lock()
                booking.estimated_at = _estimate(
                    schedule=schedule,
                    poli=poli,
                    date=date,
                    now=now,
                    ahead=_ahead(booking.number, facts["not_waiting"]),
                )
                booking.save(force_insert=True)
    except IntegrityError as exc:
        if "one_active_per_patient" in _violated(exc):
            raise _refuse_duplicate_patient() from exc
        raise
    finally:
        timer.release()  # the statement's commit (or rollback) released the rows

    with transaction.atomic():
        workflow_started(booking, workflow=BOOKING, actor=actor)
        if on_created is not None:
            on_created(booking)
        _integrations(booking, action="create", now=now)
        _notify_people(
            booking,
            title=Text(
                _l("Antrean %(number)s di %(poli)s, %(facility)s"),
                number=booking.queue_number,
                poli=poli,
                facility=facility.name,
            ),
            body=Text(
                _l("Kode booking %(code)s, tanggal %(date)s, perkiraan dilayani pukul %(time)s."),
                code=booking.code,
                date=date,
                time=timezone.localtime(booking.estimated_at).time(),
            ),
        )
        _queue_changed(facility.pk)
    return booking


def _violated(exc: IntegrityError) -> str:
    """The name of the violated constraint (PostgreSQL), else the message (SQLite)."""
    diag = getattr(exc.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        return name
    text = str(exc)
    # SQLite names the columns, not the constraint.
    return "one_active_per_patient" if "patient_key" in text else text


@transaction.atomic
def booking_cancel(*, actor: User, booking: Booking, now=None) -> Booking:
    """Cancel a booked place before the cutoff; the place returns to the quota."""
    now = _now(now)
    booking = Booking.objects.select_related("facility", "schedule", "poli").get(pk=booking.pk)
    is_staff = rules.has_perm("dokter.run_facility", actor, booking.facility)
    if not is_staff and booking.booked_by_id != actor.pk:
        raise Http404
    if (
        not is_staff
        and booking.schedule
        and now
        >= booking_cutoff(schedule=booking.schedule, date=booking.date, facility=booking.facility)
    ):
        raise BookingRefused(_("Batas waktu pembatalan sudah lewat."), code="cutoff")
    _release_place(booking)  # the session's row first: the lock order of a new entry
    _lock_counter(booking.poli, booking.date)
    _step(booking, action="cancel", actor=actor, now=now)
    _queue_changed(booking.facility_id)
    return booking


@transaction.atomic
def booking_register_onsite(
    *,
    staff: User,
    poli: Poli,
    patient_name: str,
    payment: str,
    bpjs_number: str = "",
    complaint: str = "",
    priority: str = "",
    priority_note: str = "",
    now=None,
    source: str = Booking.Source.COUNTER,
) -> Booking:
    """A patient registered at the counter: present at once, numbered in the same sequence."""
    now = _now(now)
    ensure_facility_staff(staff, poli.facility)
    today = now.date()
    schedule = (
        Schedule.objects.filter(
            poli=poli, weekday=today.weekday(), is_active=True, end__gt=now.time()
        )
        .order_by("start")
        .first()
    )
    if schedule is None:
        raise BookingRefused(_("Tidak ada sesi poli ini yang masih buka hari ini."), code="closed")
    reason = closure_reason(poli=poli, date=today)
    if reason:
        raise BookingRefused(
            _("Layanan tutup hari ini: %(reason)s") % {"reason": reason}, code="closed"
        )
    if payment == Booking.Payment.BPJS and not bpjs_number:
        raise BookingRefused(_("Isi nomor kartu BPJS untuk pembayaran BPJS."), code="bpjs")
    if priority and not priority_note.strip():
        raise BookingRefused(_("Tuliskan alasan prioritas."), code="priority")
    not_waiting = _not_waiting(poli=poli, date=today)
    _counters_ensure(poli=poli, date=today, schedule=schedule)
    number = _take_number(poli=poli, date=today, schedule=schedule, channel=Booking.Channel.ONSITE)
    taken = {
        "number": number,
        "letter": poli.letter,
        "estimated_at": _estimate(
            schedule=schedule, poli=poli, date=today, now=now, ahead=_ahead(number, not_waiting)
        ),
    }
    booking = _save_new(
        Booking(
            facility=poli.facility,
            poli=poli,
            schedule=schedule,
            date=today,
            channel=Booking.Channel.ONSITE,
            source=source,
            status=S.CHECKED_IN,
            booked_by=None,
            patient_name=patient_name.strip(),
            patient_key=None,
            payment=payment,
            bpjs_number=bpjs_number if payment == Booking.Payment.BPJS else "",
            complaint=complaint.strip(),
            priority=priority,
            priority_note=priority_note.strip(),
            checked_in_at=now,
            **taken,
        )
    )
    workflow_started(booking, workflow=BOOKING, action="register_onsite", actor=staff)
    _integrations(booking, action="register_onsite", now=now)
    _queue_changed(poli.facility_id)
    return booking


@transaction.atomic
def booking_rate(*, actor: User, booking: Booking, stars: int, comment: str = "") -> VisitRating:
    """The patient's (or their booker's) rating of a finished visit, once per entry, as
    Mobile JKN asks after a visit. The one-to-one row refuses a second rating."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if actor.pk not in (booking.booked_by_id, booking.patient_user_id):
        raise Http404
    if booking.status != S.DONE:
        raise BookingRefused(_("Layanan baru dapat dinilai setelah selesai."), code="not_done")
    if VisitRating.objects.filter(booking=booking).exists():
        raise BookingRefused(_("Kunjungan ini sudah Anda nilai. Terima kasih."), code="rated")
    rating = VisitRating(booking=booking, stars=stars, comment=comment.strip(), rated_by=actor)
    try:
        rating.full_clean(exclude=["booking"])
    except ValidationError as exc:
        raise BookingRefused(exc.messages[0], code="invalid") from exc
    rating.save()
    return rating
