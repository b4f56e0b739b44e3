"""e-Masyarakat's command center hooks: overdue alerts, counts per kelurahan, wallboard
panels and the open dataset, computed from tickets made through the services."""

import datetime

import pytest
from django.utils import timezone

from binjai_portal.core import kpi, workdays
from masyarakat import services

from .factories import ticket_assigned, ticket_make, ticket_public

pytestmark = pytest.mark.django_db

D = datetime.date
ASSIGNED = D(2026, 2, 2)  # a Monday; SLA 5 working days -> due Monday 9 February
CREATED = timezone.make_aware(datetime.datetime(2026, 2, 1, 9, 0))


def _rule(key):
    return kpi.registry.alert_rules[("masyarakat", key)].compute


def _assigned(citizen, moderator, category, **kw):
    return ticket_assigned(
        reporter=citizen,
        moderator=moderator,
        category=category,
        today=ASSIGNED,
        created_at=CREATED,
        **kw,
    )


@pytest.fixture
def late(citizen, moderator, category, opd_officer):
    """Two overdue tickets (one confidential), and three that are not overdue."""
    public = _assigned(citizen, moderator, category)
    secret = _assigned(
        citizen,
        moderator,
        category,
        confidential=True,
        title="Pungli oleh oknum Kelurahan",
        address="Rumah Bu Siti, Gg. Mawar 3",
    )
    paused = _assigned(citizen, moderator, category)
    services.ticket_ask_info(
        ticket=paused, officer=opd_officer, question="Di mana tepatnya?", today=D(2026, 2, 5)
    )
    later = ticket_assigned(
        reporter=citizen, moderator=moderator, category=category, today=D(2026, 2, 9)
    )
    resolved = _assigned(citizen, moderator, category)
    services.ticket_resolve(ticket=resolved, officer=opd_officer, response="Sudah ditambal")
    return {"public": public, "secret": secret, "paused": paused, "later": later}


def test_one_cause_per_overdue_ticket_with_stable_keys(late):
    public, secret = late["public"], late["secret"]
    assert public.sla_due == D(2026, 2, 9)
    causes = list(_rule("overdue")(D(2026, 2, 10)))

    assert sorted(c.key for c in causes) == sorted(
        [f"masyarakat:overdue:{public.number}", f"masyarakat:overdue:{secret.number}"]
    )
    assert [c.key for c in _rule("overdue")(D(2026, 2, 10))] == [c.key for c in causes]
    by_key = {c.key: c for c in causes}
    cause = by_key[f"masyarakat:overdue:{public.number}"]
    assert str(cause.title) == f"Pengaduan lewat batas waktu: {public.number} (Jalan rusak)"
    assert "9 Februari 2026" in str(cause.body) and "1 hari kerja" in str(cause.body)
    assert cause.url == f"/masyarakat/tiket/{public.number}/"
    assert cause.unit_codes == ("dpupr",)
    assert cause.severity == "warning"


def test_a_confidential_ticket_gives_no_personal_data(late, citizen):
    secret = late["secret"]
    cause = next(
        c
        for c in _rule("overdue")(D(2026, 2, 10))
        if c.key == f"masyarakat:overdue:{secret.number}"
    )
    text = " ".join((cause.key, str(cause.title), str(cause.body), cause.url))

    assert secret.number in str(cause.title) and "rahasia" in str(cause.title)
    for secret_bit in (
        secret.title,
        "Pungli",
        "Mawar",
        "Jalan rusak",
        citizen.full_name,
        citizen.nik,
        citizen.phone,
        citizen.email,
    ):
        assert secret_bit and secret_bit not in text
    assert cause.unit_codes == ("dpupr",)


def test_severity_turns_danger_after_five_working_days_late(late):
    day = D(2026, 3, 2)
    assert workdays.working_days_between(D(2026, 2, 9), day) > 5
    causes = list(_rule("overdue")(day))
    assert {c.severity for c in causes} == {"danger"}
    # The ticket assigned a week later is overdue now as well (and only a few days).
    later = next(c for c in causes if c.key.endswith(late["later"].number))
    assert later.key == f"masyarakat:overdue:{late['later'].number}"


def test_the_command_center_raises_each_cause_once(late):
    from command_center.models import Alert
    from command_center.services import alerts_evaluate

    first = alerts_evaluate(today=D(2026, 2, 10))
    again = alerts_evaluate(today=D(2026, 2, 11))

    mine = [a for a in first if a.app == "masyarakat"]
    assert len(mine) == 2 and not [a for a in again if a.app == "masyarakat"]
    assert Alert.objects.filter(app="masyarakat", unit__code="dpupr").count() == 2


