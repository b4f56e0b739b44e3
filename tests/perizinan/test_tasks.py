"""The overdue report by a real Celery worker on Redis, and registration numbers under
concurrency on PostgreSQL."""

import datetime
import threading
import uuid

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections

from binjai_portal.core.models import Delivery, Notification
from perizinan import services
from perizinan.models import Application
from perizinan.tasks import sla_report_overdue_task

from . import factories


@pytest.fixture(scope="session")
def celery_config():
    return {
        "broker_url": django_settings.CELERY_BROKER_URL,
        "result_backend": django_settings.CELERY_RESULT_BACKEND,
        "task_default_queue": f"test-perizinan-{uuid.uuid4().hex[:12]}",
        "broker_connection_timeout": django_settings.CELERY_BROKER_CONNECTION_TIMEOUT,
        "broker_transport_options": django_settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    }


@pytest.mark.django_db(transaction=True)
def test_overdue_report_sent_once_to_the_inspectorate_by_a_worker(
    celery_app, celery_worker, building, citizen, inspector, head, settings
):
    settings.SMS_BACKEND = "binjai_portal.core.sms.LogSmsBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    app = factories.submitted(building, citizen, today=datetime.date(2025, 7, 7))
    assert sla_report_overdue_task.app is celery_app
    first = sla_report_overdue_task.delay().get(timeout=20)
    second = sla_report_overdue_task.delay().get(timeout=20)
    assert (first, second) == (1, 0)
    app.refresh_from_db()
    assert app.overdue_reported_at is not None
    reports = Notification.objects.filter(title__contains=app.number)
    assert sorted(n.recipient_id for n in reports) == sorted([inspector.pk, head.pk])
    channels = set(
        Delivery.objects.filter(notification__in=reports).values_list("channel", flat=True)
    )
    assert channels == {"email", "sms"}


@pytest.mark.django_db(transaction=True)
def test_registration_numbers_never_collide_under_concurrency():
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL")
    numbers, errors = [], []
    barrier = threading.Barrier(8)

    def take():
        try:
            barrier.wait(timeout=10)
            for _ in range(5):
                numbers.append(services.registration_number_take(year=2031))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sorted(numbers) == [f"IZN-2031-{n:06d}" for n in range(1, 41)]


def test_number_format(db):
    assert services.registration_number_take(year=2030) == "IZN-2030-000001"
    assert services.registration_number_take(year=2030) == "IZN-2030-000002"
    assert Application.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("job", ["sla_send_reminders", "sla_report_overdue"])
def test_two_concurrent_runs_send_each_reminder_and_report_once(
    job, building, citizen, permit_verifier, inspector, head
):
    """Two beats at the same moment: the core once key is claimed by one of them."""
    app = factories.submitted(building, citizen, today=datetime.date(2025, 7, 7))
    today = (
        datetime.date(2025, 7, 17) if job == "sla_send_reminders" else datetime.date(2025, 7, 22)
    )
    barrier = threading.Barrier(2)
    counts, errors = [], []

    def run():
        try:
            barrier.wait(timeout=30)
            counts.append(getattr(services, job)(today=today))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(counts) == [0, 1]
    assert getattr(services, job)(today=today) == 0  # and a later run neither
    title = "Pengingat" if job == "sla_send_reminders" else "Izin melewati standar"
    sent = Notification.objects.filter(title__startswith=title, title__contains=app.number)
    recipients = list(sent.values_list("recipient_id", flat=True))
    assert len(recipients) == len(set(recipients)) > 0
