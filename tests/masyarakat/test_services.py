"""Complaint workflow, SLA and the rules around it, through the services."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from binjai_portal.core.models import Notification, NotifiedOnce, StatusChange
from binjai_portal.core.workflow import TransitionRefused
from masyarakat import services
from masyarakat.models import Message, MeToo, Ticket

from .factories import photo, ticket_assigned, ticket_make, ticket_public

pytestmark = pytest.mark.django_db


def history(ticket):
    return list(
        StatusChange.objects.filter(
            workflow="masyarakat.ticket", object_id=str(ticket.pk)
        ).values_list("action", "to_state")
    )


def test_create_numbers_tickets_per_year_and_stores_photos(citizen, category, moderator):
    first = ticket_make(reporter=citizen, category=category, photos=[photo(), photo((0, 0, 9))])
    second = ticket_make(reporter=citizen, category=category)
    year = timezone.localdate().year
    assert re.fullmatch(rf"ADU-{year}-\d{{6}}", first.number)
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1
    assert first.status == "submitted" and first.photos.count() == 2
    assert history(first) == [("create", "submitted")]
    # moderators hear about new reports
    assert Notification.objects.filter(recipient=moderator, title__contains=first.number).exists()


def test_numbers_restart_each_year(citizen, category):
    old = ticket_make(
        reporter=citizen,
        category=category,
        created_at=timezone.make_aware(datetime.datetime(2025, 12, 31, 12)),
    )
    new = ticket_make(
        reporter=citizen,
        category=category,
        created_at=timezone.make_aware(datetime.datetime(2026, 1, 1, 9)),
    )
    assert old.number == "ADU-2025-000001" and new.number == "ADU-2026-000001"


@pytest.mark.parametrize(
    "overrides",
    [
        {"photos": [photo(), photo(), photo(), photo()]},  # more than 3
        {"lat": None, "address": ""},  # location required
        {"lng": None},  # half a point
    ],
)
def test_bad_reports_are_refused_and_nothing_is_written(citizen, category, overrides):
    with pytest.raises(ValidationError):
        ticket_make(
            reporter=citizen,
            category=category,
            **{"lng": None, **overrides} if "lat" in overrides else overrides,
        )
    assert Ticket.objects.count() == 0


def test_happy_path_with_rating(citizen, category, moderator, opd_officer):
    ticket = ticket_make(reporter=citizen, category=category)
    services.ticket_verify(ticket=ticket, moderator=moderator)
    services.ticket_assign(ticket=ticket, moderator=moderator)
    assert ticket.agency.code == "dpupr" and ticket.sla_due is not None
    services.ticket_start(ticket=ticket, officer=opd_officer)
    services.ticket_resolve(
        ticket=ticket, officer=opd_officer, response="Sudah ditambal.", photo=photo()
    )
    ticket.refresh_from_db()
    assert ticket.status == "resolved" and ticket.resolved_on_time is True
    assert ticket.resolution_photo is not None
    services.ticket_close(ticket=ticket, reporter=citizen, rating=5, comment="Cepat!")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rating, ticket.rating_comment) == ("closed", 5, "Cepat!")
    assert [a for a, _ in history(ticket)] == [
        "create",
        "verify",
        "assign",
        "start",
        "resolve",
        "close",
    ]
    assert Notification.objects.filter(recipient=citizen).count() >= 4
    assert Notification.objects.filter(recipient=opd_officer).exists()


@pytest.mark.parametrize(
    ("who", "call", "code"),
    [
        ("citizen", lambda t, u: services.ticket_verify(ticket=t, moderator=u), "role"),
        ("opd_officer", lambda t, u: services.ticket_verify(ticket=t, moderator=u), "role"),
        ("moderator", lambda t, u: services.ticket_start(ticket=t, officer=u), "undeclared"),
        ("moderator", lambda t, u: services.ticket_close(ticket=t, reporter=u), "undeclared"),
        (
            "moderator",
            lambda t, u: services.ticket_reject(ticket=t, moderator=u, reason=" "),
            "note",
        ),
    ],
)
def test_refused_moderation_changes_nothing(request, citizen, category, who, call, code):
    ticket = ticket_make(reporter=citizen, category=category)
    actor = request.getfixturevalue(who)
    before = (history(ticket), Ticket.objects.get(pk=ticket.pk).status)
    with pytest.raises(TransitionRefused) as exc:
        call(ticket, actor)
    assert exc.value.code == code
    assert (history(ticket), Ticket.objects.get(pk=ticket.pk).status) == before


def test_agency_actions_only_by_the_assigned_agency(
    citizen, category, moderator, opd_officer, dlh_officer
):
    ticket = ticket_assigned(reporter=citizen, moderator=moderator, category=category)
    with pytest.raises(TransitionRefused) as exc:
        services.ticket_start(ticket=ticket, officer=dlh_officer)
    assert exc.value.code == "unit"
    with pytest.raises(TransitionRefused) as exc:
        services.ticket_resolve(ticket=ticket, officer=citizen, response="x")
    assert exc.value.code == "role"
    services.ticket_start(ticket=ticket, officer=opd_officer)
    assert Ticket.objects.get(pk=ticket.pk).status == "in_progress"


def test_reject_and_merge(citizen, make_citizen, category, moderator):
    t1 = ticket_public(reporter=citizen, moderator=moderator, category=category)
    t2 = ticket_make(reporter=make_citizen(), category=category)
    services.ticket_merge(ticket=t2, moderator=moderator, into=t1)
    t1.refresh_from_db()
    assert t2.status == "merged" and t2.merged_into == t1 and t1.me_too_count == 1
    t3 = ticket_make(reporter=citizen, category=category)
    services.ticket_reject(ticket=t3, moderator=moderator, reason="Bukan kewenangan Pemko.")
    assert Ticket.objects.get(pk=t3.pk).status_notes == "Bukan kewenangan Pemko."
    with pytest.raises(ValidationError):
        services.ticket_merge(ticket=t3, moderator=moderator, into=t3)


def test_sla_due_skips_weekend_and_holiday(citizen, category, moderator):
    # Friday 14 Aug 2026; Monday 17 Aug is Independence Day: 5 working days -> Mon 24 Aug.
    ticket = ticket_assigned(
        reporter=citizen, moderator=moderator, category=category, today=datetime.date(2026, 8, 14)
    )
    assert Ticket.objects.get(pk=ticket.pk).sla_due == datetime.date(2026, 8, 24)


def test_asking_for_information_pauses_the_clock(citizen, category, moderator, opd_officer):
    ticket = ticket_assigned(
        reporter=citizen, moderator=moderator, category=category, today=datetime.date(2026, 8, 3)
    )
    assert ticket.sla_due == datetime.date(2026, 8, 10)
    services.ticket_ask_info(
        ticket=ticket,
        officer=opd_officer,
        question="Di sisi mana?",
        today=datetime.date(2026, 8, 5),
    )
    ticket.refresh_from_db()
    assert ticket.status == "need_info" and ticket.sla_paused_on == datetime.date(2026, 8, 5)
    # Answered five days later (3 working days): the due date moves 3 working days on.
    services.ticket_answer_info(
        ticket=ticket, reporter=citizen, answer="Sisi utara.", today=datetime.date(2026, 8, 10)
    )
    ticket.refresh_from_db()
    assert ticket.status == "in_progress" and ticket.sla_paused_on is None
    assert ticket.sla_due == datetime.date(2026, 8, 13)
    assert list(Message.objects.filter(ticket=ticket).values_list("from_reporter", flat=True)) == [
        False,
        True,
    ]


def test_reopen_within_seven_days_only(citizen, category, moderator, opd_officer):
    ticket = ticket_assigned(reporter=citizen, moderator=moderator, category=category)
    services.ticket_resolve(ticket=ticket, officer=opd_officer, response="Selesai.")
    with pytest.raises(TransitionRefused):
        services.ticket_reopen(
            ticket=ticket,
            reporter=citizen,
            reason="Masih rusak",
            today=timezone.localdate() + datetime.timedelta(days=8),
        )
    services.ticket_reopen(ticket=ticket, reporter=citizen, reason="Masih rusak")
    ticket.refresh_from_db()
    assert ticket.status == "assigned" and ticket.resolved_at is None and ticket.sla_due


def test_auto_close_after_seven_days_without_answer(citizen, category, moderator, opd_officer):
    ticket = ticket_assigned(reporter=citizen, moderator=moderator, category=category)
    services.ticket_resolve(ticket=ticket, officer=opd_officer, response="Selesai.")
    assert services.ticket_auto_close_due() == 0
    later = timezone.now() + datetime.timedelta(days=7, hours=1)
    assert services.ticket_auto_close_due(now=later) == 1
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    last = StatusChange.objects.filter(
        object_id=str(ticket.pk), workflow="masyarakat.ticket"
    ).last()
    assert last.actor is None and last.action == "auto_close"
    assert services.ticket_auto_close_due(now=later) == 0


def test_me_too_once_per_citizen(citizen, make_citizen, category, moderator):
    ticket = ticket_public(reporter=citizen, moderator=moderator, category=category)
    other = make_citizen()
    assert services.ticket_me_too(ticket=ticket, user=other) is True
    assert services.ticket_me_too(ticket=ticket, user=other) is False
    assert Ticket.objects.get(pk=ticket.pk).me_too_count == 1
    assert MeToo.objects.count() == 1
    with pytest.raises(ValidationError):
        services.ticket_me_too(ticket=ticket, user=citizen)  # own ticket


def test_sla_check_reminds_and_escalates_once(citizen, category, moderator, opd_officer, leader):
    ticket = ticket_assigned(
        reporter=citizen, moderator=moderator, category=category, today=datetime.date(2026, 8, 3)
    )  # due Mon 10 Aug
    assert services.ticket_sla_check(today=datetime.date(2026, 8, 6)) == {
        "reminder": 0,
        "overdue": 0,
    }
    assert services.ticket_sla_check(today=datetime.date(2026, 8, 7)) == {
        "reminder": 1,
        "overdue": 0,
    }
    assert services.ticket_sla_check(today=datetime.date(2026, 8, 11)) == {
        "reminder": 0,
        "overdue": 1,
    }
    assert services.ticket_sla_check(today=datetime.date(2026, 8, 12)) == {
        "reminder": 0,
        "overdue": 0,
    }
    assert set(
        NotifiedOnce.objects.filter(key__endswith=f":{ticket.pk}").values_list("key", flat=True)
    ) == {
        f"masyarakat.reminder:{ticket.pk}",
        f"masyarakat.overdue:{ticket.pk}",
    }
    # The leaders hear of it from the command center's alert, not from here.
    assert not Notification.objects.filter(recipient=leader, title__contains=ticket.number).exists()
    assert (
        Notification.objects.filter(recipient=opd_officer, title__contains="Lewat batas").count()
        == 1
    )


def test_paused_ticket_is_not_escalated(citizen, category, moderator, opd_officer):
    ticket = ticket_assigned(
        reporter=citizen, moderator=moderator, category=category, today=datetime.date(2026, 8, 3)
    )
    services.ticket_ask_info(
        ticket=ticket, officer=opd_officer, question="Foto lagi?", today=datetime.date(2026, 8, 4)
    )
    assert services.ticket_sla_check(today=datetime.date(2026, 8, 20))["overdue"] == 0