def test_the_alert_rule_does_not_query_per_ticket(
    citizen, moderator, category, django_assert_max_num_queries
):
    for _n in range(6):
        _assigned(citizen, moderator, category)
    with django_assert_max_num_queries(2):
        causes = list(_rule("overdue")(D(2026, 2, 20)))
    assert len(causes) == 6


def test_region_count_counts_public_tickets_per_kelurahan(
    citizen, moderator, category, rubbish_category
):
    today = timezone.localdate()
    period = kpi.Period(today - datetime.timedelta(days=6), today)
    for _n in range(2):
        ticket_public(reporter=citizen, moderator=moderator, category=category)
    ticket_public(
        reporter=citizen,
        moderator=moderator,
        category=rubbish_category,
        kelurahan_code="12.75.02.1002",
    )
    ticket_public(
        reporter=citizen, moderator=moderator, category=category, kelurahan_code="12.75.01.1001"
    )
    ticket_public(reporter=citizen, moderator=moderator, category=category, confidential=True)
    ticket_make(reporter=citizen, category=category)  # not moderated yet: not public
    ticket_public(
        reporter=citizen,
        moderator=moderator,
        category=category,
        created_at=timezone.now() - datetime.timedelta(days=30),
    )  # before the period
    count = kpi.registry.region_counts[("masyarakat", "tickets")]

    assert str(count.label) == "Pengaduan"
    assert count.compute(kpi.Filters(period)) == {
        "12.75.02.1001": 2,
        "12.75.02.1002": 1,
        "12.75.01.1001": 1,
    }
    assert count.compute(kpi.Filters(period, kecamatan="12.75.02")) == {
        "12.75.02.1001": 2,
        "12.75.02.1002": 1,
    }
    assert count.compute(kpi.Filters(period, agency="dlh")) == {"12.75.02.1002": 1}


def test_panels_show_newest_public_and_overdue_tickets(citizen, moderator, category):
    today = timezone.localdate()
    old = ticket_assigned(
        reporter=citizen,
        moderator=moderator,
        category=category,
        today=today - datetime.timedelta(days=40),
    )
    secret = ticket_public(
        reporter=citizen, moderator=moderator, category=category, confidential=True
    )
    hidden = ticket_make(reporter=citizen, category=category)
    newest = ticket_public(reporter=citizen, moderator=moderator, category=category)

    table = kpi.registry.panels[("masyarakat", "newest")].compute()
    assert table.columns == ("Nomor", "Kategori", "Kelurahan", "Status")
    assert table.rows == (
        (newest.number, "Jalan rusak", "Berngam", "Diverifikasi"),
        (old.number, "Jalan rusak", "Berngam", "Diteruskan ke OPD"),
    )
    assert secret.number not in str(table.rows) and hidden.number not in str(table.rows)

    table = kpi.registry.panels[("masyarakat", "overdue")].compute()
    agency = old.agency.short_name or old.agency.name
    assert table.rows == ((old.number, agency, workdays.working_days_between(old.sla_due, today)),)
    assert table.rows[0][2] > 0


def test_dataset_counts_per_category_and_status(
    citizen, moderator, category, rubbish_category, opd_officer
):
    today = timezone.localdate()
    period = kpi.Period(today - datetime.timedelta(days=6), today)
    ticket_public(reporter=citizen, moderator=moderator, category=category)
    ticket_public(reporter=citizen, moderator=moderator, category=category, confidential=True)
    ticket_make(reporter=citizen, category=category)
    ticket_make(reporter=citizen, category=rubbish_category, kelurahan_code="12.75.02.1002")
    ticket_make(
        reporter=citizen, category=category, created_at=timezone.now() - datetime.timedelta(days=30)
    )
    spec = kpi.registry.datasets[("masyarakat", "tickets-by-category")]

    data = spec.compute(period)
    assert data.columns == ("Kode kategori", "Kategori", "Status", "Jumlah")
    assert set(data.rows) == {
        ("jalan-rusak", "Jalan rusak", "Diajukan", 1),
        ("jalan-rusak", "Jalan rusak", "Diverifikasi", 2),
        ("sampah", "Sampah tidak diangkut", "Diajukan", 1),
    }
    assert str(spec.title) and str(spec.description)
