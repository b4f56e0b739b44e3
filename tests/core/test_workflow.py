"""The workflow engine, on a workflow declared here for a test model."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from binjai_portal.core.models import Notification, Region, StatusChange
from binjai_portal.core.workflow import (
    OWNER,
    SYSTEM,
    Action,
    State,
    TransitionRefused,
    Workflow,
    timeline,
    transition,
    workflow_start,
)


class Ticket(models.Model):
    title = models.CharField(max_length=50)
    status = models.CharField(max_length=20, default="new")
    kelurahan = models.ForeignKey(Region, on_delete=models.PROTECT)
    owner = models.ForeignKey("accounts.User", on_delete=models.PROTECT)
    sla_due = models.DateField(null=True, blank=True)
    sla_paused_on = models.DateField(null=True, blank=True)

    class Meta:
        app_label = "workflow_test"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"/tiket/{self.pk}/"


TICKET = Workflow(
    name="test.ticket",
    states=(
        State("new", _("Baru")),
        State("submitted", _("Diajukan"), sla_days=5),
        State("need_info", _("Perlu info"), pauses_sla=True),
        State("verified", _("Diverifikasi"), sla_days=lambda t: 3),
        State("rejected", _("Ditolak"), final=True),
    ),
    actions=(
        Action("submit", ("new", "need_info"), "submitted", roles=(OWNER,), notify=lambda t: []),
        Action(
            "ask_info",
            ("submitted",),
            "need_info",
            roles=("petugas_kelurahan",),
            note_required=True,
            notify=lambda t: [t.owner],
        ),
        Action("answer", ("need_info",), "submitted", roles=(OWNER,)),
        Action(
            "verify",
            ("submitted",),
            "verified",
            roles=("petugas_kelurahan",),
            notify=lambda t: [t.owner],
        ),
        Action(
            "reject",
            ("submitted",),
            "rejected",
            roles=("petugas_kelurahan",),
            note_required=True,
            notify=lambda t: [t.owner],
        ),
    ),
    scope={"region_field": "kelurahan", "owner_field": "owner"},
    due_field="sla_due",
    paused_field="sla_paused_on",
)


@pytest.fixture
def ticket_table(db):
    with connection.schema_editor() as editor:
        editor.create_model(Ticket)
    # The table and its content type are rolled back with the test transaction
    # (PostgreSQL DDL is transactional); forget the cached content type id too.
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def ticket(ticket_table, citizen, kelurahan):
    t = Ticket.objects.create(title="Lampu jalan mati", kelurahan=kelurahan, owner=citizen)
    workflow_start(t, workflow=TICKET, state="new", actor=citizen)
    return t


def history(t):
    return list(
        StatusChange.objects.filter(object_id=str(t.pk), workflow="test.ticket").values_list(
            "from_state", "to_state", "actor_id", "note"
        )
    )


def test_declaring_an_action_to_an_unknown_state_fails_at_import():
    with pytest.raises(ValueError):
        Workflow(name="x", states=(State("a", "A"),), actions=(Action("go", ("a",), "b", ()),))


def test_allowed_action_by_the_right_role_writes_state_history_and_notifies(
    ticket, citizen, kelurahan_officer
):
    transition(
        ticket, workflow=TICKET, action="submit", actor=citizen, today=datetime.date(2025, 3, 26)
    )
    change = transition(
        ticket, workflow=TICKET, action="verify", actor=kelurahan_officer, note="Lokasi sudah dicek"
    )
    ticket.refresh_from_db()
    assert ticket.status == "verified"
    assert change.from_state == "submitted" and change.to_state == "verified"
    assert history(ticket)[-1] == (
        "submitted",
        "verified",
        kelurahan_officer.pk,
        "Lokasi sudah dicek",
    )
    notification = Notification.objects.get(recipient=citizen)
    assert "Diverifikasi" in notification.title
    assert notification.url == f"/tiket/{ticket.pk}/"


@pytest.mark.parametrize(
    ("actor_name", "action", "note", "code"),
    [
        ("opd_officer", "verify", "", "role"),  # wrong role
        ("other_kelurahan_officer", "verify", "", "unit"),  # right role, other kelurahan
        ("kelurahan_officer", "complete", "", "undeclared"),  # no such action
        ("kelurahan_officer", "reject", "  ", "note"),  # note required
        ("other_citizen", "answer", "", "undeclared"),  # not from this state
    ],
)
def test_refusals_have_a_clear_message_and_change_nothing(
    request, ticket, citizen, make_staff, make_citizen, actor_name, action, note, code
):
    transition(ticket, workflow=TICKET, action="submit", actor=citizen)
    actors = {
        "opd_officer": lambda: make_staff("petugas_opd", "dpupr"),
        "other_kelurahan_officer": lambda: make_staff(
            "petugas_kelurahan", "kelurahan-12-75-02-1002"
        ),
        "kelurahan_officer": lambda: request.getfixturevalue("kelurahan_officer"),
        "other_citizen": lambda: make_citizen(),
    }
    actor = actors[actor_name]()
    before = (
        history(ticket),
        Ticket.objects.get(pk=ticket.pk).status,
        Notification.objects.count(),
    )

    with pytest.raises(TransitionRefused) as exc:
        transition(ticket, workflow=TICKET, action=action, actor=actor, note=note)

    assert exc.value.code == code
    assert str(exc.value.message)  # a sentence for the user
    assert (
        history(ticket),
        Ticket.objects.get(pk=ticket.pk).status,
        Notification.objects.count(),
    ) == before


def test_owner_only_action_is_refused_to_staff(ticket, kelurahan_officer):
    with pytest.raises(TransitionRefused) as exc:
        transition(ticket, workflow=TICKET, action="submit", actor=kelurahan_officer)
    assert exc.value.code == "role"
    assert Ticket.objects.get(pk=ticket.pk).status == "new"


def test_officers_act_only_within_their_unit(ticket, citizen, make_staff):
    transition(ticket, workflow=TICKET, action="submit", actor=citizen)
    elsewhere = make_staff("petugas_kelurahan", "kelurahan-12-75-01-1001")
    assert TICKET.available_actions(ticket, elsewhere) == []
    staff = make_staff("petugas_kelurahan", "kelurahan-12-75-02-1001")
    assert {a.name for a in TICKET.available_actions(ticket, staff)} == {
        "ask_info",
        "verify",
        "reject",
    }


def test_sla_due_date_skips_weekend_and_idul_fitri(ticket, citizen):
    # Wed 26 March 2025 + 5 working days: Thu 27, Fri 28, (weekend), Mon 31 March and
    # Tue 1 April are Idul Fitri, then Wed 2, Thu 3, Fri 4 April.
    transition(
        ticket, workflow=TICKET, action="submit", actor=citizen, today=datetime.date(2025, 3, 26)
    )
    ticket.refresh_from_db()
    assert ticket.sla_due == datetime.date(2025, 4, 4)


def test_sla_clock_pauses_while_the_citizen_is_asked(ticket, citizen, kelurahan_officer):
    transition(
        ticket, workflow=TICKET, action="submit", actor=citizen, today=datetime.date(2025, 3, 24)
    )  # Mon: 25-28 Mar, (Idul Fitri), 2 Apr
    ticket.refresh_from_db()
    assert ticket.sla_due == datetime.date(2025, 4, 2)
    transition(
        ticket,
        workflow=TICKET,
        action="ask_info",
        actor=kelurahan_officer,
        note="Mohon foto lokasi",
        today=datetime.date(2025, 3, 27),
    )  # Thu
    ticket.refresh_from_db()
    assert ticket.sla_paused_on == datetime.date(2025, 3, 27)
    # Answered Wed 2 April: paused Fri 28 Mar, (weekend, Idul Fitri), Wed 2 Apr = 2 days,
    # so the due date moves on by two working days instead of restarting.
    transition(
        ticket, workflow=TICKET, action="answer", actor=citizen, today=datetime.date(2025, 4, 2)
    )
    ticket.refresh_from_db()
    assert ticket.sla_paused_on is None
    assert ticket.sla_due == datetime.date(2025, 4, 4)


def test_actions_shown_match_role_and_state(ticket, citizen, kelurahan_officer):
    assert [a.name for a in TICKET.available_actions(ticket, citizen)] == ["submit"]
    assert TICKET.available_actions(ticket, kelurahan_officer) == []


def test_timeline_names_staff_only_to_staff(ticket, citizen, kelurahan_officer):
    transition(ticket, workflow=TICKET, action="submit", actor=citizen)
    transition(
        ticket,
        workflow=TICKET,
        action="reject",
        actor=kelurahan_officer,
        note="Bukan kewenangan kelurahan",
    )
    public = timeline(ticket, workflow=TICKET, viewer=citizen)
    staff = timeline(ticket, workflow=TICKET, viewer=kelurahan_officer)
    assert [e.to_label for e in public] == ["Baru", "Diajukan", "Ditolak"]
    assert public[-1].actor == "Kantor Kelurahan Berngam"
    assert staff[-1].actor == "Rudi Kelurahan"
    html = render_to_string("core/timeline.html", {"entries": public})
    assert "Bukan kewenangan kelurahan" in html and "Rudi" not in html


def test_timeline_hides_a_citizens_name_from_other_citizens(
    ticket, citizen, make_citizen, kelurahan_officer
):
    transition(ticket, workflow=TICKET, action="submit", actor=citizen)
    stranger = make_citizen()
    assert {e.actor for e in timeline(ticket, workflow=TICKET, viewer=stranger)} == {"Warga"}
    assert timeline(ticket, workflow=TICKET, viewer=None)[-1].actor == "Warga"
    assert timeline(ticket, workflow=TICKET, viewer=kelurahan_officer)[-1].actor == "Siti Aminah"
    shown = timeline(ticket, workflow=TICKET, viewer=stranger, show_citizen_names=True)
    assert shown[-1].actor == "Siti Aminah"


def test_a_system_action_is_taken_by_a_task_only(
    ticket_table, citizen, kelurahan, kelurahan_officer
):
    workflow = Workflow(
        name="test.expiry",
        states=(State("open", "Terbuka"), State("expired", "Kedaluwarsa", final=True)),
        actions=(Action("expire", ("open",), "expired", roles=(SYSTEM,)),),
        scope={"region_field": "kelurahan", "owner_field": "owner"},
    )
    t = Ticket.objects.create(title="x", kelurahan=kelurahan, owner=citizen, status="open")
    for person in (citizen, kelurahan_officer):
        with pytest.raises(TransitionRefused):
            transition(t, workflow=workflow, action="expire", actor=person)
        assert workflow.available_actions(t, person) == []
    change = transition(t, workflow=workflow, action="expire", actor=None)
    assert change.actor is None and Ticket.objects.get(pk=t.pk).status == "expired"
    assert timeline(t, workflow=workflow)[-1].actor == "Sistem"
