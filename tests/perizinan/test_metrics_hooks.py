"""e-Perizinan's command center hooks: overdue alerts, the wallboard panel and the open
dataset, computed from applications made through the services."""

import datetime

import pytest
from django.utils import timezone

from binjai_portal.core import kpi, workdays
from perizinan import services

from . import factories

pytestmark = pytest.mark.django_db

D = datetime.date
SUBMITTED = D(2026, 2, 2)  # a Monday; a 5-working-day standard ends Monday 9 February


def _rule():
    return kpi.registry.alert_rules[("perizinan", "overdue")].compute


@pytest.fixture
def files(practice, citizen, make_citizen, permit_verifier):
    """Late at the document check, late at technical review, paused, and not yet late."""
    checking = factories.submitted(practice, citizen, today=SUBMITTED)
    review = factories.submitted(practice, make_citizen(full_name="Budi Pemohon"), today=SUBMITTED)
    services.application_accept(application=review, actor=permit_verifier, today=D(2026, 2, 3))
    paused = factories.submitted(practice, make_citizen(), today=SUBMITTED)
    doc = paused.documents.first()
    services.application_request_revision(
        application=paused, actor=permit_verifier, notes={doc.pk: "Scan buram"}, today=D(2026, 2, 4)
    )
    fresh = factories.submitted(practice, make_citizen(), today=D(2026, 2, 9))
    return {"checking": checking, "review": review, "paused": paused, "fresh": fresh}


def test_one_cause_per_late_file_with_stable_keys_and_units(files, citizen):
    checking, review = files["checking"], files["review"]
    assert checking.sla_due == D(2026, 2, 9)
    causes = {c.key: c for c in _rule()(D(2026, 2, 10))}

    assert set(causes) == {
        f"perizinan:overdue:{checking.number}",
        f"perizinan:overdue:{review.number}",
    }
    assert set(causes) == {c.key for c in _rule()(D(2026, 2, 10))}
    first = causes[f"perizinan:overdue:{checking.number}"]
    assert (
        str(first.title) == f"Izin melewati standar pelayanan: {checking.number} "
        "(Surat Izin Praktik Bidan)"
    )
    assert "9 Februari 2026" in str(first.body) and "terlambat 1 hari kerja" in str(first.body)
    assert "Pemeriksaan berkas" in str(first.body)
    assert first.unit_codes == ("dpmptsp",)
    assert first.url == f"/perizinan/permohonan/{checking.pk}/"
    assert first.severity == "warning"
    at_review = causes[f"perizinan:overdue:{review.number}"]
    assert at_review.unit_codes == ("dpmptsp", "dinkes")
    assert "Kajian teknis" in str(at_review.body)
    for cause in causes.values():
        text = " ".join((str(cause.title), str(cause.body), cause.url))
        for personal in (citizen.full_name, "Budi Pemohon", citizen.nik, citizen.phone):
            assert personal not in text


def test_severity_turns_danger_after_five_working_days_late(files):
    day = D(2026, 3, 2)
    assert workdays.working_days_between(D(2026, 2, 9), day) > 5
    causes = list(_rule()(day))
    assert len(causes) == 3  # the file submitted on the 9th is late by now too
    by_number = {c.key.rsplit(":", 1)[1]: c.severity for c in causes}
    assert by_number[files["checking"].number] == "danger"


def test_the_alert_rule_does_not_query_per_file(
    practice, make_citizen, django_assert_max_num_queries
):
    for _n in range(5):
        factories.submitted(practice, make_citizen(), today=SUBMITTED)
    with django_assert_max_num_queries(2):
        causes = list(_rule()(D(2026, 2, 20)))
    assert len(causes) == 5


def test_overdue_panel(practice, building, citizen, make_citizen):
    today = timezone.localdate()
    late = factories.submitted(practice, citizen, today=today - datetime.timedelta(days=40))
    factories.submitted(building, make_citizen(), today=today)

    table = kpi.registry.panels[("perizinan", "overdue")].compute()
    assert table.columns == ("Nomor", "Jenis", "Tahap", "Terlambat (hari kerja)")
    assert table.rows == (
        (
            late.number,
            "Surat Izin Praktik Bidan",
            "Pemeriksaan berkas",
            workdays.working_days_between(late.sla_due, today),
        ),
    )


def test_dataset_counts_per_type(practice, building, citizen, make_citizen):
    day = D(2026, 2, 2)
    a = factories.submitted(practice, citizen, today=day)
    factories.submitted(practice, make_citizen(), today=day)
    services.application_withdraw(application=a, actor=citizen, today=day)
    factories.submitted(building, make_citizen(), today=day)
    factories.submitted(building, make_citizen(), today=D(2026, 3, 2))  # another period
    factories.draft(building, make_citizen())  # never submitted
    spec = kpi.registry.datasets[("perizinan", "applications-by-type")]

    data = spec.compute(kpi.Period(D(2026, 2, 1), D(2026, 2, 28)))
    assert data.columns[:3] == ("Kode jenis", "Jenis izin", "Diajukan")
    assert data.rows == (
        ("pbg", "Persetujuan Bangunan Gedung (PBG)", 1, 0, 0, 0, 1, 0),
        ("sip-bidan", "Surat Izin Praktik Bidan", 2, 0, 0, 1, 1, 0),
    )
    assert str(spec.title) == "Permohonan izin per jenis"
