import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dokter import services
from dokter.models import Booking

from .conftest import DAY, NOW, ON_DAY
from .factories import PoliFactory, every_day

S = Booking.Status


def login(client, user):
    client.force_login(user)
    return client


def book(user, schedule, now=NOW):
    return services.booking_create(
        actor=user, schedule=schedule, date=DAY, patient=user, payment="umum", now=now
    )


def test_public_pages(client, schedule, facility, poli):
    r = client.get(reverse("dokter:index"))
    assert r.status_code == 200 and facility.name in r.text
    r = client.get(facility.get_absolute_url())
    assert r.status_code == 200
    assert reverse("dokter:display", args=[facility.code]) in r.text
    assert "data demo" in r.text
    assert client.get(reverse("dokter:facility-detail", args=["tidak-ada"])).status_code == 404


def test_facility_page_queries_do_not_grow(client, facility, django_assert_max_num_queries):
    for i in range(8):
        every_day(PoliFactory(facility=facility, code=f"p{i}", letter="ABCDEFGH"[i]))
    with django_assert_max_num_queries(5):
        assert client.get(facility.get_absolute_url()).status_code == 200


def test_citizen_books_through_the_form(client, citizen, schedule, poli, facility, day_before):
    login(client, citizen)
    url = reverse("dokter:booking-create", args=[facility.code, poli.code])
    r = client.get(url)
    assert r.status_code == 200 and "sisa 20 kuota" in r.text
    value = f"{DAY.isoformat()}_{schedule.pk}"
    r = client.post(
        url,
        {
            "patient": f"u{citizen.pk}",
            "session": value,
            "payment": "bpjs",
            "bpjs_number": "123",
            "complaint": "Batuk",
        },
    )
    assert r.status_code == 200 and "13 angka" in r.text
    assert not Booking.objects.exists()
    r = client.post(
        url,
        {"patient": f"u{citizen.pk}", "session": value, "payment": "umum", "complaint": "Batuk"},
    )
    booking = Booking.objects.get()
    assert r.status_code == 302 and r.url == booking.get_absolute_url()
    r = client.get(r.url)
    assert "A-1" in r.text and booking.code in r.text and "<svg" in r.text and "Batuk" in r.text
    r = client.post(url, {"patient": f"u{citizen.pk}", "session": value, "payment": "umum"})
    assert "sudah punya antrean aktif" in r.text
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"patient": "u999999", "session": "x", "payment": "umum"},
        {"patient": "d1", "session": "2026-02-10_99999", "payment": "gratis"},
        {},
    ],
)
def test_bad_booking_input_is_a_message(
    client, citizen, schedule, poli, facility, day_before, data
):
    login(client, citizen)
    r = client.post(reverse("dokter:booking-create", args=[facility.code, poli.code]), data)
    assert r.status_code == 200 and "Periksa kembali" in r.text
    assert not Booking.objects.exists()


def test_ticket_visible_only_to_owner_and_facility_staff(
    client, citizen, schedule, clinic_clerk, make_staff, make_citizen, other_facility
):
    booking = book(citizen, schedule)
    url = booking.get_absolute_url()
    for user, status in (
        (citizen, 200),
        (clinic_clerk, 200),
        (make_citizen(), 404),
        (make_staff("petugas_puskesmas", "puskesmas-demo-utara"), 404),
    ):
        assert login(client, user).get(url).status_code == status
    client.logout()
    assert client.get(url).status_code == 302  # to login


def test_cancel_from_the_ticket(client, citizen, schedule, day_before):
    booking = book(citizen, schedule)
    login(client, citizen).post(reverse("dokter:ticket-cancel", args=[booking.code]))
    booking.refresh_from_db()
    assert booking.status == S.CANCELLED


