"""FHIR R4 read API: every response parses with fhir.resources, scoped by staff token."""

import datetime
import json

import pytest
from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.schedule import Schedule
from fhir.resources.R4B.slot import Slot

from dokter import services
from dokter.models import Booking

from .conftest import DAY, NOW, ON_DAY, bearer

S = Booking.Status
TYPES = {
    "Bundle": Bundle,
    "Schedule": Schedule,
    "Slot": Slot,
    "Appointment": Appointment,
    "OperationOutcome": OperationOutcome,
}


def fhir_get(client, path, raw, expect=200, **params):
    r = client.get(f"/api/fhir/{path}", params, **(bearer(raw) if raw else {}))
    assert r.status_code == expect, r.content
    assert r["Content-Type"].startswith("application/fhir+json")
    data = json.loads(r.content)
    resource = TYPES[data["resourceType"]].model_validate(data)  # validates the JSON
    if isinstance(resource, Bundle):
        assert resource.type == "searchset" and resource.total == len(resource.entry or [])
        for entry in resource.entry or []:
            TYPES[entry.resource.get_resource_type()].model_validate(entry.resource.model_dump())
    return data


def ids(bundle):
    return [e["resource"]["id"] for e in bundle.get("entry", [])]


def test_token_required(client, schedules, clinic_clerk):
    for path in ("Schedule", "Slot", "Appointment", f"Schedule/{schedules[0].pk}"):
        data = fhir_get(client, path, None, expect=401)
        assert data["resourceType"] == "OperationOutcome"
        fhir_get(client, path, "bdk_wrong", expect=401)
    client.force_login(clinic_clerk)  # a session is not a staff token
    fhir_get(client, "Schedule", None, expect=401)


def test_schedule_search_and_read(client, api_token, other_token, schedules, poli, facility):
    _, raw = api_token
    bundle = fhir_get(client, "Schedule", raw, date=DAY.isoformat())
    assert ids(bundle) == [str(schedules[DAY.weekday()].pk)]
    schedule = bundle["entry"][0]["resource"]
    refs = [a["reference"] for a in schedule["actor"]]
    assert f"Location/{facility.code}" in refs and f"HealthcareService/{poli.pk}" in refs
    assert schedule["serviceType"][0]["text"] == "Poli Umum"
    assert len(ids(fhir_get(client, "Schedule", raw))) == 7
    assert len(ids(fhir_get(client, "Schedule", raw, actor=f"Location/{facility.code}"))) == 7
    assert ids(fhir_get(client, "Schedule", raw, actor="Location/puskesmas-demo-utara")) == []
    assert len(ids(fhir_get(client, "Schedule", raw, actor=f"HealthcareService/{poli.pk}"))) == 7
    one = fhir_get(client, f"Schedule/{schedules[1].pk}", raw)
    assert one["resourceType"] == "Schedule" and one["id"] == str(schedules[1].pk)
    # Another facility's token: empty searches, 404 on ids.
    other = other_token[1]
    assert ids(fhir_get(client, "Schedule", other)) == []
    fhir_get(client, f"Schedule/{schedules[1].pk}", other, expect=404)


def test_slots_free_then_busy_when_full(client, api_token, schedule, make_citizen, day_before):
    _, raw = api_token
    schedule.online_quota = 2
    schedule.save()
    slot_id = f"{schedule.pk}-{DAY:%Y%m%d}"
    bundle = fhir_get(client, "Slot", raw, date=DAY.isoformat())
    assert ids(bundle) == [slot_id]
    slot = bundle["entry"][0]["resource"]
    assert slot["status"] == "free" and slot["schedule"]["reference"] == f"Schedule/{schedule.pk}"
    assert datetime.datetime.fromisoformat(slot["start"]) == datetime.datetime(
        2026, 2, 10, 8, 0, tzinfo=NOW.tzinfo
    )
    for _ in range(2):
        person = make_citizen()
        services.booking_create(
            actor=person, schedule=schedule, date=DAY, patient=person, payment="umum", now=NOW
        )
    assert fhir_get(client, f"Slot/{slot_id}", raw)["status"] == "busy"
    assert ids(fhir_get(client, "Slot", raw, date=DAY.isoformat(), status="free")) == []
    # A national holiday (Lunar New Year, a Tuesday): the session exists but is busy.
    holiday = datetime.date(2026, 2, 17)
    assert (
        fhir_get(client, "Slot", raw, start=holiday.isoformat())["entry"][0]["resource"]["status"]
        == "busy"
    )


@pytest.mark.parametrize(
    "path",
    [
        "Slot/abc",
        "Slot/1-20261399",
        "Slot/99999999-20260210",
        "Schedule/abc",
        "Schedule/99999999999999999999999",
        "Appointment/0",
        "Appointment/-1",
        "Patient/1",
        "metadata",
    ],
)
def test_unknown_ids_are_fhir_404(client, api_token, schedules, path):
    data = fhir_get(client, path, api_token[1], expect=404)
    assert data["issue"][0]["code"] == "not-found"


@pytest.mark.parametrize(
    "params", [{"date": "2026-13-01"}, {"date": "kemarin"}, {"actor": "HealthcareService/abc"}]
)
def test_bad_search_params_are_400(client, api_token, schedules, params):
    for path in ("Schedule", "Slot", "Appointment"):
        if "actor" in params and path == "Appointment":
            continue
        data = fhir_get(client, path, api_token[1], expect=400, **params)
        assert data["resourceType"] == "OperationOutcome"


