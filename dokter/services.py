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
import hashlib
import logging
import secrets
import time
from contextlib import nullcontext

import rules
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from binjai_portal.accounts.models import Dependant, User
from binjai_portal.core import pagecache
from binjai_portal.core.models import StatusChange
from binjai_portal.core.notifications import EMAIL, SMS, notify
from binjai_portal.core.workdays import is_holiday
from binjai_portal.core.workflow import TransitionRefused, transition

from . import clock
from .models import (
    ApiToken,
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
from .workflows import BOOKING

logger = logging.getLogger(__name__)
S = Booking.Status
BOOKING_DAYS_AHEAD = 7
NEAR_AHEAD = 3  # "3 numbers ahead" notification
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class BookingRefused(ValidationError):
    """A booking or queue action refused with a message for the user; nothing changed."""


# ---------------------------------------------------------------- helpers


def display_cache_key(facility_id: int) -> str:
    return f"dokter:display:v1:{facility_id}"


def _queue_changed(facility_id: int) -> None:
    """The display board reads from the cache; drop it once the change is visible. The
    public e-Dokter pages too (bookings are inserted with raw SQL: no save signal), on
    commit only, so no cache round trip is made while the counters are locked."""
    transaction.on_commit(lambda: cache.delete(display_cache_key(facility_id)))
    pagecache.invalidate("dokter", immediate=False)


def _lock_counter(poli: Poli, date: datetime.date) -> QueueCounter:
    # INSERT ... ON CONFLICT DO NOTHING: concurrent first bookings of the day do not fail
    # on the unique constraint; the loser waits for the winner's row and then locks it.
    QueueCounter.objects.bulk_create([QueueCounter(poli=poli, date=date)], ignore_conflicts=True)
    return QueueCounter.objects.select_for_update().get(poli=poli, date=date)


def _lock_counters(polis: list[Poli], date: datetime.date) -> None:
    for poli in sorted(polis, key=lambda p: p.pk):
        _lock_counter(poli, date)


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def _local(date: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, time))


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return timezone.localtime(now or clock.now())


def _patient_fields(patient) -> dict:
    if isinstance(patient, Dependant):
        return {
            "patient_dependant": patient,
            "patient_user": None,
            "patient_name": patient.full_name,
            "patient_key": f"d{patient.pk}",
        }
    return {
        "patient_user": patient,
        "patient_dependant": None,
        "patient_name": patient.full_name,
        "patient_key": f"u{patient.pk}",
    }


def closure_reason(*, poli: Poli, date: datetime.date) -> str | None:
    """Why the poli does not serve on that day, or None when it is open."""
    if is_holiday(date):  # the weekly schedule decides the weekdays
        return _("Hari libur.")
    closure = (
        FacilityClosure.objects.filter(facility_id=poli.facility_id, date=date)
        .filter(Q(poli__isnull=True) | Q(poli=poli))
        .first()
    )
    return closure.reason if closure else None


def booking_cutoff(*, schedule: Schedule, date: datetime.date, facility: Facility):
    return _local(date, schedule.end) - datetime.timedelta(minutes=facility.cutoff_minutes)


def _estimate(*, schedule: Schedule | None, poli: Poli, date, ahead: int, now) -> datetime.datetime:
    start = _local(date, schedule.start) if schedule else now
    return max(start, now) + datetime.timedelta(minutes=ahead * poli.avg_service_minutes)


def _not_waiting(*, poli: Poli, date) -> int:
    """Entries of the poli's day that no longer wait (called, served, cancelled, ...).

    Read before the number is taken: every number below the new one belongs to exactly
    one entry (a rolled-back booking gives its number back), so the new entry has
    `number - 1 - not_waiting` entries waiting ahead of it, without a count under the lock.
    """
    return Booking.objects.filter(poli=poli, date=date).exclude(status__in=Booking.WAITING).count()


def _ahead(number: int, not_waiting: int) -> int:
    return max(number - 1 - not_waiting, 0)


def _counters_ensure(*, poli: Poli, date, schedule: Schedule | None = None) -> None:
    # INSERT ... ON CONFLICT DO NOTHING: concurrent first bookings of the day do not fail
    # on the unique constraints, and a row that exists is neither locked nor waited for.
    QueueCounter.objects.bulk_create([QueueCounter(poli=poli, date=date)], ignore_conflicts=True)
    if schedule is not None:
        QuotaCounter.objects.bulk_create(
            [QuotaCounter(schedule=schedule, date=date)], ignore_conflicts=True
        )


