"""e-Dokter's queue notifications reach each patient in their own language (issue 14)."""

import pytest

from dokter import services
from dokter.models import Booking
from tests.untranslated import read_as

from .conftest import DAY, NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _book(user, schedule):
    return services.booking_create(
        actor=user,
        schedule=schedule,
        date=DAY,
        patient=user,
        now=NOW,
        payment=Booking.Payment.GENERAL,
    )


def test_booking_and_reminder_in_the_patients_language(make_citizen, schedule, poli):
    en, id_ = make_citizen(), make_citizen()
    en.language = "en"
    en.save(update_fields=["language"])
    _book(en, schedule)
    _book(id_, schedule)
    title, body, mails = read_as(en, title__startswith="Antrean")
    assert title.startswith("Queue ") and f" at {poli.name}" in title
    assert body.startswith("Booking code ") and mails and title in mails[0].subject
    title, body, mails = read_as(id_, title__startswith="Antrean")
    assert title.startswith("Antrean ") and body.startswith("Kode booking ")
    assert "Antrean" in mails[0].subject

    assert services.booking_send_reminders(date=DAY) == 2
    title, _body, mails = read_as(en, title__startswith="Pengingat")
    assert title.startswith("Reminder: queue ") and "Reminder" in mails[0].subject
    title, _body, _mails = read_as(id_, title__startswith="Pengingat")
    assert title.startswith("Pengingat: antrean ")
