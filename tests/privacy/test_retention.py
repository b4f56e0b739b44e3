"""The retention job with a frozen clock three years ahead leaves no expired personal
data behind (time-machine moves every clock)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from binjai_portal.accounts.models import PhoneVerification
from binjai_portal.core.models import Notification
from binjai_portal.core.notifications import notify
from binjai_portal.core.privacy import services
from binjai_portal.core.privacy.models import AccessLog, RetentionRun
from binjai_portal.core.privacy.tasks import retention_run_task

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 2, 9, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def old_records(citizen, booking, moderator):
    from dokter.models import Booking
    from masyarakat.models import Ticket
    from tests.masyarakat.factories import ticket_make

    Booking.objects.filter(pk=booking.pk).update(status="done")
    ticket = ticket_make(reporter=citizen, title="Saluran tersumbat", address="Jl. Rumah Saya 1")
    Ticket.objects.filter(pk=ticket.pk).update(status="closed", updated_at=timezone.now())
    open_ticket = ticket_make(reporter=citizen, title="Masih ditangani")
    PhoneVerification.objects.create(
        user=citizen, phone=citizen.phone, code_hash="x", expires_at=timezone.now()
    )
    notify(recipient=citizen, title="Status berubah")
    from binjai_portal.core.privacy.access import access_log_record

    access_log_record(viewer=moderator, kind="nik", record="x", subject_id=citizen.pk)
    from binjai_portal.accounts.models import SmsResetCode
    from binjai_portal.core.models import Delivery
    from dokter.models import JknPatient, JknVisit, SatusehatId

    SmsResetCode.objects.create(
        user=citizen, phone=citizen.phone, code_hash="x", expires_at=timezone.now()
    )
    Delivery.objects.create(
        recipient=citizen,
        purpose=Delivery.Purpose.PASSWORD_RESET,
        channel=Delivery.Channel.SMS,
        address=citizen.phone,
        body="Kode Anda",
        status=Delivery.Status.SENT,
        client_ip="10.0.0.7",
    )
    facility = booking.facility
    jkn = JknPatient.objects.create(
        facility=facility,
        nomorkartu="0001234567890",
        nik=booking.patient_dependant.nik,
        nama=booking.patient_name,
        nohp="081299000777",
    )
    JknVisit.objects.create(booking=booking, patient=jkn, nohp="081299000777", nomorreferensi="R1")
    SatusehatId.objects.create(kind="patient", key="a" * 64, ihs_id="P0001")
    return {"booking": booking, "ticket": ticket, "open_ticket": open_ticket, "jkn": jkn}


def test_nothing_expired_nothing_done(old_records):
    run = services.retention_run()
    assert run.total == 0
    assert set(run.report) >= {"dokter.bookings", "masyarakat.reporters", "core.notifications"}


def test_three_years_later_no_expired_personal_data_is_left(old_records, citizen):
    from dokter.models import Booking
    from masyarakat.models import Ticket

    with time_machine.travel(timezone.now() + datetime.timedelta(days=3 * 365), tick=False):
        result = retention_run_task.apply().get()
    run = RetentionRun.objects.get()
    assert result["total"] == run.total > 0
    assert run.report["dokter.bookings"] == 1
    assert run.report["masyarakat.reporters"] == 1
    assert run.report["accounts.phone_codes"] == 2  # phone and SMS reset codes
    assert run.report["core.notifications"] >= 1

    b = Booking.objects.get(pk=old_records["booking"].pk)
    assert (b.patient_name, b.complaint, b.patient_dependant_id, b.booked_by_id) == (
        "",
        "",
        None,
        None,
    )
    assert b.status == "done"  # the statistics stay
    t = Ticket.objects.get(pk=old_records["ticket"].pk)
    assert t.reporter_id != citizen.pk and t.address == ""
    assert t.title == "Saluran tersumbat"  # the agency's record stays
    # A complaint still being handled keeps its reporter.
    assert Ticket.objects.get(pk=old_records["open_ticket"].pk).reporter_id == citizen.pk
    assert not PhoneVerification.objects.filter(user=citizen).exists()
    assert not Notification.objects.filter(recipient=citizen).exists()
    # The access log is kept five years: still there after three.
    assert AccessLog.objects.filter(subject_id=citizen.pk).exists()

    from binjai_portal.accounts.models import SmsResetCode
    from binjai_portal.core.models import Delivery
    from dokter.models import JknPatient, JknVisit, SatusehatId

    assert run.report["dokter.jkn"] >= 1
    assert not SmsResetCode.objects.filter(user=citizen).exists()
    assert not Delivery.objects.exclude(address="").exists()
    assert not Delivery.objects.filter(client_ip__isnull=False).exists()
    visit = JknVisit.objects.get(booking_id=old_records["booking"].pk)
    assert (visit.patient_id, visit.nohp, visit.nomorreferensi) == (None, "", "")
    assert not JknPatient.objects.filter(pk=old_records["jkn"].pk).exists()
    assert not SatusehatId.objects.filter(kind="patient").exists()


def test_three_years_later_a_second_run_finds_nothing_left(old_records):
    """Every job whose period is at most three years left nothing of it behind: run
    again on the same day, each reports zero."""
    later = timezone.now() + datetime.timedelta(days=3 * 365)
    with time_machine.travel(later, tick=False):
        first = services.retention_run()
        second = services.retention_run()
    assert first.total > 0
    assert second.report == {key: 0 for key in first.report}, second.report


def test_access_log_purged_after_five_years_only_by_the_job(old_records, citizen):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6 * 365), tick=False):
        services.retention_run()
    assert not AccessLog.objects.exists()


def test_outbox_copies_lose_address_and_text_after_ninety_days(citizen):
    from binjai_portal.core.models import Delivery

    sent = Delivery.objects.create(
        recipient=citizen,
        purpose=Delivery.Purpose.PASSWORD_RESET,
        channel=Delivery.Channel.SMS,
        address=citizen.phone,
        body="Kode Anda",
        status=Delivery.Status.SENT,
        client_ip="10.0.0.7",
    )
    pending = Delivery.objects.create(
        recipient=citizen, channel=Delivery.Channel.SMS, address=citizen.phone, body="Halo"
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=91), tick=False):
        run = services.retention_run()
    assert run.report["core.outbox"] == 1
    sent.refresh_from_db()
    assert (sent.address, sent.body, sent.client_ip, sent.status) == ("", "", None, "sent")
    pending.refresh_from_db()
    assert pending.address == citizen.phone  # not yet sent: kept
