"""Task times to BPJS antreanrest and visits to SATUSEHAT, through the outbox, against
the simulators over real HTTP."""

from __future__ import annotations

import datetime

import pytest

from binjai_portal.core import outbox
from binjai_portal.core.models import OutboxMessage
from dokter import services
from dokter.bpjs import crypto, outbound
from dokter.models import Booking, SatusehatId
from tests.dokter.conftest import DAY, ON_DAY

from .conftest import CONS_ID, SECRET, build_world

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


def ms(moment) -> int:
    return int(moment.timestamp() * 1000)


def serve_one(clerk, poli, booking, start=ON_DAY):
    called = services.queue_call_next(staff=clerk, poli=poli, now=start + MINUTE)
    assert called.pk == booking.pk
    services.booking_start_service(staff=clerk, booking=booking, now=start + 2 * MINUTE)
    services.booking_finish(staff=clerk, booking=booking, now=start + 9 * MINUTE)


def test_counter_patient_tasks_1_to_5(world, clinic_clerk, bpjs_sim, on_day):
    booking = services.booking_register_onsite(
        staff=clinic_clerk,
        poli=world["poli"],
        patient_name="Budi Loket",
        payment=Booking.Payment.BPJS,
        bpjs_number="0009876543210",
        now=ON_DAY,
    )
    assert booking.source == Booking.Source.COUNTER
    serve_one(clinic_clerk, world["poli"], booking)
    kinds = list(OutboxMessage.objects.values_list("payload__path", "payload__body__taskid"))
    assert kinds == [("antrean/add", None)] + [("antrean/updatewaktu", t) for t in (1, 2, 3, 4, 5)]
    assert outbox.outbox_send_due() == 6
    held = bpjs_sim.antrean.ledger()["bookings"][booking.code]
    assert held["added"] and held["add"]["jenispasien"] == "JKN"
    assert held["add"]["nomorantrean"] == "A-1" and held["add"]["kodepoli"] == "UMU"
    assert held["tasks"] == {
        "1": ms(ON_DAY),
        "2": ms(ON_DAY),
        "3": ms(ON_DAY),
        "4": ms(ON_DAY + 2 * MINUTE),
        "5": ms(ON_DAY + 9 * MINUTE),
    }
    # sent once: a second sweep or a second task for the same row does nothing
    assert outbox.outbox_send_due() == 0
    message = OutboxMessage.objects.first()
    assert outbox.outbox_send(message_id=message.pk) == "sent"
    assert bpjs_sim.antrean.ledger()["duplicates"] == 0


def test_writing_a_step_twice_is_one_message(world, clinic_clerk, on_day):
    booking = services.booking_register_onsite(
        staff=clinic_clerk, poli=world["poli"], patient_name="X", payment="umum", now=ON_DAY
    )
    outbound.task_write(booking=booking, taskid=1, moment=ON_DAY)
    assert OutboxMessage.objects.filter(payload__body__taskid=1).count() == 1


def test_a_down_bpjs_is_retried_with_backoff_in_order(
    world, clinic_clerk, bpjs_sim, on_day, settings
):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    booking = services.booking_register_onsite(
        staff=clinic_clerk, poli=world["poli"], patient_name="X", payment="umum", now=ON_DAY
    )
    bpjs_sim.antrean.control(mode="error", times=1)
    assert outbox.outbox_send_due() == 0  # add failed; the task times wait behind it
    add, *tasks = OutboxMessage.objects.order_by("pk")
    add.refresh_from_db()
    assert add.status == "pending" and "HTTP 500" in add.last_error
    assert add.next_attempt_at > add.created_at + datetime.timedelta(seconds=29)
    assert all(t.attempts == 0 for t in tasks)
    assert bpjs_sim.antrean.ledger()["bookings"] == {}
    OutboxMessage.objects.update(next_attempt_at=None)  # the backoff has passed
    bpjs_sim.antrean.control(mode="drop", times=1)  # connection cut: retried too
    outbox.outbox_send_due()
    OutboxMessage.objects.update(next_attempt_at=None)
    outbox.outbox_send_due()
    assert not OutboxMessage.objects.exclude(status="sent").exists()
    assert sorted(bpjs_sim.antrean.ledger()["bookings"][booking.code]["tasks"]) == ["1", "2", "3"]
    summary = outbox.outbox_summary(scope=outbound.scope(world["facility"].pk))["bpjs"]
    assert summary["backlog"] == 0 and summary["failed"] == 0 and summary["last_success"]


