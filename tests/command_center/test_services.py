import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from binjai_portal.core import kpi
from binjai_portal.core.models import Closure, Delivery, Notification, StatusChange
from binjai_portal.core.notifications import delivery_send
from binjai_portal.core.workflow import TransitionRefused
from command_center import services
from command_center.models import Alert, Snapshot, Target

D = datetime.date


@pytest.mark.parametrize(
    ("value", "target", "better", "expected"),
    [
        (92, 90, "higher", "good"),
        (90, 90, "higher", "good"),
        (85, 90, "higher", "near"),
        (80, 90, "higher", "bad"),
        (25, 30, "lower", "good"),
        (32.5, 30, "lower", "near"),
        (40, 30, "lower", "bad"),
        (None, 30, "lower", ""),
        (10, None, "higher", ""),
    ],
)
def test_a_value_is_judged_against_its_target(value, target, better, expected):
    assert services.status_against_target(value, target, better) == expected


# --- snapshots -------------------------------------------------------------------------


@pytest.fixture
def closures_figure(test_registry):
    def closures(filters):
        return kpi.Value(
            Closure.objects.filter(date__range=(filters.period.start, filters.period.end)).count()
        )

    test_registry.register_figure("core", "closures", label="Libur lokal", compute=closures)
    return test_registry


def test_a_snapshot_stores_every_figure_for_the_day_once(db, closures_figure):
    Closure.objects.create(date=D(2026, 3, 20), name="Banjir")

    assert services.snapshot_take(day=D(2026, 3, 20)) == 3
    assert services.snapshot_take(day=D(2026, 3, 20)) == 0  # the same day again: nothing new

    values = dict(((s.app, s.key), s.value) for s in Snapshot.objects.filter(date=D(2026, 3, 20)))
    assert values == {
        ("masyarakat", "closed"): Decimal(6),
        ("masyarakat", "sla_compliance"): Decimal("82.5"),
        ("core", "closures"): Decimal(1),
    }


def test_a_snapshot_survives_later_changes_to_the_rows(db, closures_figure):
    Closure.objects.create(date=D(2026, 3, 20), name="Banjir")
    services.snapshot_take(day=D(2026, 3, 20))

    Closure.objects.all().delete()
    services.snapshot_take(day=D(2026, 3, 20))

    assert Snapshot.objects.get(key="closures", date=D(2026, 3, 20)).value == 1


def test_a_broken_figure_does_not_stop_the_others(db, test_registry):
    test_registry.register_figure("uji", "broken", label="Rusak", compute=lambda f: 1 / 0)

    assert services.snapshot_take(day=D(2026, 3, 3)) == 2
    assert not Snapshot.objects.filter(key="broken").exists()


def test_the_snapshot_task_defaults_to_yesterday(db, test_registry, frozen_today):
    from command_center.tasks import snapshot_take_task

    assert snapshot_take_task.apply().get() == 2
    assert set(Snapshot.objects.values_list("date", flat=True)) == {D(2026, 3, 30)}
    assert snapshot_take_task.apply(args=("2026-03-03",)).get() == 2
    assert Snapshot.objects.get(key="closed", date=D(2026, 3, 3)).value == 5


# --- alerts ----------------------------------------------------------------------------


@pytest.fixture
def overdue_rule(test_registry):
    late = ["ADU-2026-00001"]

    def rule(today):
        return [
            kpi.AlertCause(
                key=f"masyarakat:overdue:{n}",
                title=f"Pengaduan {n} lewat batas",
                body="Lewat 3 hari kerja.",
                url="/masyarakat/",
                unit_codes=("dpupr",),
                severity="danger",
            )
            for n in late
        ]

    test_registry.register_alert_rule("masyarakat", "overdue", compute=rule)
    return late