def _quota_field(channel: str) -> str:
    return "online_taken" if channel == Booking.Channel.ONLINE else "onsite_taken"


def _quota(schedule: Schedule, channel: str) -> int:
    return schedule.online_quota if channel == Booking.Channel.ONLINE else schedule.onsite_quota


def quota_taken(*, schedule: Schedule, date, channel: str = Booking.Channel.ONLINE) -> int | None:
    """Places of the session's quota taken on that day, read without any lock; None while
    the day's counters do not exist yet."""
    return (
        QuotaCounter.objects.filter(schedule=schedule, date=date)
        .values_list(_quota_field(channel), flat=True)
        .first()
    )


def _refuse_full() -> BookingRefused:
    return BookingRefused(
        _("Kuota sesi ini sudah penuh. Silakan pilih sesi atau hari lain."), code="full"
    )


FULL_FLAG_SECONDS = 15 * 60


def _full_key(schedule_id: int, date: datetime.date) -> str:
    return f"dokter:full:v1:{schedule_id}:{date.isoformat()}"


def session_marked_full(*, schedule_id: int, date: datetime.date) -> bool:
    """Whether the session's online quota was seen full, from the cache: no query, no
    lock. Set by the booking service when the counter says full and dropped when a
    cancellation gives a place back or the session's row changes (its quota raised:
    `schedule_changed`, connected in apps.py), so the 07:00 crowd is refused before the
    form, the service or the counter. A cache that is down says "not known": the request
    takes the ordinary path, where the counter refuses."""
    try:
        return bool(cache.get(_full_key(schedule_id, date)))
    except Exception:  # noqa: BLE001 - degrade, don't fail
        return False


def schedule_changed(sender, instance: Schedule, **kwargs) -> None:
    """post_save/post_delete of a Schedule: its quota may differ, so forget its full flags
    (the days that can be booked: today to BOOKING_DAYS_AHEAD)."""
    today = clock.today()
    keys = [
        _full_key(instance.pk, today + datetime.timedelta(days=d))
        for d in range(-1, BOOKING_DAYS_AHEAD + 1)
    ]
    try:
        cache.delete_many(keys)
    except Exception:  # noqa: BLE001 - the flags expire on their own
        logger.warning("could not clear the full flags of session %s", instance.pk)


def _mark_full(schedule: Schedule, date: datetime.date) -> None:
    def mark():
        try:
            cache.set(_full_key(schedule.pk, date), 1, FULL_FLAG_SECONDS)
        except Exception:  # noqa: BLE001 - no flag: the counter still refuses
            logger.warning("could not mark session %s full (cache down?)", schedule.pk)

    transaction.on_commit(mark)  # at once outside a transaction


def _unmark_full(schedule_id: int, date: datetime.date) -> None:
    def unmark():
        try:
            cache.delete(_full_key(schedule_id, date))
        except Exception:  # noqa: BLE001 - the flag expires on its own
            logger.warning("could not clear the full flag of session %s", schedule_id)

    transaction.on_commit(unmark)


def _take_place(*, schedule: Schedule | None, date, channel: str) -> None:
    """Take a place in the session's quota for its online or on-site entry, or refuse.

    Locks the session's QuotaCounter row until the transaction ends: the first lock of
    a new entry, before the poli's counter row (see the module's docstring)."""
    if schedule is None or channel == Booking.Channel.TRANSFER:
        return
    field = _quota_field(channel)
    taken = QuotaCounter.objects.filter(
        schedule=schedule, date=date, **{f"{field}__lt": _quota(schedule, channel)}
    ).update(**{field: F(field) + 1})
    if not taken:
        raise _refuse_full()


def _take_number(*, poli: Poli, date, schedule: Schedule | None, channel: str) -> int:
    """Take a place in the session's quota (refuse when full), then the poli's next number.

    Both rows stay locked until the transaction ends (create them with `_counters_ensure`
    first): whatever follows in the transaction prolongs the hold.
    """
    _take_place(schedule=schedule, date=date, channel=channel)
    table = connection.ops.quote_name(QueueCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_number = last_number + 1"  # noqa: S608 (model table name)
            " WHERE poli_id = %s AND date = %s RETURNING last_number",
            [poli.pk, date],
        )
        row = cursor.fetchone()
    if row is None:
        raise RuntimeError(f"QueueCounter for poli {poli.pk} on {date} is missing.")
    return row[0]


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


