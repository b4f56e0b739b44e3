"""The day's queue at the console: check-in, calling, serving, transfers. Each step
locks the poli's counter row, then the entry's (inside `transition()`)."""

from __future__ import annotations

import rules
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from binjai_portal.accounts.models import User
from binjai_portal.core import formatting
from binjai_portal.core.notifications import Text
from binjai_portal.core.once import once
from binjai_portal.core.workflow import workflow_started

from ..models import Booking, Facility, Poli, QueueCounter
from ..rules import ensure_facility_staff
from ..selectors import waiting_order
from ..workflows import BOOKING
from .common import (
    NEAR,
    BookingRefused,
    _ahead,
    _estimate,
    _lock_counter,
    _lock_counters,
    _not_waiting,
    _notify_people,
    _now,
    _once_key,
    _queue_changed,
    _refuse_duplicate,
    _save_new,
    _step,
)
from .day import _take_number

S = Booking.Status


NEAR_AHEAD = 3  # "3 numbers ahead" notification


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
            % {"date": formatting.date(booking.date)},
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
        title=Text(
            _l("Nomor %(number)s dipanggil, silakan ke %(poli)s"),
            number=booking.queue_number,
            poli=poli,
        ),
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
        if booking.booked_by_id is None or not once(_once_key(booking, NEAR)):
            continue  # nobody to tell, or told before
        _notify_people(
            booking,
            title=Text(
                _l("Antrean %(number)s: tinggal %(n)s nomor lagi"),
                number=booking.queue_number,
                n=NEAR_AHEAD,
            ),
            body=Text(_l("Silakan menuju %(poli)s."), poli=poli),
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


@transaction.atomic
def booking_mark_absent(*, staff: User, booking: Booking, note: str = "", now=None) -> Booking:
    """A called patient who does not come; can be put back later."""
    now = _now(now)
    booking = _staff_booking(staff, booking)
    _lock_counter(booking.poli, booking.date)
    _step(booking, action="mark_absent", actor=staff, note=note, now=now)
    _queue_changed(booking.facility_id)
    return booking


@transaction.atomic
def booking_requeue(*, staff: User, booking: Booking, note: str = "", now=None) -> Booking:
    """A late arrival back in the queue, keeping their number."""
    now = _now(now)
    booking = _staff_booking(staff, booking)
    _lock_counter(booking.poli, booking.date)
    booking.checked_in_at = now
    _step(booking, action="requeue", actor=staff, note=note, now=now, fields=["checked_in_at"])
    _queue_changed(booking.facility_id)
    return booking


@transaction.atomic
def booking_start_service(*, staff: User, booking: Booking, note: str = "", now=None) -> Booking:
    now = _now(now)
    booking = _staff_booking(staff, booking)
    _lock_counter(booking.poli, booking.date)
    booking.service_started_at = now
    _step(booking, action="start", actor=staff, note=note, now=now, fields=["service_started_at"])
    _queue_changed(booking.facility_id)
    return booking


@transaction.atomic
def booking_finish(*, staff: User, booking: Booking, note: str = "", now=None) -> Booking:
    now = _now(now)
    booking = _staff_booking(staff, booking)
    _lock_counter(booking.poli, booking.date)
    booking.finished_at = now
    _step(booking, action="finish", actor=staff, note=note, now=now, fields=["finished_at"])
    _queue_changed(booking.facility_id)
    return booking


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
    workflow_started(
        new,
        workflow=BOOKING,
        action="transfer_in",
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
