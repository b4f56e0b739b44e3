"""What the national platforms hear of a queue step: called by dokter/services/common.py
in the step's own transaction (`_integrations`), it only writes outbox rows
(binjai_portal/core/outbox.py); Celery sends them after commit, so BPJS or SATUSEHAT
being slow or down never slows the console.

A Mobile JKN cancellation arrives from BPJS itself: `from_bpjs()` marks the request so
that it is not reported back to BPJS as a cancellation.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from .bpjs import outbound as bpjs
from .bpjs.models import BpjsConfig
from .models import Booking
from .satusehat import outbound as satusehat
from .satusehat.models import SatusehatConfig

_FROM_BPJS: ContextVar[bool] = ContextVar("dokter_from_bpjs", default=False)


@contextmanager
def from_bpjs():
    reset = _FROM_BPJS.set(True)
    try:
        yield
    finally:
        _FROM_BPJS.reset(reset)


def quota_fields(booking: Booking) -> dict:
    """The catalogue's quota fields: JKN = the online quota (portal and Mobile JKN book
    from it), non-JKN = the on-site quota (counter and kiosk)."""
    from .bpjs.ws import quota_of

    return (
        quota_of(booking.schedule, booking.date)
        if booking.schedule_id
        else {
            "sisakuotajkn": 0,
            "kuotajkn": 0,
            "sisakuotanonjkn": 0,
            "kuotanonjkn": 0,
        }
    )


def _bpjs(booking: Booking, action: str, now) -> None:
    config = BpjsConfig.objects.filter(facility_id=booking.facility_id).first()
    if config is None or not config.can_send:
        return
    pharmacy = config.pharmacy_poli_id and booking.poli_id == config.pharmacy_poli_id
    if pharmacy:
        root = booking.transferred_from
        while root is not None and root.transferred_from_id:
            root = root.transferred_from
        if root is None:
            return
        taskid = {"start": 6, "finish": 7}.get(action)
        if taskid:
            bpjs.task_write(booking=booking, taskid=taskid, moment=now, code=root.code)
        return
    if booking.channel == Booking.Channel.TRANSFER:
        return  # lab and other internal stations: not a BPJS task
    if action in ("create", "register_onsite") and booking.source != Booking.Source.MOBILE_JKN:
        bpjs.write(
            booking=booking,
            path="antrean/add",
            body=bpjs.add_body(booking, quota=quota_fields(booking)),
            dedupe="add",
        )
    if action in ("check_in", "register_onsite"):
        moment = booking.checked_in_at or now
        for taskid in (1, 2, 3):
            bpjs.task_write(booking=booking, taskid=taskid, moment=moment)
    elif action == "start":
        bpjs.task_write(booking=booking, taskid=4, moment=booking.service_started_at or now)
    elif action in ("finish", "transfer"):
        bpjs.task_write(booking=booking, taskid=5, moment=booking.finished_at or now)
    elif action == "close_day_done":  # still in service when the day closed
        bpjs.task_write(booking=booking, taskid=5, moment=now)
    elif action in ("cancel", "withdraw", "close_day_absent"):
        # Task 99 is the catalogue's "tidak hadir/batal": a cancellation, or a patient who
        # never came by the end of the day.
        bpjs.task_write(booking=booking, taskid=99, moment=now)
        if not _FROM_BPJS.get():
            reason = (
                "Pasien tidak hadir" if action == "close_day_absent" else "Dibatalkan di fasilitas"
            )
            bpjs.write(
                booking=booking,
                path="antrean/batal",
                body={"kodebooking": booking.code, "keterangan": reason},
                dedupe="batal",
            )


def _satusehat(booking: Booking, action: str) -> None:
    if action != "finish":
        return
    if not SatusehatConfig.objects.filter(facility_id=booking.facility_id, enabled=True).exists():
        return
    if satusehat.nik_of(booking):
        satusehat.write(booking=booking)


def booking_event(*, booking: Booking, action: str, now) -> None:
    _bpjs(booking, action, now)
    _satusehat(booking, action)