def test_console_check_in_and_call_with_htmx(client, citizen, schedule, poli, clinic_clerk, on_day):
    booking = book(citizen, schedule)
    login(client, clinic_clerk)
    assert client.get(reverse("dokter:console", args=[poli.code])).status_code == 200
    url = reverse("dokter:console-action", args=[poli.code])
    hx = {"HTTP_HX_REQUEST": "true"}
    r = client.post(url, {"action": "check_in", "code": booking.code}, **hx)
    assert r.status_code == 200 and "A-1 hadir" in r.text
    r = client.post(url, {"action": "call_next"}, **hx)
    assert "Memanggil A-1" in r.text
    r = client.post(url, {"action": "onsite", "patient_name": "Pak Amat", "payment": "umum"}, **hx)
    assert "A-2" in r.text
    r = client.post(url, {"action": "start", "booking": booking.pk}, **hx)
    booking.refresh_from_db()
    assert booking.status == S.SERVING
    # Bad input: a message or 404, never a 500, and nothing changes.
    assert client.post(url, {"action": "start", "booking": "abc"}, **hx).status_code == 404
    r = client.post(url, {"action": "hapus-semua"}, **hx)
    assert r.status_code == 200 and "tidak dikenal" in r.text
    r = client.post(url, {"action": "check_in", "code": "ZZZZZZZZZZ"}, **hx)
    assert "tidak ditemukan" in r.text
    r = client.post(url, {"action": "finish", "booking": booking.pk})
    assert r.status_code == 302


def test_console_is_404_outside_the_facility(client, poli, citizen, make_staff, other_facility):
    outsider = make_staff("petugas_puskesmas", "puskesmas-demo-utara")
    for user in (outsider, citizen):
        login(client, user)
        assert client.get(reverse("dokter:console", args=[poli.code])).status_code == 404
        assert (
            client.post(
                reverse("dokter:console-action", args=[poli.code]), {"action": "call_next"}
            ).status_code
            == 404
        )


def test_display_board_is_cached_and_fixed_cost(
    client,
    citizen,
    schedule,
    poli,
    facility,
    clinic_clerk,
    on_day,
    make_citizen,
    django_capture_on_commit_callbacks,
):
    for person in [citizen, *[make_citizen() for _ in range(5)]]:
        b = book(person, schedule)
        services.booking_check_in(staff=clinic_clerk, code=b.code, now=ON_DAY)
    url = reverse("dokter:display-board", args=[facility.code])
    with CaptureQueriesContext(connection) as first:
        r = client.get(url)
    assert r.status_code == 200 and "A-1" in r.text  # next in line
    assert len(first) <= 4
    with CaptureQueriesContext(connection) as cached:
        client.get(url)
    assert len(cached) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_call_next(staff=clinic_clerk, poli=poli, now=ON_DAY)
    r = client.get(url)
    assert 'data-testid="called-A">A-1<' in r.text
    page = client.get(reverse("dokter:display", args=[facility.code]))
    assert page.status_code == 200 and "every 2s" in page.text
    assert client.get(reverse("dokter:display-board", args=["nope"])).status_code == 404


def test_queue_api(client, citizen, schedule, poli, facility, make_citizen, on_day, clinic_clerk):
    booking = book(citizen, schedule)
    services.booking_check_in(staff=clinic_clerk, code=booking.code, now=ON_DAY)
    services.queue_call_next(staff=clinic_clerk, poli=poli, now=ON_DAY)
    url = f"/api/dokter/antrean/status/{facility.code}/{poli.code}/{DAY.isoformat()}/"
    data = client.get(url).json()["response"]
    assert data["totalantrean"] == 1 and data["antreanpanggil"] == "A-1"
    assert data["sisakuota"] == 19 and data["sisaantrean"] == 0
    assert client.get(url.replace(DAY.isoformat(), "2026-13-40")).status_code == 400
    mine = f"/api/dokter/antrean/{booking.code}/"
    assert client.get(mine).status_code == 403
    login(client, make_citizen())
    assert client.get(mine).status_code == 404
    login(client, citizen)
    data = client.get(mine).json()["response"]
    assert data["kodebooking"] == booking.code and data["nomorantrean"] == "A-1"
    assert data["angkaantrean"] == 1
    expected = datetime.datetime(2026, 2, 10, 8, 0, tzinfo=ON_DAY.tzinfo)
    assert data["estimasidilayani"] == int(expected.timestamp() * 1000)
