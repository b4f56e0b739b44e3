"""The day of a poli: its closures, the sessions' quota and the poli's number counter
(`QuotaCounter`, `QueueCounter`: the rows every new entry locks, in that order), and the
scheduled jobs at its end (closing the day, the reminders for tomorrow)."""

from __future__ import annotations

import datetime
import logging

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from binjai_portal.core import pagecache
from binjai_portal.core.notifications import Text
from binjai_portal.core.once import once, once_taken
from binjai_portal.core.workdays import is_holiday
from binjai_portal.core.workflow import transition_bulk

from ..models import Booking, FacilityClosure, Poli, QueueCounter, QuotaCounter, Schedule
from ..selectors import BOOKING_DAYS_AHEAD
from ..workflows import BOOKING
from .common import (
    REMINDER,
    BookingRefused,
    _integrations,
    _notify_people,
    _once_key,
    _queue_changed,
)

S = Booking.Status
logger = logging.getLogger(__name__)


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
    today = timezone.localdate()
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


# The end of the day's declared actions: in service -> done, any other open state -> absent.
CLOSE_DAY_ACTIONS = ("close_day_done", "close_day_absent")


@transaction.atomic
def queue_close_day(*, date: datetime.date) -> int:
    """At the end of the day open entries close themselves: those not served are absent,
    those in service are done. A system step (no actor) through the declared workflow
    actions, in bulk (one UPDATE and one history INSERT per action), so each closed
    entry has its history row like any other move."""
    open_entries = Booking.objects.filter(date__lte=date, status__in=Booking.ACTIVE)
    dates = set(open_entries.values_list("date", flat=True))
    # Same lock order as the daytime services: counters first, by (date, poli).
    counters = QueueCounter.objects.select_for_update().filter(date__in=dates)
    list(counters.order_by("date", "poli_id"))
    note = _("Ditutup otomatis di akhir hari")
    now = timezone.localtime()
    closed = {
        action: transition_bulk(
            open_entries, workflow=BOOKING, action=action, actor=None, note=note
        )
        for action in CLOSE_DAY_ACTIONS
    }
    action_of = {pk: action for action, pks in closed.items() for pk in pks}
    entries = list(Booking.objects.filter(pk__in=list(action_of)).order_by("pk"))
    for booking in entries:
        # BPJS hears of the no-show (task 99, batal) and of a visit closed in service.
        _integrations(booking, action=action_of[booking.pk], now=now)
    pagecache.invalidate("dokter")
    for facility_id in {b.facility_id for b in entries}:
        _queue_changed(facility_id)
    return len(entries)


@transaction.atomic
def booking_send_reminders(*, date: datetime.date) -> int:
    """The reminder the day before, once per booking: its once key is claimed in the
    notifications' transaction (a second run, or a second worker at once, sends none)."""
    booked = list(
        Booking.objects.filter(date=date, status=S.BOOKED)
        .select_related("poli", "facility__unit", "booked_by", "patient_user")
        .order_by("pk")
    )
    sent = once_taken(_once_key(b, REMINDER) for b in booked)
    reminded = 0
    for booking in booked:
        if _once_key(booking, REMINDER) in sent or not once(_once_key(booking, REMINDER)):
            continue  # reminded before, or by another worker a moment ago
        reminded += 1
        _notify_people(
            booking,
            title=Text(
                _l("Pengingat: antrean %(number)s besok di %(facility)s"),
                number=booking.queue_number,
                facility=booking.facility.name,
            ),
            body=Text(
                _l("%(poli)s, perkiraan dilayani pukul %(time)s. Kode booking %(code)s."),
                poli=booking.poli,
                code=booking.code,
                time=timezone.localtime(booking.estimated_at).time(),
            ),
        )
    return reminded
