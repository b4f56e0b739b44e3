"""SATUSEHAT: the FHIR R4 Encounter of a finished visit, sent from the outbox.

The Encounter follows SATUSEHAT's profile for an outpatient visit (Encounter "Rawat
Jalan"): `identifier` in the organisation's system
(`http://sys-ids.kemkes.go.id/encounter/<organization id>`), `class` AMB, the patient
and practitioner by their SATUSEHAT ids, the location, `serviceProvider`, and a
`statusHistory` of arrived -> in-progress -> finished taken from the queue's own times
(check in, start of service, finish). Access: OAuth2 client credentials
(`/accesstoken?grant_type=client_credentials`), the token cached until it expires.
Patient ids are looked up once by NIK (`Patient?identifier=https://fhir.kemkes.go.id/id/nik|<NIK>`)
and kept by the NIK's SHA-256 (`SatusehatId`), never by the NIK itself.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from binjai_portal.core import outbox
from binjai_portal.core.models import OutboxMessage

from ..models import Booking
from .models import SatusehatConfig, SatusehatId

SYSTEM = "satusehat"
KIND = "satusehat.encounter"
NIK_SYSTEM = "https://fhir.kemkes.go.id/id/nik"


def scope(facility_id: int) -> str:
    return f"dokter.facility:{facility_id}"


def nik_of(booking: Booking) -> str:
    jkn = getattr(booking, "jkn", None)
    if jkn is not None and jkn.patient is not None:
        return jkn.patient.nik
    person = booking.patient_dependant or booking.patient_user
    return getattr(person, "nik", "") or ""


def write(*, booking: Booking) -> None:
    outbox.outbox_write(
        system=SYSTEM,
        kind=KIND,
        scope=scope(booking.facility_id),
        payload={"facility": booking.facility_id, "booking": booking.pk},
        dedupe_key=f"satusehat:encounter:{booking.pk}",
    )


def _request(url: str, *, data: bytes | None = None, headers: dict, method: str = "GET"):
    request = urllib.request.Request(  # noqa: S310 (configured URL)
        url, data=data, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.SATUSEHAT_TIMEOUT) as response:  # noqa: S310 (configured URL)
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        body = exc.read()
        try:
            answer = json.loads(body)
        except ValueError:
            answer = {"text": body[:500].decode(errors="replace")}
        return exc.code, answer
    except (OSError, ValueError) as exc:
        raise outbox.OutboxError(f"{type(exc).__name__}: {exc}") from exc


def _issue_text(issue: dict) -> str:
    return (issue.get("details") or {}).get("text") or issue.get("diagnostics", "")


def _outcome_text(answer) -> str:
    if isinstance(answer, dict) and answer.get("resourceType") == "OperationOutcome":
        return "; ".join(f"{i.get('code', '')}: {_issue_text(i)}" for i in answer.get("issue", []))
    return json.dumps(answer)[:500]


def _token_key(config: SatusehatConfig) -> str:
    client = hashlib.sha256(config.client_id.encode()).hexdigest()[:12]
    return f"dokter:satusehat:token:{config.pk}:{client}"


def token(config: SatusehatConfig) -> str:
    key = _token_key(config)
    cached = cache.get(key)
    if cached:
        return cached
    status, answer = _request(
        f"{settings.SATUSEHAT_AUTH_URL.rstrip('/')}/accesstoken?grant_type=client_credentials",
        data=urllib.parse.urlencode(
            {"client_id": config.client_id, "client_secret": config.client_secret}
        ).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    if status != 200 or not answer.get("access_token"):
        raise outbox.OutboxError(f"OAuth2 {status}: {_outcome_text(answer)}", answer=answer)
    expires = int(answer.get("expires_in") or 3599)
    cache.set(key, answer["access_token"], max(expires - 60, 1))
    return answer["access_token"]


def patient_id(config: SatusehatConfig, *, nik: str, bearer: str) -> str:
    digest = hashlib.sha256(nik.encode()).hexdigest()
    known = SatusehatId.objects.filter(kind=SatusehatId.Kind.PATIENT, key=digest).first()
    if known:
        return known.ihs_id
    query = urllib.parse.urlencode({"identifier": f"{NIK_SYSTEM}|{nik}"})
    status, answer = _request(
        f"{settings.SATUSEHAT_FHIR_URL.rstrip('/')}/Patient?{query}",
        headers={"Authorization": f"Bearer {bearer}", "Accept": "application/fhir+json"},
    )
    if status != 200:
        raise outbox.OutboxError(f"Patient {status}: {_outcome_text(answer)}", answer=answer)
    entries = answer.get("entry") or []
    if not entries:
        raise outbox.OutboxError(
            "Pasien tidak ditemukan di SATUSEHAT dengan NIK ini", permanent=True, answer=answer
        )
    ihs = entries[0]["resource"]["id"]
    SatusehatId.objects.update_or_create(
        kind=SatusehatId.Kind.PATIENT, key=digest, defaults={"ihs_id": ihs}
    )
    return ihs


def _known(kind: str, pk, default: str) -> str:
    row = SatusehatId.objects.filter(kind=kind, key=str(pk)).values_list("ihs_id", flat=True)
    return row.first() or default


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def encounter(booking: Booking, *, config: SatusehatConfig, patient: str) -> dict:
    """The Encounter of a finished visit (SATUSEHAT profile, FHIR R4)."""
    arrived = booking.checked_in_at or booking.called_at or booking.service_started_at
    started = booking.service_started_at or booking.called_at or arrived
    finished = booking.finished_at
    doctor = booking.schedule.practitioner if booking.schedule_id else None
    practitioner = (
        _known(SatusehatId.Kind.PRACTITIONER, doctor.pk, config.practitioner_id)
        if doctor
        else config.practitioner_id
    )
    location = _known(SatusehatId.Kind.LOCATION, booking.poli_id, config.location_id)
    resource = {
        "resourceType": "Encounter",
        "identifier": [
            {
                "system": f"http://sys-ids.kemkes.go.id/encounter/{config.organization_id}",
                "value": booking.code,
            }
        ],
        "status": "finished",
        "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": "AMB",
            "display": "ambulatory",
        },
        "subject": {"reference": f"Patient/{patient}", "display": booking.patient_name},
        "participant": [
            {
                "type": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                "code": "ATND",
                                "display": "attender",
                            }
                        ]
                    }
                ],
                "individual": {
                    "reference": f"Practitioner/{practitioner}",
                    **({"display": doctor.name} if doctor else {}),
                },
            }
        ],
        "period": {"start": _iso(arrived), "end": _iso(finished)},
        "location": [
            {
                "location": {
                    "reference": f"Location/{location}",
                    "display": f"{booking.poli.name}, {booking.facility.name}",
                }
            }
        ],
        "statusHistory": [
            {"status": "arrived", "period": {"start": _iso(arrived), "end": _iso(started)}},
            {"status": "in-progress", "period": {"start": _iso(started), "end": _iso(finished)}},
            {"status": "finished", "period": {"start": _iso(finished), "end": _iso(finished)}},
        ],
        "serviceProvider": {"reference": f"Organization/{config.organization_id}"},
    }
    return resource


@outbox.handler(KIND)
def send(message: OutboxMessage) -> dict:
    payload = message.payload
    config = SatusehatConfig.objects.filter(facility_id=payload["facility"], enabled=True).first()
    if config is None:
        raise outbox.OutboxError("SATUSEHAT belum dikonfigurasi", permanent=True)
    booking = (
        Booking.objects.select_related(
            "poli", "facility__unit", "schedule__practitioner", "patient_user", "patient_dependant"
        )
        .select_related("jkn__patient")
        .filter(pk=payload["booking"])
        .first()
    )
    if booking is None or booking.finished_at is None:
        raise outbox.OutboxError("kunjungan tidak ditemukan atau belum selesai", permanent=True)
    nik = nik_of(booking)
    if not nik:
        raise outbox.OutboxError("pasien tanpa NIK", permanent=True)
    bearer = token(config)
    resource = encounter(booking, config=config, patient=patient_id(config, nik=nik, bearer=bearer))
    status, answer = _request(
        f"{settings.SATUSEHAT_FHIR_URL.rstrip('/')}/Encounter",
        data=json.dumps(resource).encode(),
        headers={
            "Authorization": f"Bearer {bearer}",
            "Content-Type": "application/fhir+json",
            "Accept": "application/fhir+json",
        },
        method="POST",
    )
    if status == 401:
        cache.delete(_token_key(config))  # expired early or revoked: a new one next time
        raise outbox.OutboxError("SATUSEHAT 401: token ditolak", answer=answer)
    if status >= 500 or status == 429:
        raise outbox.OutboxError(f"SATUSEHAT {status}: {_outcome_text(answer)}", answer=answer)
    if status not in (200, 201):
        raise outbox.OutboxError(
            f"SATUSEHAT {status}: {_outcome_text(answer)}", permanent=True, answer=answer
        )
    return {"id": answer.get("id"), "status": status}