def test_appointments_map_every_state(
    client,
    api_token,
    other_token,
    schedule,
    poli,
    lab,
    facility,
    clinic_clerk,
    make_citizen,
    on_day,
):
    _, raw = api_token
    people = [make_citizen(full_name=f"Pasien {i}") for i in range(7)]
    bookings = [
        services.booking_create(
            actor=p, schedule=schedule, date=DAY, patient=p, payment="umum", now=NOW
        )
        for p in people
    ]
    b_booked, b_arrived, b_called, b_serving, b_done, b_absent, b_cancel = bookings
    services.booking_cancel(actor=people[6], booking=b_cancel, now=NOW)

    # One patient is called at a time: each call is resolved before the next.
    def call():
        return services.queue_call_next(staff=clinic_clerk, poli=poli, now=ON_DAY)

    for b in (b_arrived, b_serving, b_done, b_absent):
        services.booking_check_in(staff=clinic_clerk, code=b.code, now=ON_DAY)
    assert call() == b_arrived
    services.booking_mark_absent(staff=clinic_clerk, booking=b_arrived, now=ON_DAY)
    assert call() == b_serving
    services.booking_start_service(staff=clinic_clerk, booking=b_serving, now=ON_DAY)
    assert call() == b_done
    services.booking_start_service(staff=clinic_clerk, booking=b_done, now=ON_DAY)
    services.booking_finish(staff=clinic_clerk, booking=b_done, now=ON_DAY)
    assert call() == b_absent
    services.booking_mark_absent(staff=clinic_clerk, booking=b_absent, now=ON_DAY)
    transfer = services.booking_transfer(
        staff=clinic_clerk, booking=b_serving, to_poli=lab, now=ON_DAY
    )
    services.booking_check_in(staff=clinic_clerk, code=b_called.code, now=ON_DAY)
    assert call() == b_called
    # b_arrived came late: back in the queue, waiting again.
    services.booking_requeue(staff=clinic_clerk, booking=b_arrived, now=ON_DAY)
    bundle = fhir_get(
        client, "Appointment", raw, date=DAY.isoformat(), location=f"Location/{facility.code}"
    )
    status = {e["resource"]["id"]: e["resource"]["status"] for e in bundle["entry"]}
    assert status == {
        str(b_booked.pk): "booked",
        str(b_arrived.pk): "arrived",
        str(b_called.pk): "checked-in",
        str(b_serving.pk): "fulfilled",
        str(b_done.pk): "fulfilled",
        str(b_absent.pk): "noshow",
        str(b_cancel.pk): "cancelled",
        str(transfer.pk): "arrived",
    }
    one = fhir_get(client, f"Appointment/{b_booked.pk}", raw)
    assert one["identifier"][0]["value"] == b_booked.code
    assert one["slot"][0]["reference"] == f"Slot/{schedule.pk}-{DAY:%Y%m%d}"
    patient = one["participant"][0]["actor"]
    assert patient["reference"].startswith("Patient/") and patient["display"] == "Pasien 0"
    text = json.dumps(bundle)
    for p in people:
        assert p.nik not in text and f'Patient/{p.pk}"' not in text
    # Search by poli and status.
    only_lab = fhir_get(client, "Appointment", raw, date=DAY.isoformat(), **{"service-type": "lab"})
    assert ids(only_lab) == [str(transfer.pk)]
    noshow = fhir_get(client, "Appointment", raw, date=DAY.isoformat(), status="noshow")
    assert ids(noshow) == [str(b_absent.pk)]
    # Another facility or another date: nothing, and ids are 404.
    assert ids(fhir_get(client, "Appointment", raw, date="2026-02-11")) == []
    assert (
        ids(
            fhir_get(
                client,
                "Appointment",
                raw,
                date=DAY.isoformat(),
                location="Location/puskesmas-demo-utara",
            )
        )
        == []
    )
    other = other_token[1]
    other_bundle = fhir_get(client, "Appointment", other, date=DAY.isoformat())
    assert ids(other_bundle) == [] and "Pasien" not in json.dumps(other_bundle)
    fhir_get(client, f"Appointment/{b_booked.pk}", other, expect=404)


def test_appointment_search_query_count_is_fixed(
    client, api_token, schedule, make_citizen, django_assert_max_num_queries, day_before
):
    _, raw = api_token
    for _ in range(12):
        p = make_citizen()
        services.booking_create(
            actor=p,
            schedule=schedule,
            date=DAY,
            patient=p,
            payment="bpjs",
            bpjs_number="0001234567890",
            now=NOW,
        )
    with django_assert_max_num_queries(5):
        bundle = fhir_get(client, "Appointment", raw, date=DAY.isoformat())
    assert len(ids(bundle)) == 12
    with django_assert_max_num_queries(6):
        fhir_get(client, "Slot", raw, date=DAY.isoformat())


@pytest.mark.parametrize(
    "path",
    [
        "Schedule/%C2%B2",
        "Schedule/%D9%A1",
        "Appointment/%C2%B2",
        "Slot/1-09300628",
        "Slot/%C2%B2-20261202",
    ],
)
def test_non_ascii_digits_and_odd_years_in_ids_are_404(client, api_token, schedules, path):
    data = fhir_get(client, path, api_token[1], expect=404)
    assert data["issue"][0]["code"] == "not-found"


@pytest.mark.parametrize("date", ["0930-06-28", "0001-01-01", "9999-12-31"])
def test_dates_outside_the_years_we_serve_are_400(client, api_token, schedules, date):
    for path in ("Schedule", "Slot", "Appointment"):
        data = fhir_get(client, path, api_token[1], expect=400, date=date)
        assert data["resourceType"] == "OperationOutcome"
