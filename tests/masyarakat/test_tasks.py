"""The SLA task run by a real Celery worker thread against Redis."""

import datetime

import pytest
from django.contrib.auth.models import Group

from binjai_portal.accounts import roles
from binjai_portal.core.models import Notification, NotifiedOnce
from masyarakat.tasks import ticket_auto_close_task, ticket_sla_check_task
from tests.workers import real_worker_config

from .factories import category_make, ticket_assigned

WAIT = 30


@pytest.fixture(scope="session")
def celery_config():
    return real_worker_config("masyarakat")


@pytest.fixture
def worker(transactional_db, celery_app, celery_worker):
    assert Group.objects.filter(name=roles.WARGA).exists()
    assert ticket_sla_check_task.app is celery_app
    return celery_worker


def test_worker_escalates_an_overdue_ticket_once_and_only_once(
    worker, citizen, moderator, opd_officer, leader
):
    category_make()
    ticket = ticket_assigned(
        reporter=citizen, moderator=moderator, today=datetime.date(2026, 8, 3)
    )  # due Mon 10 Aug
    first = ticket_sla_check_task.delay("2026-08-12").get(timeout=WAIT)
    # Two more runs at once, as two beats or two workers might: nothing more is sent.
    again = [ticket_sla_check_task.delay("2026-08-13") for _ in range(2)]
    assert first == {"reminder": 0, "overdue": 1}
    assert [r.get(timeout=WAIT) for r in again] == [{"reminder": 0, "overdue": 0}] * 2
    assert list(
        NotifiedOnce.objects.filter(key__startswith="masyarakat.").values_list("key", flat=True)
    ) == [f"masyarakat.overdue:{ticket.pk}"]
    for person in (opd_officer, moderator):
        assert (
            Notification.objects.filter(
                recipient=person, title__contains=f"Lewat batas waktu: {ticket.number}"
            ).count()
            == 1
        )
    # The leaders hear of it from the command center's alert only (see below).
    assert not Notification.objects.filter(recipient=leader).exists()


def test_a_leader_gets_exactly_one_notice_per_overdue_ticket(
    db, citizen, moderator, opd_officer, leader, make_staff
):
    """e-Masyarakat's own escalation and the command center's alert rule both see an
    overdue ticket; a leader hears of it once, by the alert, even one who moderates too."""
    from command_center.models import Alert
    from command_center.services import alerts_evaluate
    from masyarakat import services

    moderating_leader = make_staff("pimpinan", full_name="Rudi Pimpinan")
    moderating_leader.groups.add(Group.objects.get(name=roles.MODERATOR_PENGADUAN))
    category_make()
    tickets = [
        ticket_assigned(reporter=citizen, moderator=moderator, today=datetime.date(2026, 8, 3))
        for _ in range(2)
    ]  # both due Mon 10 Aug
    before = Notification.objects.order_by("pk").last().pk  # "new ticket" notices for moderators
    for day in (datetime.date(2026, 8, 12), datetime.date(2026, 8, 13)):
        services.ticket_sla_check(today=day)
        alerts_evaluate(today=day)

    alert_urls = {a.get_absolute_url() for a in Alert.objects.filter(app="masyarakat")}
    assert len(alert_urls) == len(tickets)
    for person in (leader, moderating_leader):
        notices = Notification.objects.filter(recipient=person, pk__gt=before)
        for ticket in tickets:
            about = [n for n in notices if ticket.number in f"{n.title} {n.body}"]
            assert len(about) == 1, (person, ticket.number, [n.title for n in notices])
            assert about[0].url in alert_urls  # the command center's alert
        assert notices.count() == len(tickets)
    # Moderators and the agency still get e-Masyarakat's own escalation.
    for person in (moderator, opd_officer):
        for ticket in tickets:
            assert Notification.objects.filter(
                recipient=person, title__contains=f"Lewat batas waktu: {ticket.number}"
            ).exists()


def test_worker_runs_auto_close(worker):
    assert ticket_auto_close_task.delay().get(timeout=WAIT) == 0