def _release_place(booking: Booking) -> None:
    """A cancelled entry gives its place back to the session's quota (not its number)."""
    if booking.schedule_id is None or booking.channel == Booking.Channel.TRANSFER:
        return
    field = _quota_field(booking.channel)
    QuotaCounter.objects.filter(
        schedule_id=booking.schedule_id, date=booking.date, **{f"{field}__gt": 0}
    ).update(**{field: F(field) - 1})
    if booking.channel == Booking.Channel.ONLINE:
        _unmark_full(booking.schedule_id, booking.date)


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


def _refuse_duplicate(*, poli: Poli, date, patient_key: str | None) -> None:
    if (
        patient_key
        and Booking.objects.filter(
            patient_key=patient_key, poli=poli, date=date, status__in=Booking.ACTIVE
        ).exists()
    ):
        raise BookingRefused(
            _("Pasien ini sudah punya antrean aktif di poli ini pada tanggal itu."),
            code="duplicate",
        )


def _save_new(booking: Booking) -> Booking:
    booking.code = _new_code()
    booking.full_clean()
    booking.save()
    return booking


def _log(booking: Booking, *, action: str, to_state: str, actor, note: str = "", from_state=""):
    StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(Booking),
        object_id=str(booking.pk),
        workflow=BOOKING.name,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )


def _notify_people(booking: Booking, *, title: str, body: str = "") -> None:
    """The account holder who booked, and the patient if they have their own account."""
    recipients = {u.pk: u for u in (booking.booked_by, booking.patient_user) if u is not None}
    for user in recipients.values():
        notify(
            recipient=user,
            title=title,
            body=body,
            url=booking.get_absolute_url(),
            channels=(EMAIL, SMS),
        )


def _integrations(booking: Booking, *, action: str, now=None) -> None:
    """Task times and visits for BPJS and SATUSEHAT, written to the outbox in this
    transaction (dokter/integrations.py); sent after commit, never from here."""
    from .integrations import booking_event

    booking_event(booking=booking, action=action, now=now or clock.now())


def _step(booking: Booking, *, action: str, actor, note: str = "", fields=(), now=None):
    try:
        change = transition(
            booking,
            workflow=BOOKING,
            action=action,
            actor=actor,
            note=note,
            extra_fields=fields,
            today=(now or clock.now()).date(),
        )
    except TransitionRefused as exc:
        raise BookingRefused(exc.message, code=exc.code) from exc
    _integrations(booking, action=action, now=now)
    return change


# ---------------------------------------------------------------- booking


