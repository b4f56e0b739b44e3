"""What the writes of e-Dokter share: the refusal, the counter locks, the step through
the workflow engine, the notifications and the outbox of the national platforms."""

from __future__ import annotations

import datetime
import secrets

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binjai_portal.accounts.models import Dependant
from binjai_portal.core import pagecache
from binjai_portal.core.notifications import EMAIL, SMS, Text, notify
from binjai_portal.core.workflow import TransitionRefused, transition

from ..models import Booking, Poli, QueueCounter, Schedule
from ..selectors import display_cache_key
from ..workflows import BOOKING

S = Booking.Status


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class BookingRefused(ValidationError):
    """A booking or queue action refused with a message for the user; nothing changed."""


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
    return timezone.localtime(now or timezone.now())


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


REMINDER, NEAR = "reminder", "near"  # the once keys' kinds


def _once_key(booking: Booking, what: str) -> str:
    """The reminder the day before and the "your turn is near" message go out once per
    entry (core `once`): `dokter.reminder:<id>`, `dokter.near:<id>`."""
    return f"dokter.{what}:{booking.pk}"


def _notify_people(booking: Booking, *, title: Text, body: Text | str = "") -> None:
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
    from ..integrations import booking_event

    booking_event(booking=booking, action=action, now=now or timezone.now())


def _step(booking: Booking, *, action: str, actor, note: str = "", fields=(), now=None):
    try:
        change = transition(
            booking,
            workflow=BOOKING,
            action=action,
            actor=actor,
            note=note,
            extra_fields=fields,
            today=(now or timezone.now()).date(),
        )
    except TransitionRefused as exc:
        raise BookingRefused(exc.message, code=exc.code) from exc
    _integrations(booking, action=action, now=now)
    return change


def _refuse_duplicate_patient() -> BookingRefused:
    return BookingRefused(
        _("Pasien ini sudah punya antrean aktif di poli ini pada tanggal itu."), code="duplicate"
    )