def test_a_bad_signature_fails_visibly(world, clinic_clerk, bpjs_sim, on_day):
    config = world["config"]
    config.secret = "wrong"
    config.save()
    services.booking_register_onsite(
        staff=clinic_clerk, poli=world["poli"], patient_name="X", payment="umum", now=ON_DAY
    )
    outbox.outbox_send_due()
    failed = list(outbox.outbox_failures(scope=outbound.scope(world["facility"].pk)))
    assert failed and "Signature tidak valid" in failed[-1].last_error
    assert bpjs_sim.antrean.ledger()["signature_failures"] >= 1


def test_answers_are_decrypted(world, bpjs_sim):
    bpjs_sim.antrean.handle("antrean/add", {"kodebooking": "K1"})
    bpjs_sim.antrean.handle("antrean/updatewaktu", {"kodebooking": "K1", "taskid": 3, "waktu": 5})
    result = outbound.call(world["config"], "antrean/getlisttask", {"kodebooking": "K1"})
    assert result["response"] == {"list": [{"taskid": 3, "waktu": 5, "kodebooking": "K1"}]}


def test_signature_and_decryption_follow_the_catalogue():
    stamp = "1700000000"
    # HMAC-SHA256 of "consid&timestamp" keyed with the secret, base64
    import base64
    import hashlib
    import hmac

    expected = base64.b64encode(hmac.new(b"s", b"c&1700000000", hashlib.sha256).digest()).decode()
    assert crypto.signature(cons_id="c", secret="s", stamp=stamp) == expected
    from simulators.bpjs.server import encrypt

    sealed = encrypt('{"a": 1}', cons_id=CONS_ID, secret=SECRET, stamp=stamp)
    assert crypto.decrypt(sealed, cons_id=CONS_ID, secret=SECRET, stamp=stamp) == '{"a": 1}'
    with pytest.raises(ValueError):
        crypto.decrypt(sealed, cons_id=CONS_ID, secret=SECRET, stamp="1700000001")


def test_cancel_sends_task_99_and_batal(world, citizen, bpjs_sim, day_before):
    booking = services.booking_create(
        actor=citizen,
        schedule=world["schedules"][DAY.weekday()],
        date=DAY,
        patient=citizen,
        payment="umum",
    )
    assert booking.source == Booking.Source.PORTAL
    services.booking_cancel(actor=citizen, booking=booking)
    outbox.outbox_send_due()
    held = bpjs_sim.antrean.ledger()["bookings"][booking.code]
    assert held["added"] and held["cancelled"] and list(held["tasks"]) == ["99"]


def test_a_patient_who_never_came_is_reported_absent_when_the_day_closes(
    world, citizen, bpjs_sim, day_before
):
    booking = services.booking_create(
        actor=citizen,
        schedule=world["schedules"][DAY.weekday()],
        date=DAY,
        patient=citizen,
        payment="umum",
    )
    services.queue_close_day(date=DAY)
    outbox.outbox_send_due()

    booking.refresh_from_db()
    held = bpjs_sim.antrean.ledger()["bookings"][booking.code]
    assert booking.status == Booking.Status.ABSENT
    assert held["cancelled"] and list(held["tasks"]) == ["99"]


def test_pharmacy_counter_gives_tasks_6_and_7(clinic_clerk, bpjs_sim, on_day):
    world = build_world(clinic_clerk, pharmacy=True)
    poli, apotek = world["poli"], world["apotek"]
    booking = services.booking_register_onsite(
        staff=clinic_clerk, poli=poli, patient_name="Y", payment="umum", now=ON_DAY
    )
    services.queue_call_next(staff=clinic_clerk, poli=poli, now=ON_DAY + MINUTE)
    services.booking_start_service(staff=clinic_clerk, booking=booking, now=ON_DAY + 2 * MINUTE)
    new = services.booking_transfer(
        staff=clinic_clerk, booking=booking, to_poli=apotek, now=ON_DAY + 5 * MINUTE
    )
    serve_one(clinic_clerk, apotek, new, start=ON_DAY + 5 * MINUTE)
    outbox.outbox_send_due()
    tasks = bpjs_sim.antrean.ledger()["bookings"][booking.code]["tasks"]
    assert sorted(tasks, key=int) == ["1", "2", "3", "4", "5", "6", "7"]
    assert tasks["7"] == ms(ON_DAY + 14 * MINUTE)
    assert new.code not in bpjs_sim.antrean.ledger()["bookings"]


