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
    return {"booking": booking, "ticket": ticket, "open_ticket": open_ticket}


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
    assert run.report["accounts.phone_codes"] == 1
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


def test_access_log_purged_after_five_years_only_by_the_job(old_records, citizen):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6 * 365), tick=False):
        services.retention_run()
    assert not AccessLog.objects.exists()