def test_an_alert_is_raised_once_per_cause(
    db, overdue_rule, leader, opd_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [alert] = services.alerts_evaluate(today=D(2026, 3, 31))

    assert (alert.status, alert.severity, alert.unit.code) == ("open", "danger", "dpupr")
    assert StatusChange.objects.filter(object_id=str(alert.pk), to_state="open").count() == 1
    # Pimpinan by e-mail and inbox; the responsible agency's officers in their inbox.
    assert Notification.objects.filter(recipient=leader, url=alert.get_absolute_url()).exists()
    assert Delivery.objects.filter(notification__recipient=leader, channel="email").exists()
    assert Notification.objects.filter(recipient=opd_officer).exists()
    assert not Delivery.objects.filter(notification__recipient=opd_officer).exists()
    email = Delivery.objects.get(notification__recipient=leader)
    delivery_send(delivery_id=email.pk)  # what the worker does with the queued task
    assert [m.to for m in mail.outbox] == [[leader.email]]

    assert services.alerts_evaluate(today=D(2026, 4, 1)) == []  # same cause: not again
    overdue_rule.append("ADU-2026-00002")
    assert len(services.alerts_evaluate(today=D(2026, 4, 1))) == 1
    assert Alert.objects.count() == 2


def test_a_closed_alert_stays_closed_on_the_next_run(db, overdue_rule, leader):
    [alert] = services.alerts_evaluate()

    services.alert_acknowledge(alert=alert, actor=leader)
    services.alert_close(alert=alert, actor=leader, note="Sudah ditangani DPUPR.")

    alert.refresh_from_db()
    assert alert.status == "closed"
    assert StatusChange.objects.filter(object_id=str(alert.pk)).values_list(
        "to_state", "note"
    ).last() == ("closed", "Sudah ditangani DPUPR.")
    assert services.alerts_evaluate() == []
    assert Alert.objects.get().status == "closed"


def test_closing_needs_a_note_and_a_right(db, overdue_rule, leader, citizen, make_staff):
    [alert] = services.alerts_evaluate()
    other_agency = make_staff("petugas_opd", "dlh")

    with pytest.raises(TransitionRefused) as refused:
        services.alert_close(alert=alert, actor=leader, note="  ")
    assert refused.value.code == "note"
    with pytest.raises(TransitionRefused) as refused:
        services.alert_close(alert=alert, actor=citizen, note="tutup")
    assert refused.value.code == "role"
    with pytest.raises(TransitionRefused) as refused:
        services.alert_close(alert=alert, actor=other_agency, note="tutup")
    assert refused.value.code == "unit"
    assert Alert.objects.get().status == "open"


def test_a_missed_target_raises_one_alert_per_week(db, test_registry, leader):
    Target.objects.create(app="masyarakat", key="sla_compliance", target=Decimal(90))
    Target.objects.create(app="masyarakat", key="closed", target=Decimal(0))  # always met

    [alert] = services.alerts_evaluate(today=D(2026, 3, 25))

    assert alert.cause_key == "target:masyarakat:sla_compliance:2026-W13"
    assert "82.5" in alert.body and "90" in alert.body
    assert services.alerts_evaluate(today=D(2026, 3, 27)) == []  # same ISO week
    assert len(services.alerts_evaluate(today=D(2026, 3, 31))) == 1  # next week


def test_the_alert_task_runs_the_rules(db, overdue_rule):
    from command_center.tasks import alerts_evaluate_task

    assert alerts_evaluate_task.apply().get() == 1
    assert alerts_evaluate_task.apply().get() == 0


# --- targets ---------------------------------------------------------------------------


def test_a_target_is_set_only_for_a_registered_figure(db, test_registry, administrator):
    from django.core.exceptions import ValidationError

    services.target_set(app="masyarakat", key="closed", target=Decimal(10), actor=administrator)
    services.target_set(app="masyarakat", key="closed", target=Decimal(12), actor=administrator)
    assert Target.objects.get().target == 12

    with pytest.raises(ValidationError):
        services.target_set(app="masyarakat", key="nope", target=Decimal(1), actor=administrator)
    assert Target.objects.count() == 1


# --- digest and scale command ------------------------------------------------------------


def test_the_weekly_digest_is_mailed_to_pimpinan_as_pdf(db, test_registry, leader, citizen):
    assert services.digest_send(today=D(2026, 3, 25)) == 1

    [message] = mail.outbox
    assert message.to == [leader.email]
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert name == "ringkasan-bcc-2026-03-24.pdf"


def test_the_scale_command_runs_each_registered_generator(db, test_registry):
    calls = []
    test_registry.register_scale_generator(
        "masyarakat", generate=lambda factor, log: calls.append(("masyarakat", factor)), order=20
    )
    test_registry.register_scale_generator(
        "dokter", generate=lambda factor, log: calls.append(("dokter", factor)), order=10
    )

    call_command("generate_scale_data", "--factor", "0.01")
    assert calls == [("dokter", 0.01), ("masyarakat", 0.01)]

    call_command("generate_scale_data", "--app", "masyarakat")
    assert calls[-1] == ("masyarakat", 1.0)
    with pytest.raises(CommandError):
        call_command("generate_scale_data", "--app", "nope")
    with pytest.raises(CommandError):
        call_command("generate_scale_data", "--factor", "0")
