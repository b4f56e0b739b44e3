"""Issue 14's e-Dokter walk: one patient called per poli at a time, the console, the
ticket and the TV agree on who is called, the day close through the workflow, the
finished ticket's rating, the BPJS number's one message, the facility page."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from binjai_portal.core.models import StatusChange
from dokter import selectors, services
from dokter.models import Booking, VisitRating
from dokter.services import BookingRefused

from .conftest import DAY, NOW, ON_DAY
from .test_views import book, login

pytestmark = pytest.mark.django_db
S = Booking.Status
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def arrived(citizen, make_citizen, schedule, clinic_clerk):
    """A-1 (the fixture citizen), A-2, A-3, all checked in on DAY."""
    people = [citizen, make_citizen(full_name="Joko"), make_citizen(full_name="Rina")]
    bookings = [book(p, schedule) for p in people]
    for b in bookings:
        services.booking_check_in(staff=clinic_clerk, code=b.code, now=ON_DAY)
    return bookings


def call(clerk, poli, now=ON_DAY):
    return services.queue_call_next(staff=clerk, poli=poli, now=now)


def shown(poli, booking) -> tuple[str, str, str]:
    """(console, ticket, TV) of who is called now."""
    cache.clear()
    board = selectors.display_state(facility_id=poli.facility_id)["boards"]
    tv = next(b["called"] for b in board if b["letter"] == poli.letter)
    return (
        selectors.queue_status(poli=poli, date=DAY).called,
        selectors.booking_ticket(booking=booking, now=ON_DAY).called,
        tv,
    )


def test_one_patient_called_at_a_time(arrived, clinic_clerk, poli):
    a1, a2, a3 = arrived
    assert call(clinic_clerk, poli) == a1
    with pytest.raises(BookingRefused) as exc:
        call(clinic_clerk, poli)
    assert exc.value.code == "called" and "A-1 masih dipanggil" in exc.value.messages[0]
    assert Booking.objects.filter(status=S.CALLED).count() == 1
    # Recall keeps the same patient called; skip (absent) frees the room.
    services.booking_recall(staff=clinic_clerk, booking=a1, now=ON_DAY)
    services.booking_mark_absent(staff=clinic_clerk, booking=a1, now=ON_DAY)
    assert call(clinic_clerk, poli) == a2
    services.booking_start_service(staff=clinic_clerk, booking=a2, now=ON_DAY)
    assert call(clinic_clerk, poli) == a3  # a patient in service does not block the next
    assert list(Booking.objects.filter(status=S.CALLED)) == [a3]


def test_console_ticket_and_tv_agree_on_the_number_called(arrived, clinic_clerk, poli, on_day):
    """The walk saw "terakhir dipanggil A-3" stay after A-6..A-9: the last call was
    chosen by the latest `called_at`, and a call stamped later (the demo's 08:00, a
    clerk's clock) hid every newer one. The counter now remembers the last call."""
    a1, a2, a3 = arrived
    assert shown(poli, a3) == ("", "", "")
    call(clinic_clerk, poli, now=ON_DAY + HOUR)  # A-1, stamped an hour later
    assert shown(poli, a3) == ("A-1", "A-1", "A-1")
    services.booking_start_service(staff=clinic_clerk, booking=a1, now=ON_DAY)
    call(clinic_clerk, poli, now=ON_DAY)  # A-2, stamped earlier than A-1's call
    assert shown(poli, a3) == ("A-2", "A-2", "A-2")
    services.booking_mark_absent(staff=clinic_clerk, booking=a2, now=ON_DAY)
    assert shown(poli, a3) == ("", "", "")  # skipped: nobody is called
    services.booking_requeue(staff=clinic_clerk, booking=a2, now=ON_DAY)
    call(clinic_clerk, poli)
    services.booking_recall(staff=clinic_clerk, booking=a2, now=ON_DAY)
    assert shown(poli, a3) == ("A-2", "A-2", "A-2")
    assert selectors.queue_status(poli=poli, date=DAY).serving == ("A-1",)


def test_console_refuses_the_second_call_with_a_message(
    client, arrived, clinic_clerk, poli, on_day
):
    login(client, clinic_clerk)
    url = reverse("dokter:console-action", args=[poli.code])
    hx = {"HTTP_HX_REQUEST": "true"}
    assert "Memanggil A-1" in client.post(url, {"action": "call_next"}, **hx).text
    r = client.post(url, {"action": "call_next"}, **hx)
    assert r.status_code == 200 and "A-1 masih dipanggil" in r.text
    assert Booking.objects.filter(status=S.CALLED).count() == 1


def test_close_day_goes_through_the_workflow(arrived, clinic_clerk, poli):
    a1, a2, a3 = arrived
    call(clinic_clerk, poli)
    services.booking_start_service(staff=clinic_clerk, booking=a1, now=ON_DAY)
    call(clinic_clerk, poli)
    assert services.queue_close_day(date=DAY) == 3
    rows = {
        c.object_id: (c.action, c.from_state, c.to_state, c.actor_id)
        for c in StatusChange.objects.filter(action__startswith="close_day")
    }
    assert rows == {
        str(a1.pk): ("close_day_done", S.SERVING, S.DONE, None),
        str(a2.pk): ("close_day_absent", S.CALLED, S.ABSENT, None),
        str(a3.pk): ("close_day_absent", S.CHECKED_IN, S.ABSENT, None),
    }


def test_close_day_moves_in_bulk(arrived, clinic_clerk, poli, make_citizen, schedule):
    """One UPDATE and one history INSERT per closing action, however many entries are open
    (transition_bulk), and the moved entries' outbox rows as before."""
    more = [book(make_citizen(full_name=f"Pasien {i}"), schedule) for i in range(4)]
    call(clinic_clerk, poli)
    services.booking_start_service(staff=clinic_clerk, booking=arrived[0], now=ON_DAY)
    with CaptureQueriesContext(connection) as ctx:
        assert services.queue_close_day(date=DAY) == 3 + len(more)
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert len([q for q in sqls if q.startswith('UPDATE "dokter_booking"')]) == 2, sqls
    assert len([q for q in sqls if q.startswith('INSERT INTO "core_statuschange"')]) == 2, sqls
    assert set(Booking.objects.values_list("status", flat=True)) == {S.DONE, S.ABSENT}
    assert StatusChange.objects.filter(action="close_day_absent").count() == 2 + len(more)
    assert services.queue_close_day(date=DAY) == 0


def test_bulk_moves_refuse_an_actor_without_the_role(arrived, clinic_clerk):
    from binjai_portal.core.workflow import TransitionRefused, transition_bulk
    from dokter.workflows import BOOKING

    with pytest.raises(TransitionRefused) as exc:
        transition_bulk(
            Booking.objects.all(), workflow=BOOKING, action="close_day_absent", actor=clinic_clerk
        )
    assert exc.value.code == "role"
    with pytest.raises(TransitionRefused) as exc:
        transition_bulk(Booking.objects.all(), workflow=BOOKING, action="fly", actor=None)
    assert exc.value.code == "undeclared"
    assert set(Booking.objects.values_list("status", flat=True)) == {S.CHECKED_IN}


def test_every_history_row_is_a_declared_state_of_the_workflow(arrived, clinic_clerk, poli, lab):
    """Bookings, counter registrations and transfers start their history through the
    engine (workflow_started): the rows name declared states only."""
    from dokter.workflows import BOOKING

    services.booking_register_onsite(
        staff=clinic_clerk, poli=poli, patient_name="Pasien Loket", payment="umum", now=ON_DAY
    )
    call(clinic_clerk, poli)
    services.booking_start_service(staff=clinic_clerk, booking=arrived[0], now=ON_DAY)
    services.booking_transfer(staff=clinic_clerk, booking=arrived[0], to_poli=lab, now=ON_DAY)
    starts = dict(
        StatusChange.objects.filter(from_state="").values_list("action").annotate(n=Count("pk"))
    )
    assert starts == {"create": 3, "register_onsite": 1, "transfer_in": 1}
    declared = {state.name for state in BOOKING.states}
    assert set(StatusChange.objects.values_list("to_state", flat=True)) <= declared
    assert set(StatusChange.objects.values_list("workflow", flat=True)) == {BOOKING.name}


def test_close_day_actions_are_for_the_system_only(arrived, clinic_clerk):
    from binjai_portal.core.workflow import TransitionRefused, transition
    from dokter.workflows import BOOKING

    with pytest.raises(TransitionRefused):
        transition(arrived[0], workflow=BOOKING, action="close_day_absent", actor=clinic_clerk)
    arrived[0].refresh_from_db()
    assert arrived[0].status == S.CHECKED_IN


# ---------------------------------------------------------------- the finished ticket


@pytest.fixture
def finished(arrived, clinic_clerk, poli):
    a1 = arrived[0]
    call(clinic_clerk, poli)
    services.booking_start_service(staff=clinic_clerk, booking=a1, now=ON_DAY)
    services.booking_finish(staff=clinic_clerk, booking=a1, now=ON_DAY + HOUR / 4)
    a1.refresh_from_db()
    return a1


def test_finished_ticket_says_done_and_asks_for_a_rating(client, citizen, finished, on_day):
    r = login(client, citizen).get(finished.get_absolute_url())
    assert r.status_code == 200
    assert "Kunjungan selesai" in r.text and 'data-testid="rating-form"' in r.text
    assert "Tunjukkan kode QR" not in r.text and "<svg" not in r.text
    assert 'role="radiogroup"' in r.text and r.text.count('type="radio" name="stars"') == 5
    url = reverse("dokter:ticket-rate", args=[finished.code])
    r = client.post(url, {"stars": "4", "comment": "Ramah dan cepat"})
    assert r.status_code == 302
    rating = VisitRating.objects.get()
    assert (rating.booking, rating.stars, rating.comment, rating.rated_by) == (
        finished,
        4,
        "Ramah dan cepat",
        citizen,
    )
    r = client.get(finished.get_absolute_url())
    assert "penilaian Anda sudah tercatat" in r.text and "rating-form" not in r.text
    r = client.post(url, {"stars": "1"}, follow=True)  # once per booking
    assert "sudah Anda nilai" in r.text
    assert VisitRating.objects.get().stars == 4


@pytest.mark.parametrize("data", [{}, {"stars": "6"}, {"stars": "x"}, {"stars": "0"}])
def test_bad_rating_is_a_message(client, citizen, finished, data):
    r = login(client, citizen).post(reverse("dokter:ticket-rate", args=[finished.code]), data)
    assert r.status_code == 400 and "Pilih jumlah bintang" in r.text
    assert not VisitRating.objects.exists()


def test_rating_only_for_a_finished_visit_by_its_patient(
    client, citizen, arrived, finished, clinic_clerk, make_citizen
):
    waiting = arrived[1]
    with pytest.raises(BookingRefused) as exc:
        services.booking_rate(actor=waiting.booked_by, booking=waiting, stars=5)
    assert exc.value.code == "not_done"
    from django.http import Http404

    for outsider in (clinic_clerk, make_citizen()):
        with pytest.raises(Http404):
            services.booking_rate(actor=outsider, booking=finished, stars=5)
    url = reverse("dokter:ticket-rate", args=[finished.code])
    assert login(client, make_citizen()).post(url, {"stars": "5"}).status_code == 404
    r = login(client, clinic_clerk).get(finished.get_absolute_url())
    assert r.status_code == 200 and "rating-form" not in r.text  # staff do not rate
    assert not VisitRating.objects.exists()


# ---------------------------------------------------------------- booking form, facility


def test_invalid_bpjs_number_shows_one_message(client, citizen, schedule, poli, facility):
    login(client, citizen)
    url = reverse("dokter:booking-create", args=[facility.code, poli.code])
    r = client.post(
        url,
        {
            "patient": f"u{citizen.pk}",
            "session": f"{DAY.isoformat()}_{schedule.pk}",
            "payment": "bpjs",
            "bpjs_number": "123",
        },
    )
    assert r.text.count("terdiri dari 13 angka") == 1
    assert "Isi nomor kartu BPJS" not in r.text
    r = client.post(
        url,
        {"patient": f"u{citizen.pk}", "session": f"{DAY}_{schedule.pk}", "payment": "bpjs"},
    )
    assert "Isi nomor kartu BPJS" in r.text and "terdiri dari 13 angka" not in r.text
    assert not Booking.objects.exists()


def test_facility_page_has_contact_map_and_live_queue(
    client, facility, arrived, clinic_clerk, poli, on_day
):
    facility.address, facility.phone = "Jl. Demo No. 1", "0618820000"
    facility.opening_hours = "Senin–Jumat 08.00–14.00"
    facility.latitude, facility.longitude = "3.600000", "98.485000"
    facility.save()
    r = client.get(facility.get_absolute_url())
    assert "Jl. Demo No. 1" in r.text and "tel:0618820000" in r.text
    assert "Senin–Jumat 08.00–14.00" in r.text
    assert 'id="dk-map-point"' in r.text and "98.485" in r.text
    assert "vendor/leaflet/leaflet.js" in r.text
    assert reverse("dokter:facility-queue", args=[facility.code]) in r.text
    call(clinic_clerk, poli)
    cache.clear()
    r = client.get(reverse("dokter:facility-queue", args=[facility.code]))
    assert r.status_code == 200 and "A-1" in r.text and "2 menunggu" in r.text
    assert client.get(reverse("dokter:facility-queue", args=["tidak-ada"])).status_code == 404


def test_facility_page_without_coordinates_has_no_map(client, facility):
    r = client.get(facility.get_absolute_url())
    assert r.status_code == 200 and "dk-map-point" not in r.text


assert NOW < ON_DAY  # the fixtures book the day before and act on DAY
