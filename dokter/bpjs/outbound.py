"""Outbound calls to BPJS antreanrest (Web Service Antrean - BPJS, diakses oleh sistem
RS): tambah antrean (`antrean/add`), update waktu antrean (`antrean/updatewaktu`, task
1–7 and 99) and batal antrean (`antrean/batal`). Written to the outbox by
`dokter/integrations.py`, sent by the handler below after commit.

Task times come from the queue's own steps: check in = 1, 2, 3 (arrival at admission,
admission served, poli wait begins: e-Dokter's clerk registers and checks in at once),
start of service = 4, end of poli service (finish or transfer) = 5, start and finish at
the facility's pharmacy counter = 6 and 7, cancellation = 99.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.utils import timezone

from binjai_portal.core import outbox
from binjai_portal.core.models import OutboxMessage

from ..models import Booking
from . import crypto
from .models import BpjsConfig

logger = logging.getLogger(__name__)
SYSTEM = "bpjs"
KIND = "bpjs.antrean"
TASK_NAMES = {
    1: "mulai waktu tunggu admisi",
    2: "akhir waktu tunggu admisi/mulai waktu layan admisi",
    3: "akhir waktu layan admisi/mulai waktu tunggu poli",
    4: "akhir waktu tunggu poli/mulai waktu layan poli",
    5: "akhir waktu layan poli/mulai waktu tunggu farmasi",
    6: "akhir waktu tunggu farmasi/mulai waktu layan farmasi membuat obat",
    7: "akhir waktu obat selesai dibuat",
    99: "tidak hadir/batal",
}
# A refusal that means BPJS already has what we send: done, not failed.
ALREADY_THERE = ("sudah ada", "duplikasi", "sudah dibatalkan")


def scope(facility_id: int) -> str:
    return f"dokter.facility:{facility_id}"


def _ms(moment) -> int:
    return int(moment.timestamp() * 1000)


def write(*, booking: Booking, path: str, body: dict, dedupe: str, code: str | None = None) -> None:
    code = code or booking.code
    outbox.outbox_write(
        system=SYSTEM,
        kind=KIND,
        scope=scope(booking.facility_id),
        payload={"facility": booking.facility_id, "path": path, "body": body},
        ordering_key=f"bpjs:{code}",
        dedupe_key=f"bpjs:{code}:{dedupe}",
    )


def task_write(*, booking: Booking, taskid: int, moment, code: str | None = None) -> None:
    code = code or booking.code
    write(
        booking=booking,
        path="antrean/updatewaktu",
        body={"kodebooking": code, "taskid": taskid, "waktu": _ms(moment)},
        dedupe=f"task:{taskid}",
        code=code,
    )


def add_body(booking: Booking, *, quota: dict) -> dict:
    """The `antrean/add` request of a booking made at the counter, kiosk or portal."""
    jkn = getattr(booking, "jkn", None)
    person = booking.patient_user or booking.patient_dependant
    schedule = booking.schedule
    kodepoli = getattr(getattr(booking.poli, "bpjs", None), "kodepoli", "")
    doctor = getattr(schedule, "practitioner", None) if schedule else None
    kodedokter = getattr(getattr(doctor, "bpjs", None), "kodedokter", None) if doctor else None
    is_jkn = booking.payment == Booking.Payment.BPJS
    return {
        "kodebooking": booking.code,
        "jenispasien": "JKN" if is_jkn else "NON JKN",
        "nomorkartu": booking.bpjs_number if is_jkn else "",
        "nik": getattr(person, "nik", "") or (jkn.patient.nik if jkn and jkn.patient else ""),
        "nohp": getattr(booking.patient_user, "phone", "") or (jkn.nohp if jkn else ""),
        "kodepoli": kodepoli,
        "namapoli": booking.poli.name,
        "pasienbaru": 0,
        "norm": jkn.patient.norm if jkn and jkn.patient else "",
        "tanggalperiksa": booking.date.isoformat(),
        "kodedokter": kodedokter,
        "namadokter": doctor.name if doctor else "",
        "jampraktek": f"{schedule.start:%H:%M}-{schedule.end:%H:%M}" if schedule else "",
        "jeniskunjungan": jkn.jeniskunjungan if jkn and jkn.jeniskunjungan else 1,
        "nomorreferensi": jkn.nomorreferensi if jkn else "",
        "nomorantrean": booking.queue_number,
        "angkaantrean": booking.number,
        "estimasidilayani": booking.estimated_epoch_ms,
        **quota,
        "keterangan": "",
    }


def _config(facility_id: int) -> BpjsConfig:
    config = BpjsConfig.objects.filter(facility_id=facility_id).first()
    if config is None or not config.can_send:
        raise outbox.OutboxError("BPJS belum dikonfigurasi untuk fasilitas ini", permanent=True)
    return config


def call(config: BpjsConfig, path: str, body: dict) -> dict:
    """POST one signed request; the answer's metadata and its decrypted response."""
    head = crypto.headers(cons_id=config.cons_id, secret=config.secret, user_key=config.user_key)
    request = urllib.request.Request(  # noqa: S310 (configured URL)
        f"{settings.BPJS_ANTREAN_URL.rstrip('/')}/{path}",
        data=json.dumps(body).encode(),
        headers={**head, "Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.BPJS_TIMEOUT) as response:  # noqa: S310 (configured URL)
            raw = response.read()
    except urllib.error.HTTPError as exc:
        text = exc.read()[:500].decode(errors="replace")
        raise outbox.OutboxError(f"HTTP {exc.code}: {text}", answer={"http": exc.code}) from exc
    except (OSError, ValueError) as exc:  # refused, reset, timeout
        raise outbox.OutboxError(f"{type(exc).__name__}: {exc}") from exc
    try:
        answer = json.loads(raw)
        metadata = answer.get("metadata") or answer.get("metaData") or {}
        code = int(metadata.get("code"))
    except (ValueError, TypeError, AttributeError) as exc:
        raise outbox.OutboxError(f"jawaban BPJS tidak terbaca: {raw[:200]!r}") from exc
    message = str(metadata.get("message", ""))
    result = {"code": code, "message": message}
    encrypted = answer.get("response")
    if isinstance(encrypted, str) and encrypted:
        try:
            plain = crypto.decrypt(
                encrypted, cons_id=config.cons_id, secret=config.secret, stamp=head["X-timestamp"]
            )
            result["response"] = json.loads(plain)
        except ValueError as exc:
            raise outbox.OutboxError(f"jawaban BPJS tidak bisa didekripsi: {exc}") from exc
    if code in (200, 1):
        return result
    if any(word in message.lower() for word in ALREADY_THERE):
        return {**result, "already": True}
    raise outbox.OutboxError(f"BPJS {code}: {message}", permanent=True, answer=result)


@outbox.handler(KIND)
def send(message: OutboxMessage) -> dict:
    payload = message.payload
    config = _config(payload["facility"])
    result = call(config, payload["path"], payload["body"])
    logger.info("bpjs %s sent for message %s at %s", payload["path"], message.pk, timezone.now())
    return result
