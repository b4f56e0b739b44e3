"""The console's rows offer exactly the steps the workflow engine allows for each entry's
state (core.actions, the shared action button), with one unit query for the whole queue:
the queue page's query count does not grow with its rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dokter import services
from dokter.models import Booking
from tests.offered import offered_forms

from .conftest import ON_DAY
from .test_views import book, login

pytestmark = pytest.mark.django_db
S = Booking.Status


@pytest.fixture
def queue(citizen, make_citizen, schedule, clinic_clerk, poli, lab, on_day):
    """Six entries of the poli on DAY: called, serving, absent, transferred, checked in,
    booked (not arrived)."""
    people = [citizen, *(make_citizen(full_name=f"Pasien {i}") for i in range(5))]
    bs = [book(p, schedule) for p in people]
    for b in bs[:5]:
        services.booking_check_in(staff=clinic_clerk, code=b.code, now=ON_DAY)
    a = {}
    for key in ("serving", "absent", "transferred", "called"):
        called = services.queue_call_next(staff=clinic_clerk, poli=poli, now=ON_DAY)
        if key == "absent":
            services.booking_mark_absent(staff=clinic_clerk, booking=called, now=ON_DAY)
        elif key in ("serving", "transferred"):
            services.booking_start_service(staff=clinic_clerk, booking=called, now=ON_DAY)
            if key == "transferred":
                services.booking_transfer(
                    staff=clinic_clerk, booking=called, to_poli=lab, now=ON_DAY
                )
        a[key] = called
    a["checked_in"], a["booked"] = bs[4], bs[5]
    return a


def test_each_row_offers_the_steps_of_its_state(client, clinic_clerk, poli, queue):
    login(client, clinic_clerk)
    html = client.get(reverse("dokter:console-queue", args=[poli.code])).content.decode()
    url = reverse("dokter:console-action", args=[poli.code])

    def row(booking) -> list[str]:
        start = html.index(f'data-testid="row-{booking.queue_number}"')
        end = html.find("</tr>", start)
        forms = offered_forms(html[start:end], url)
        return [step for f in forms for step in f.steps]

    assert row(queue["called"]) == ["recall", "start", "absent"]
    assert row(queue["serving"]) == ["finish", "transfer"]
    assert row(queue["absent"]) == ["requeue"]
    assert row(queue["transferred"]) == ["undo_transfer"]
    assert row(queue["checked_in"]) == []  # waiting: called from the big button, not skipped
    assert row(queue["booked"]) == []
    start = html.index(f'data-testid="row-{queue["called"].queue_number}"')
    called_row = html[start : html.find("</tr>", start)]
    assert ">Panggil ulang</button>" in called_row and "btn-outline-secondary" in called_row
    serving = html.index(f'data-testid="row-{queue["serving"].queue_number}"')
    assert f'id="to-{queue["serving"].pk}"' in html[serving : html.find("</tr>", serving)]


def test_a_step_the_row_does_not_offer_is_refused_and_changes_nothing(
    client, clinic_clerk, poli, queue
):
    login(client, clinic_clerk)
    url = reverse("dokter:console-action", args=[poli.code])
    hx = {"HTTP_HX_REQUEST": "true"}
    waiting = queue["checked_in"]
    r = client.post(url, {"action": "absent", "booking": waiting.pk}, **hx)
    assert r.status_code == 200 and "tidak tersedia" in r.text
    r = client.post(url, {"action": "finish", "booking": queue["called"].pk}, **hx)
    assert r.status_code == 200 and "tidak tersedia" in r.text
    waiting.refresh_from_db()
    queue["called"].refresh_from_db()
    assert (waiting.status, queue["called"].status) == (S.CHECKED_IN, S.CALLED)
    r = client.post(url, {"action": "start", "booking": queue["called"].pk}, **hx)
    queue["called"].refresh_from_db()
    assert queue["called"].status == S.SERVING


def test_the_queue_page_costs_the_same_however_many_rows(
    client, clinic_clerk, poli, queue, make_citizen, schedule
):
    login(client, clinic_clerk)
    url = reverse("dokter:console-queue", args=[poli.code])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(6):
        b = book(make_citizen(full_name=f"Tambahan {i}"), schedule)
        if i % 2:
            services.booking_check_in(staff=clinic_clerk, code=b.code, now=ON_DAY)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.text.count("<tr data-testid=") == 12
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
