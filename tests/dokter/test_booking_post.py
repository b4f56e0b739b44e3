"""The booking form's POST at 07:00 (issue 13, goal 3): one query for the named session
instead of the week of options, and a session known to be full refused from the cache
before the form, the service and the counter; the flag goes when a place comes back or
the quota changes, and a cache that is down only means the ordinary path."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dokter import services
from dokter.models import Booking

from .conftest import DAY

pytestmark = pytest.mark.django_db
FULL = "Kuota sesi ini sudah penuh"


@pytest.fixture
def small(schedule, day_before):
    schedule.online_quota = 2
    schedule.save()
    cache.clear()
    return schedule


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """POST the form as `user`; on-commit callbacks run (the flag is set on commit).
    Returns the response and its statements (savepoints of the test's transaction aside)."""

    def post(client, user, facility, poli, schedule):
        client.force_login(user)
        url = reverse("dokter:booking-create", args=[facility.code, poli.code])
        data = {"patient": f"u{user.pk}", "session": f"{DAY}_{schedule.pk}", "payment": "umum"}
        with (
            django_capture_on_commit_callbacks(execute=True),
            CaptureQueriesContext(connection) as ctx,
        ):
            response = client.post(url, data)
        sqls = [q["sql"] for q in ctx.captured_queries]
        return response, [q for q in sqls if "SAVEPOINT" not in q]

    return post


def test_full_session_is_refused_from_the_cache_without_touching_the_queue(
    post, client, small, facility, poli, make_citizen
):
    people = [make_citizen() for _ in range(4)]
    for person in people[:2]:
        r, _ = post(client, person, facility, poli, small)
        assert r.status_code == 302
    # The booking that took the last place marked the session full.
    r, sqls = post(client, people[2], facility, poli, small)
    assert r.status_code == 200 and FULL in r.text
    assert not [q for q in sqls if "dokter_" in q], sqls  # no counter, no lock, no form
    assert len(sqls) <= 2  # the login's session and user
    assert Booking.objects.count() == 2


def test_first_refusal_marks_the_session_full(post, client, small, facility, poli, make_citizen):
    people = [make_citizen() for _ in range(4)]
    for person in people[:2]:
        post(client, person, facility, poli, small)
    cache.clear()  # the flag lost (evicted): the counter refuses and sets it again
    r, sqls = post(client, people[2], facility, poli, small)
    assert FULL in r.text and [q for q in sqls if "dokter_quotacounter" in q]
    r, sqls = post(client, people[3], facility, poli, small)
    assert FULL in r.text and not [q for q in sqls if "dokter_" in q]


def test_a_cancellation_or_a_raised_quota_opens_the_session_again(
    post,
    client,
    small,
    facility,
    poli,
    make_citizen,
    day_before,
    django_capture_on_commit_callbacks,
):
    people = [make_citizen() for _ in range(4)]
    first, _ = post(client, people[0], facility, poli, small)
    post(client, people[1], facility, poli, small)
    assert FULL in post(client, people[2], facility, poli, small)[0].text
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actor=people[0], booking=Booking.objects.get(booked_by=people[0]))
    assert post(client, people[2], facility, poli, small)[0].status_code == 302
    assert FULL in post(client, people[3], facility, poli, small)[0].text
    small.online_quota = 3
    small.save()  # the admin raises the quota
    assert post(client, people[3], facility, poli, small)[0].status_code == 302


def test_cache_down_means_the_ordinary_path(
    post, client, small, facility, poli, make_citizen, monkeypatch
):
    people = [make_citizen() for _ in range(3)]
    for person in people[:2]:
        post(client, person, facility, poli, small)

    class Down:
        def __getattr__(self, name):
            def down(*args, **kwargs):
                raise ConnectionError("cache down")

            return down

    for module in (services.common, services.day):  # where the services use the cache
        monkeypatch.setattr(module, "cache", Down())
    r, sqls = post(client, people[2], facility, poli, small)
    assert r.status_code == 200 and FULL in r.text
    assert Booking.objects.count() == 2


def test_booking_post_query_count(post, client, schedule, facility, poli, make_citizen, day_before):
    """The whole POST: login, the session, the persons, the service's reads, the numbered
    insert, the history and the notification. The first booking of the day also creates
    the counters; later ones do not."""
    people = [make_citizen() for _ in range(3)]
    post(client, people[0], facility, poli, schedule)
    r, sqls = post(client, people[1], facility, poli, schedule)
    assert r.status_code == 302
    # login 2, the session 1, the facts 1, the numbered insert 1, then the history
    # transaction (BEGIN, history, BPJS settings, notification and delivery, COMMIT)
    # minus its savepoints: 9 (13 before the facts were read in one statement).
    assert len(sqls) <= 9, "\n".join(sqls)
    assert not [q for q in sqls if "accounts_dependant" in q]  # for oneself: no dependants
    assert not [q for q in sqls if "dokter_facilityclosure" in q][1:]  # one closure read


def test_bad_session_value_takes_the_page_path(client, schedule, facility, poli, citizen):
    client.force_login(citizen)
    url = reverse("dokter:booking-create", args=[facility.code, poli.code])
    for value in ["", "x", "2026-02-10_", "2026-13-40_1", f"2026-02-11_{schedule.pk}", "_9"]:
        r = client.post(url, {"patient": f"u{citizen.pk}", "session": value, "payment": "umum"})
        assert r.status_code == 200 and "Periksa kembali" in r.text
    assert not Booking.objects.exists()


def test_booking_for_a_dependant_over_the_form(
    post, client, schedule, facility, poli, make_citizen, day_before
):
    """Booking for oneself skips the dependants' read; for a dependant the form reads
    them and books the dependant; someone else's dependant is refused by the form."""
    from tests.accounts.factories import DependantFactory

    guardian, stranger = make_citizen(), make_citizen()
    child = DependantFactory(guardian=guardian)
    foreign = DependantFactory(guardian=stranger)
    client.force_login(guardian)
    url = reverse("dokter:booking-create", args=[facility.code, poli.code])
    data = {"session": f"{DAY}_{schedule.pk}", "payment": "umum"}
    r = client.post(url, {**data, "patient": f"d{foreign.pk}"})
    assert r.status_code == 200 and not Booking.objects.exists()
    r = client.post(url, {**data, "patient": f"d{child.pk}"})
    assert r.status_code == 302
    booking = Booking.objects.get()
    assert booking.patient_dependant == child and booking.booked_by == guardian
