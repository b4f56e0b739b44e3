"""e-Dokter's paths say what they are: a booking is "ambil-antrean" ("pesan" is a message
in e-Masyarakat) and the clinic slip a "karcis" ("tiket" is a complaint). The old paths,
printed on slips and shared in messages, move permanently to the new ones."""

import pytest
from django.urls import reverse

from dokter.models import Booking

from .test_views import book, login

pytestmark = pytest.mark.django_db

CODE = "ABCDEFGH23"


def test_the_new_paths():
    assert reverse("dokter:booking-create", args=["pkm", "umum"]) == (
        "/dokter/fasilitas/pkm/umum/ambil-antrean/"
    )
    assert reverse("dokter:ticket", args=[CODE]) == f"/dokter/karcis/{CODE}/"
    assert reverse("dokter:ticket-live", args=[CODE]) == f"/dokter/karcis/{CODE}/langsung/"
    assert reverse("dokter:ticket-cancel", args=[CODE]) == f"/dokter/karcis/{CODE}/batal/"
    assert reverse("dokter:ticket-rate", args=[CODE]) == f"/dokter/karcis/{CODE}/nilai/"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/dokter/fasilitas/pkm/umum/pesan/", "/dokter/fasilitas/pkm/umum/ambil-antrean/"),
        (f"/dokter/tiket/{CODE}/", f"/dokter/karcis/{CODE}/"),
        (f"/dokter/tiket/{CODE}/langsung/", f"/dokter/karcis/{CODE}/langsung/"),
        (f"/dokter/tiket/{CODE}/batal/", f"/dokter/karcis/{CODE}/batal/"),
        (f"/dokter/tiket/{CODE}/nilai/", f"/dokter/karcis/{CODE}/nilai/"),
    ],
)
def test_an_old_path_moves_permanently(client, old, new):
    r = client.get(old)
    assert r.status_code == 301
    assert r["Location"] == new
    r = client.get(old + "?tanggal=2026-02-10")
    assert r.status_code == 301 and r["Location"] == new + "?tanggal=2026-02-10"


def test_a_form_posted_to_an_old_path_is_sent_on_with_its_method(client):
    r = client.post(f"/dokter/tiket/{CODE}/batal/")
    assert r.status_code == 308
    assert r["Location"] == f"/dokter/karcis/{CODE}/batal/"


def test_a_printed_slip_link_still_opens_the_slip(client, citizen, schedule):
    booking = book(citizen, schedule)
    login(client, citizen)
    r = client.get(f"/dokter/tiket/{booking.code}/", follow=True)
    assert r.redirect_chain == [(f"/dokter/karcis/{booking.code}/", 301)]
    assert r.status_code == 200 and booking.queue_number in r.text


def test_the_old_cancel_path_still_cancels(client, citizen, schedule, day_before):
    booking = book(citizen, schedule)
    login(client, citizen)
    r = client.post(f"/dokter/tiket/{booking.code}/batal/", follow=True)
    assert r.redirect_chain[0] == (f"/dokter/karcis/{booking.code}/batal/", 308)
    assert r.status_code == 200
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