def _refuse_duplicate_patient() -> BookingRefused:
    return BookingRefused(
        _("Pasien ini sudah punya antrean aktif di poli ini pada tanggal itu."), code="duplicate"
    )


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
    # A full session is refused by one read, no lock: most of the 07:00 crowd hear this.
    taken = quota_taken(schedule=schedule, date=date)
    if taken is not None and taken >= schedule.online_quota:
        _mark_full(schedule, date)
        raise _refuse_full()
    reason = closure_reason(poli=poli, date=date)
    if reason:
        raise BookingRefused(
            _("Layanan tutup pada tanggal itu: %(reason)s") % {"reason": reason}, code="closed"
        )
    if now >= booking_cutoff(schedule=schedule, date=date, facility=facility):
        raise BookingRefused(_("Pemesanan untuk sesi ini sudah ditutup."), code="cutoff")
    if payment == Booking.Payment.BPJS and not bpjs_number:
        raise BookingRefused(_("Isi nomor kartu BPJS untuk pembayaran BPJS."), code="bpjs")
    patient_fields = _patient_fields(patient) if person is None else person
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
    facts = Booking.objects.filter(poli=poli, date=date).aggregate(
        not_waiting=Count("pk", filter=~Q(status__in=Booking.WAITING)),
        mine=Count(
            "pk", filter=Q(patient_key=patient_fields["patient_key"], status__in=Booking.ACTIVE)
        ),
    )
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
        _log(booking, action="create", to_state=S.BOOKED, actor=actor)
        if on_created is not None:
            on_created(booking)
        _integrations(booking, action="create", now=now)
        _notify_people(
            booking,
            title=_("Antrean %(number)s di %(poli)s, %(facility)s")
            % {"number": booking.queue_number, "poli": poli.name, "facility": facility.name},
            body=_("Kode booking %(code)s, tanggal %(date)s, perkiraan dilayani pukul %(time)s.")
            % {
                "code": booking.code,
                "date": date.strftime("%d-%m-%Y"),
                "time": timezone.localtime(booking.estimated_at).strftime("%H.%M"),
            },
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
    _log(booking, action="register_onsite", to_state=S.CHECKED_IN, actor=staff)
    _integrations(booking, action="register_onsite", now=now)
    _queue_changed(poli.facility_id)
    return booking


# ---------------------------------------------------------------- the day's queue


def _staff_booking(staff: User, booking: Booking) -> Booking:
    booking = Booking.objects.select_related(
        "facility__unit", "poli", "schedule", "booked_by", "patient_user"
    ).get(pk=booking.pk)
    ensure_facility_staff(staff, booking.facility)
    return booking


@transaction.atomic
def booking_check_in(
    *,
    staff: User,
    code: str,
    priority: str = "",
    priority_note: str = "",
    facility: Facility | None = None,
    now=None,
) -> Booking:
    """Check in by booking code (typed or read from the QR); flag a priority patient.
    `facility` limits the search to one facility (a kiosk's API token)."""
    now = _now(now)
    booking = (
        Booking.objects.select_related("facility__unit", "poli")
        .filter(code=(code or "").strip().upper())
        .first()
    )
    if (
        booking is None
        or not rules.has_perm("dokter.run_facility", staff, booking.facility)
        or (facility is not None and booking.facility_id != facility.pk)
    ):
        raise BookingRefused(_("Kode booking tidak ditemukan di fasilitas ini."), code="code")
    if booking.date != now.date():
        raise BookingRefused(
            _("Antrean ini untuk tanggal %(date)s, bukan hari ini.")
            % {"date": booking.date.strftime("%d-%m-%Y")},
            code="date",
        )
    if priority and not priority_note.strip():
        raise BookingRefused(_("Tuliskan alasan prioritas."), code="priority")
    _lock_counter(booking.poli, booking.date)
    booking.checked_in_at = now
    booking.priority, booking.priority_note = priority, priority_note.strip()
    _step(
        booking,
        action="check_in",
        actor=staff,
        note=booking.priority_note,
        now=now,
        fields=["checked_in_at", "priority", "priority_note"],
    )
    _queue_changed(booking.facility_id)
    return booking


def waiting_order(qs):
    """Priority patients first, then by number."""
    rank = Case(When(priority="", then=Value(1)), default=Value(0), output_field=IntegerField())
    return qs.annotate(rank=rank).order_by("rank", "number")


def _called_now(*, poli: Poli, date) -> Booking | None:
    return (
        Booking.objects.filter(poli=poli, date=date, status=S.CALLED)
        .order_by("-called_at", "-pk")
        .first()
    )


@transaction.atomic
def queue_call_next(*, staff: User, poli: Poli, now=None) -> Booking | None:
    """Call the highest-priority, then lowest-numbered checked-in patient; None if nobody.

    One patient is called per poli at a time: while an entry is still "called" the next
    call is refused, and the clerk starts serving it, recalls it or marks it absent
    (skips it). Checked under the counter lock, so two clerks cannot both call."""
    now = _now(now)
    ensure_facility_staff(staff, poli.facility)
    counter = _lock_counter(poli, now.date())
    pending = _called_now(poli=poli, date=now.date())
    if pending is not None:
        raise BookingRefused(
            _(
                "Nomor %(number)s masih dipanggil. Mulai layani, panggil ulang, atau tandai"
                " tidak hadir lebih dulu."
            )
            % {"number": pending.queue_number},
            code="called",
        )
    waiting = waiting_order(
        Booking.objects.filter(poli=poli, date=now.date(), status=S.CHECKED_IN)
    ).select_related("booked_by", "patient_user", "poli")
    booking = waiting.first()
    if booking is None:
        return None
    booking.called_at, booking.call_count = now, booking.call_count + 1
    _step(booking, action="call", actor=staff, now=now, fields=["called_at", "call_count"])
    _set_last_called(counter, booking)
    _notify_people(
        booking,
        title=_("Nomor %(number)s dipanggil, silakan ke %(poli)s")
        % {"number": booking.queue_number, "poli": poli.name},
    )
    _notify_near(poli=poli, date=now.date())
    _queue_changed(poli.facility_id)
    return booking


def _set_last_called(counter: QueueCounter, booking: Booking) -> None:
    counter.last_called = booking
    counter.save(update_fields=["last_called"])


def _notify_near(*, poli: Poli, date) -> None:
    """Tell the booker whose entry now has NEAR_AHEAD numbers ahead to come in."""
    order = waiting_order(
        Booking.objects.filter(poli=poli, date=date, status__in=Booking.WAITING)
    ).select_related("booked_by", "patient_user")
    near = list(order[NEAR_AHEAD : NEAR_AHEAD + 1])
    for booking in near:
        if booking.notified_near or booking.booked_by_id is None:
            continue
        Booking.objects.filter(pk=booking.pk).update(notified_near=True)
        _notify_people(
            booking,
            title=_("Antrean %(number)s: tinggal %(n)s nomor lagi")
            % {"number": booking.queue_number, "n": NEAR_AHEAD},
            body=_("Silakan menuju %(poli)s.") % {"poli": poli.name},
        )


@transaction.atomic
def booking_recall(*, staff: User, booking: Booking, now=None) -> Booking:
    now = _now(now)
    booking = _staff_booking(staff, booking)
    counter = _lock_counter(booking.poli, booking.date)
    booking.called_at, booking.call_count = now, booking.call_count + 1
    _step(booking, action="recall", actor=staff, now=now, fields=["called_at", "call_count"])
    _set_last_called(counter, booking)
    _queue_changed(booking.facility_id)
    return booking


def _simple_step(action: str, *, set_time: str | None = None):
    @transaction.atomic
    def step(*, staff: User, booking: Booking, note: str = "", now=None) -> Booking:
        now = _now(now)
        booking = _staff_booking(staff, booking)
        _lock_counter(booking.poli, booking.date)
        fields = []
        if set_time:
            setattr(booking, set_time, now)
            fields.append(set_time)
        _step(booking, action=action, actor=staff, note=note, now=now, fields=fields)
        _queue_changed(booking.facility_id)
        return booking

    step.__name__ = f"booking_{action}"
    return step


booking_mark_absent = _simple_step("mark_absent")
booking_mark_absent.__doc__ = "A called patient who does not come; can be put back later."
booking_requeue = _simple_step("requeue", set_time="checked_in_at")
booking_requeue.__doc__ = "A late arrival back in the queue, keeping their number."
booking_start_service = _simple_step("start", set_time="service_started_at")
booking_finish = _simple_step("finish", set_time="finished_at")


@transaction.atomic
def booking_transfer(
    *, staff: User, booking: Booking, to_poli: Poli, note: str = "", now=None
) -> Booking:
    """End this entry and start one in another poli of the same facility (lab, pharmacy),
    so each poli's waiting time stays measurable. Returns the new entry."""
    now = _now(now)
    booking = _staff_booking(staff, booking)
    if to_poli.facility_id != booking.facility_id or to_poli.pk == booking.poli_id:
        raise BookingRefused(_("Pilih poli lain di fasilitas yang sama."), code="poli")
    _lock_counters([booking.poli, to_poli], booking.date)
    _refuse_duplicate(poli=to_poli, date=booking.date, patient_key=booking.patient_key)
    booking.finished_at = now
    _step(booking, action="transfer", actor=staff, note=note, now=now, fields=["finished_at"])
    number = _take_number(
        poli=to_poli, date=booking.date, schedule=None, channel=Booking.Channel.TRANSFER
    )
    taken = {
        "number": number,
        "letter": to_poli.letter,
        "estimated_at": _estimate(
            schedule=None,
            poli=to_poli,
            date=booking.date,
            now=now,
            ahead=_ahead(number, _not_waiting(poli=to_poli, date=booking.date)),
        ),
    }
    new = _save_new(
        Booking(
            facility_id=booking.facility_id,
            poli=to_poli,
            schedule=None,
            date=booking.date,
            channel=Booking.Channel.TRANSFER,
            status=S.CHECKED_IN,
            booked_by=booking.booked_by,
            patient_user=booking.patient_user,
            patient_dependant_id=booking.patient_dependant_id,
            patient_name=booking.patient_name,
            patient_key=booking.patient_key,
            payment=booking.payment,
            bpjs_number=booking.bpjs_number,
            complaint=booking.complaint,
            priority=booking.priority,
            priority_note=booking.priority_note,
            transferred_from=booking,
            checked_in_at=now,
            **taken,
        )
    )
    _log(
        new,
        action="transfer_in",
        to_state=S.CHECKED_IN,
        actor=staff,
        note=f"{booking.poli.name} {booking.queue_number}",
    )
    _queue_changed(booking.facility_id)
    return new


@transaction.atomic
def booking_transfer_undo(*, staff: User, booking: Booking, now=None) -> Booking:
    """Take back a transfer whose new entry has not been called yet."""
    now = _now(now)
    booking = _staff_booking(staff, booking)
    new = booking.transfers.filter(status=S.CHECKED_IN).select_related("poli").first()
    if booking.status != S.TRANSFERRED or new is None:
        raise BookingRefused(_("Rujukan ini tidak bisa dibatalkan lagi."), code="undeclared")
    _lock_counters([booking.poli, new.poli], booking.date)
    _step(new, action="withdraw", actor=staff, now=now)  # a transfer: no quota place
    booking.finished_at = None
    _step(booking, action="undo_transfer", actor=staff, now=now, fields=["finished_at"])
    _queue_changed(booking.facility_id)
    return booking


CLOSE_DAY_ACTIONS = {S.SERVING: "close_day_done"}  # every other open state: absent


@transaction.atomic
def queue_close_day(*, date: datetime.date) -> int:
    """At the end of the day open entries close themselves: those not served are absent,
    those in service are done. A system step (no actor) through the declared workflow
    actions, so each closed entry has its history row like any other move."""
    open_entries = Booking.objects.filter(date__lte=date, status__in=Booking.ACTIVE)
    dates = set(open_entries.values_list("date", flat=True))
    # Same lock order as the daytime services: counters first, by (date, poli).
    counters = QueueCounter.objects.select_for_update().filter(date__in=dates)
    list(counters.order_by("date", "poli_id"))
    entries = list(open_entries.order_by("pk"))
    note = _("Ditutup otomatis di akhir hari")
    now = clock.now()
    for booking in entries:
        action = CLOSE_DAY_ACTIONS.get(booking.status, "close_day_absent")
        transition(booking, workflow=BOOKING, action=action, actor=None, note=note, today=date)
        # BPJS hears of the no-show (task 99, batal) and of a visit closed in service.
        _integrations(booking, action=action, now=now)
    pagecache.invalidate("dokter")
    for facility_id in {b.facility_id for b in entries}:
        _queue_changed(facility_id)
    return len(entries)


@transaction.atomic
def booking_send_reminders(*, date: datetime.date) -> int:
    """The reminder the day before: once per booking (`reminded`), under a row lock."""
    due = list(
        Booking.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(date=date, status=S.BOOKED, reminded=False)
        .select_related("poli", "facility__unit", "booked_by", "patient_user")
    )
    for booking in due:
        _notify_people(
            booking,
            title=_("Pengingat: antrean %(number)s besok di %(facility)s")
            % {"number": booking.queue_number, "facility": booking.facility.name},
            body=_("%(poli)s, perkiraan dilayani pukul %(time)s. Kode booking %(code)s.")
            % {
                "poli": booking.poli.name,
                "code": booking.code,
                "time": timezone.localtime(booking.estimated_at).strftime("%H.%M"),
            },
        )
    Booking.objects.filter(pk__in=[b.pk for b in due]).update(reminded=True)
    return len(due)


# ---------------------------------------------------------------- rating


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


# ---------------------------------------------------------------- API tokens

TOKEN_PREFIX = "bdk_"


def api_token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, owner: User, facility: Facility, name: str) -> tuple[ApiToken, str]:
    """Issue a token acting as `owner` for `facility`. Returns the row and the token,
    which is not stored and can be shown only now."""
    if not rules.has_perm("dokter.run_facility", owner, facility):
        raise BookingRefused(_("Pemilik token harus petugas fasilitas ini."), code="owner")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        owner=owner,
        facility=facility,
        name=name.strip(),
        prefix=raw[len(TOKEN_PREFIX) :][:8],
        digest=api_token_digest(raw),
    )
    token.full_clean()
    token.save()
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, now=None) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
