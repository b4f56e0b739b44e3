"""e-Masyarakat's own notices (new ticket, escalation) are written in the reader's
language, whoever caused them; the ticket's title, as the reporter typed it, stays."""

import datetime

import pytest
from django.core import mail

from binjai_portal.core.models import Delivery, Notification
from binjai_portal.core.notifications import delivery_send
from masyarakat import services

from .factories import category_make, ticket_assigned

pytestmark = pytest.mark.django_db


def _mail_of(notification) -> str:
    mail.outbox.clear()
    delivery = Delivery.objects.get(notification=notification, channel="email")
    delivery_send(delivery_id=delivery.pk)
    [message] = mail.outbox
    return f"{message.subject}\n{message.body}"


def test_escalation_in_each_readers_language(citizen, moderator, opd_officer):
    opd_officer.language = "en"
    opd_officer.save(update_fields=["language"])
    assert moderator.language == "id"
    category_make()
    ticket = ticket_assigned(reporter=citizen, moderator=moderator, today=datetime.date(2026, 8, 3))

    services.ticket_sla_check(today=datetime.date(2026, 8, 12))

    [n] = Notification.objects.filter(recipient=opd_officer, title__contains="Lewat batas waktu")
    assert n.title == f"Lewat batas waktu: {ticket.number} ({ticket.agency})"  # stored
    assert n.title_in("en").startswith("Past deadline") and "Lewat" not in n.title_in("en")
    assert n.body_in("en") == ticket.title  # as the reporter typed it
    email = _mail_of(n)
    assert "Past deadline" in email and "Lewat batas waktu" not in email and ticket.title in email

    [n] = Notification.objects.filter(recipient=moderator, title__contains="Lewat batas waktu")
    email = _mail_of(n)
    assert f"Lewat batas waktu: {ticket.number}" in email and "Past deadline" not in email


def test_new_ticket_notice_in_english_for_an_english_moderator(citizen, moderator):
    moderator.language = "en"
    moderator.save(update_fields=["language"])
    category_make()
    ticket = ticket_assigned(reporter=citizen, moderator=moderator, today=datetime.date(2026, 8, 3))
    [n] = Notification.objects.filter(recipient=moderator, title__contains="Pengaduan baru")
    assert n.title_in("en") == f"New complaint {ticket.number}"
    assert n.body_in("en") == ticket.title
    email = _mail_of(n)
    assert f"New complaint {ticket.number}" in email and "Pengaduan baru" not in email
