"""What staff and officials see of the national links."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from binjai_portal.core import kpi
from binjai_portal.core.models import OutboxMessage
from dokter import services
from dokter.bpjs import outbound
from dokter.models import Booking
from tests.dokter.conftest import DAY, ON_DAY

from .conftest import NIK

pytestmark = pytest.mark.django_db
URL = "/dokter/petugas/integrasi/"


def fail(world, n: int, error="BPJS 201: TaskId tidak berurutan"):
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            system="bpjs",
            kind=outbound.KIND,
            scope=outbound.scope(world["facility"].pk),
            payload={"path": "antrean/updatewaktu", "body": {"nik": NIK}},
            status="failed",
            last_error=error,
            attempts=1,
        )
        for _ in range(n)
    )


def test_staff_see_backlog_and_failures_with_the_error(client, world, clinic_clerk):
    fail(world, 2)
    client.force_login(clinic_clerk)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "TaskId tidak berurutan" in html
    assert (
        'data-testid="integration-bpjs"' in html and 'data-testid="integration-satusehat"' in html
    )
    assert NIK not in html  # the payload is never shown


def test_other_facilities_and_citizens_do_not(client, world, citizen, make_staff):
    fail(world, 1)
    client.force_login(citizen)
    assert client.get(URL).status_code == 404
    client.force_login(make_staff("petugas_puskesmas", "puskesmas-demo-utara"))
    answer = client.get(URL)
    assert answer.status_code == 404 or "TaskId tidak berurutan" not in answer.content.decode()


@pytest.mark.parametrize("rows", [5, 50])
def test_query_count_does_not_grow_with_failures(client, world, clinic_clerk, rows):
    fail(world, rows)
    client.force_login(clinic_clerk)
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    test_query_count_does_not_grow_with_failures.counts[rows] = len(queries)
    if len(test_query_count_does_not_grow_with_failures.counts) == 2:
        assert len(set(test_query_count_does_not_grow_with_failures.counts.values())) == 1


test_query_count_does_not_grow_with_failures.counts = {}


def test_command_center_figures_by_channel(world, citizen, clinic_clerk, on_day):
    services.booking_register_onsite(
        staff=clinic_clerk, poli=world["poli"], patient_name="L", payment="umum", now=ON_DAY
    )
    services.booking_register_onsite(
        staff=clinic_clerk,
        poli=world["poli"],
        patient_name="K",
        payment="umum",
        now=ON_DAY,
        source=Booking.Source.KIOSK,
    )
    services.booking_create(
        actor=citizen,
        schedule=world["schedules"][DAY.weekday()],
        date=DAY,
        patient=citizen,
        payment="umum",
    )
    fail(world, 1)
    filters = kpi.Filters(period=kpi.Period(DAY, DAY))
    section = kpi.registry.sections[("dokter", "channels")].compute(filters)
    by_channel = {row[0]: row[1] for row in section.tables[1].rows}
    assert by_channel == {"Portal": 1, "Mobile JKN": 0, "Loket": 1, "Anjungan mandiri": 1}
    (integration,) = section.tables[0].rows
    assert integration[1] == "bpjs" and integration[4] == 1
    figure = kpi.registry.figures[("dokter", "mobile_jkn")].compute(filters)
    assert figure.value == 0