def portal_visit(world, citizen, clerk):
    booking = services.booking_create(
        actor=citizen,
        schedule=world["schedules"][DAY.weekday()],
        date=DAY,
        patient=citizen,
        payment="umum",
        now=ON_DAY - datetime.timedelta(hours=1),
    )
    services.booking_check_in(staff=clerk, code=booking.code, now=ON_DAY)
    serve_one(clerk, world["poli"], booking)
    return booking


def test_a_finished_visit_is_an_encounter(world, citizen, clinic_clerk, satusehat_sim, on_day):
    satusehat_sim.platform.patients[citizen.nik] = "P00000000042"
    booking = portal_visit(world, citizen, clinic_clerk)
    message = OutboxMessage.objects.get(system="satusehat")
    assert citizen.nik not in str(message.payload)
    assert outbox.outbox_send(message_id=message.pk) == "sent"
    (encounter,) = satusehat_sim.platform.ledger()["encounters"]
    assert encounter["subject"]["reference"] == "Patient/P00000000042"
    assert encounter["identifier"][0]["value"] == booking.code
    assert [h["status"] for h in encounter["statusHistory"]] == [
        "arrived",
        "in-progress",
        "finished",
    ]
    assert encounter["statusHistory"][1]["period"]["start"].startswith("2026-02-10T08:02")
    assert encounter["serviceProvider"]["reference"] == "Organization/10000004"
    # the patient's id is kept (by the NIK's digest, not the NIK)
    assert SatusehatId.objects.filter(kind="patient", ihs_id="P00000000042").exists()
    assert not SatusehatId.objects.filter(key=citizen.nik).exists()


def test_token_and_patient_ids_are_cached(
    world, citizen, make_citizen, clinic_clerk, satusehat_sim, on_day
):
    satusehat_sim.platform.patients[citizen.nik] = "P00000000042"
    portal_visit(world, citizen, clinic_clerk)
    outbox.outbox_send_due()
    other = make_citizen(full_name="Ani")
    satusehat_sim.platform.patients[other.nik] = "P00000000043"
    portal_visit(world, other, clinic_clerk)
    outbox.outbox_send_due()
    ledger = satusehat_sim.platform.ledger()
    assert len(ledger["encounters"]) == 2
    assert ledger["tokens"] == 1


def test_refused_encounter_shows_the_operation_outcome(
    world, citizen, clinic_clerk, satusehat_sim, on_day
):
    config = world["facility"].satusehat_config
    config.organization_id = "bukan-milik-klien"
    config.save()
    satusehat_sim.platform.patients[citizen.nik] = "P00000000042"
    portal_visit(world, citizen, clinic_clerk)
    outbox.outbox_send_due()
    message = OutboxMessage.objects.get(system="satusehat")
    assert message.status == "failed"
    assert "serviceProvider" in message.last_error
    assert message.result["resourceType"] == "OperationOutcome"


def test_unknown_patient_and_down_platform(world, citizen, clinic_clerk, satusehat_sim, on_day):
    portal_visit(world, citizen, clinic_clerk)
    satusehat_sim.platform.control_mode = None
    satusehat_sim.platform.mode, satusehat_sim.platform.times = "error", 1
    outbox.outbox_send_due()
    message = OutboxMessage.objects.get(system="satusehat")
    assert message.status == "pending" and "500" in message.last_error
    OutboxMessage.objects.update(next_attempt_at=None)
    outbox.outbox_send_due()
    message.refresh_from_db()
    assert message.status == "failed" and "tidak ditemukan" in message.last_error
