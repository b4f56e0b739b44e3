"""e-Perizinan's own notices (the overdue report, the reminders) are written in the
reader's language, whoever runs the job: English in an English reader's inbox and
e-mail, Indonesian in an Indonesian reader's."""

import datetime

import pytest
from django.core import mail

from binjai_portal.core.models import Delivery, Notification
from binjai_portal.core.notifications import delivery_send
from perizinan import services

from . import factories

pytestmark = pytest.mark.django_db


def _mail_of(notification) -> str:
    mail.outbox.clear()
    delivery = Delivery.objects.get(notification=notification, channel="email")
    delivery_send(delivery_id=delivery.pk)
    [message] = mail.outbox
    return f"{message.subject}\n{message.body}"


def test_overdue_report_in_each_readers_language(building, citizen, inspector, head):
    app = factories.submitted(building, citizen, today=datetime.date(2025, 7, 7))
    inspector.language = "en"
    inspector.save(update_fields=["language"])
    assert head.language == "id"

    assert services.sla_report_overdue(today=datetime.date(2025, 7, 22)) == 1

    [n] = Notification.objects.filter(recipient=inspector, title__contains=app.number)
    assert n.title_in("en") == f"Permit past the service standard: {app.number}"
    assert "working days" in n.body_in("en") and "hari kerja" not in n.body_in("en")
    email = _mail_of(n)
    assert "Permit past the service standard" in email and "hari kerja" not in email
    # Stored in Indonesian for the admin.
    assert n.title == f"Izin melewati standar pelayanan: {app.number}"

    [n] = Notification.objects.filter(recipient=head, title__contains=app.number)
    email = _mail_of(n)
    assert f"Izin melewati standar pelayanan: {app.number}" in email
    assert "hari kerja" in email and "Permit" not in email
