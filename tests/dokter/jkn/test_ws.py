"""The WS Antrean that Mobile JKN calls, against BPJS's catalogue (in-process client)."""

from __future__ import annotations

import json
import logging

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from dokter.models import Booking, FacilityClosure, JknPatient, JknVisit, QuotaCounter
from tests.dokter.conftest import DAY

from .conftest import CARD, NIK, WS_PASSWORD, WS_USER

pytestmark = pytest.mark.django_db

TAKE = {
    "nomorkartu": CARD,
    "nik": NIK,
    "nohp": "081234567890",
    "kodepoli": "UMU",
    "norm": "",
    "tanggalperiksa": DAY.isoformat(),
    "kodedokter": 12345,
    "jampraktek": "00:00-23:59",
    "jeniskunjungan": 1,
    "nomorreferensi": "0001R0040116A000001",
}
NEW_PATIENT = {
    "nomorkartu": CARD,
    "nik": NIK,
    "nomorkk": "1275010101900002",
    "nama": "Siti Demo",
    "jeniskelamin": "P",
    "tanggallahir": "1990-01-01",
    "nohp": "081234567890",
    "alamat": "Jl. Demo 1, Binjai",
    "kodeprop": "02",
    "namaprop": "Sumatera Utara",
    "kodedati2": "0040",
    "namadati2": "Kota Binjai",
    "kodekec": "0001",
    "namakec": "Binjai Kota",
    "kodekel": "D0001",
    "namakel": "Kartini",
    "rw": "001",
    "rt": "002",
}


def token(client) -> str:
    answer = client.get("/api/jkn/token", HTTP_X_USERNAME=WS_USER, HTTP_X_PASSWORD=WS_PASSWORD)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["metadata"] == {"message": "Ok", "code": 200}
    return body["response"]["token"]


def post(client, path: str, body, tok: str | None = None, **extra):
    headers = {"HTTP_X_USERNAME": WS_USER, "HTTP_X_TOKEN": tok or ""}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(
        f"/api/jkn/{path}", data=data, content_type="application/json", **headers, **extra
    )


def registered(client, tok):
    answer = post(client, "pasienbaru", NEW_PATIENT, tok).json()
    assert answer["metadata"]["code"] == 200, answer
    return answer["response"]["norm"]


def test_token_needs_the_facility_credentials(client, world):
    wrong = client.get("/api/jkn/token", HTTP_X_USERNAME=WS_USER, HTTP_X_PASSWORD="salah")
    assert wrong.status_code == 401
    assert wrong.json()["metadata"]["code"] == 401
    unknown = client.get("/api/jkn/token", HTTP_X_USERNAME="siapa", HTTP_X_PASSWORD="x")
    assert unknown.status_code == 401
    assert token(client)
    # the password is stored hashed
    assert WS_PASSWORD not in world["config"].ws_password_hash


def test_password_guessing_is_stopped_per_username_and_address(client, world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "jkn_token": "3/m"}
    guesses = [
        client.get("/api/jkn/token", HTTP_X_USERNAME=WS_USER, HTTP_X_PASSWORD=f"coba{n}")
        for n in range(4)
    ]
    assert [g.status_code for g in guesses] == [401, 401, 401, 429]
    assert guesses[-1].json()["metadata"]["code"] == 429 and guesses[-1]["Retry-After"]
    # another address (another facility's server) is not stopped by this one's guesses
    other = client.get(
        "/api/jkn/token",
        HTTP_X_USERNAME=WS_USER,
        HTTP_X_PASSWORD=WS_PASSWORD,
        REMOTE_ADDR="203.0.113.50",
    )
    assert other.status_code == 200 and other.json()["response"]["token"]


def test_calls_without_a_valid_token_are_refused(client, world, settings):
    for tok in ("", "forged", "a" * 400):
        answer = post(client, "statusantrean", {}, tok)
        assert answer.status_code == 401
        assert answer.json()["metadata"]["code"] == 401
    settings.BPJS_WS_TOKEN_SECONDS = -1  # every token is already expired
    answer = post(client, "statusantrean", {}, token(client))
    assert answer.status_code == 401
    assert answer.json()["metadata"]["message"] == "Token Expired"


def test_a_new_password_revokes_old_tokens(client, world):
    from django.contrib.auth.hashers import make_password

    tok = token(client)
    config = world["config"]
    config.ws_password_hash = make_password("baru")
    config.save()
    assert post(client, "statusantrean", {}, tok).status_code == 401


def test_take_a_number_the_whole_path(client, world, on_day):
    tok = token(client)
    unknown = post(client, "ambilantrean", TAKE, tok).json()
    assert unknown["metadata"]["code"] == 202  # Mobile JKN then sends pasienbaru
    norm = registered(client, tok)
    answer = post(client, "ambilantrean", TAKE, tok)
    assert answer.status_code == 200
    body = answer.json()
    assert body["metadata"] == {"message": "Ok", "code": 200}
    response = body["response"]
    assert set(response) == {
        "nomorantrean",
        "angkaantrean",
        "kodebooking",
        "norm",
        "namapoli",
        "namadokter",
        "estimasidilayani",
        "sisakuotajkn",
        "kuotajkn",
        "sisakuotanonjkn",
        "kuotanonjkn",
        "keterangan",
    }
    assert response["nomorantrean"] == "A-1" and response["angkaantrean"] == 1
    assert response["norm"] == norm and response["namadokter"] == "dr. Demo"
    assert response["kuotajkn"] == 20 and response["sisakuotajkn"] == 19
    assert isinstance(response["estimasidilayani"], int)
    booking = Booking.objects.get(code=response["kodebooking"])
    assert booking.source == Booking.Source.MOBILE_JKN
    assert booking.channel == Booking.Channel.ONLINE  # the online quota, same numbering
    assert booking.payment == Booking.Payment.BPJS and booking.bpjs_number == CARD
    assert JknVisit.objects.get(booking=booking).nomorreferensi == TAKE["nomorreferensi"]
    assert QuotaCounter.objects.get(schedule=booking.schedule, date=DAY).online_taken == 1

    status = post(client, "statusantrean", TAKE, tok).json()
    assert status["metadata"]["code"] == 200
    assert status["response"]["totalantrean"] == 1
    assert status["response"]["sisaantrean"] == 1
    assert status["response"]["sisakuotajkn"] == 19

    left = post(client, "sisaantrean", {"kodebooking": booking.code}, tok).json()
    assert left["metadata"]["code"] == 200
    assert left["response"]["nomorantrean"] == "A-1"
    assert left["response"]["sisaantrean"] == 0

    dup = post(client, "ambilantrean", TAKE, tok).json()
    assert dup["metadata"]["code"] == 201
    assert "1 Kali" in dup["metadata"]["message"]

    checked = post(client, "checkin", {"kodebooking": booking.code, "waktu": 0}, tok).json()
    assert checked["metadata"]["code"] == 200, checked
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN
    late = post(client, "batalantrean", {"kodebooking": booking.code, "keterangan": "x"}, tok)
    assert late.json()["metadata"]["code"] == 201  # only a booked place can be cancelled


def test_cancel_gives_the_place_back(client, world, on_day):
    tok = token(client)
    registered(client, tok)
    code = post(client, "ambilantrean", TAKE, tok).json()["response"]["kodebooking"]
    answer = post(client, "batalantrean", {"kodebooking": code, "keterangan": "sakit"}, tok)
    assert answer.json() == {"metadata": {"message": "Ok", "code": 200}}
    assert Booking.objects.get(code=code).status == Booking.Status.CANCELLED
    assert QuotaCounter.objects.get(date=DAY).online_taken == 0


def test_refusals_are_201_with_a_message(client, world, on_day, clinic_clerk):
    tok = token(client)
    registered(client, tok)
    world_schedule = world["schedules"][DAY.weekday()]
    FacilityClosure.objects.create(facility=world["facility"], date=DAY, reason="Kerja bakti")
    closed = post(client, "ambilantrean", TAKE, tok).json()
    assert closed["metadata"]["code"] == 201
    FacilityClosure.objects.all().delete()
    world_schedule.online_quota = 0
    world_schedule.save()
    full = post(client, "ambilantrean", TAKE, tok).json()
    assert full["metadata"]["code"] == 201 and "penuh" in full["metadata"]["message"]
    for body in (
        {**TAKE, "kodepoli": "XXX"},
        {**TAKE, "tanggalperiksa": "2026-02-30"},
        {**TAKE, "tanggalperiksa": "2000-01-01"},
        {**TAKE, "nik": "12"},
        {**TAKE, "jampraktek": "25:00-26:00"},
        {**TAKE, "nik": "1275010101900009"},  # not the NIK of that card
        "not json",
        "[1, 2]",
    ):
        answer = post(client, "ambilantrean", body, tok)
        assert answer.status_code == 200
        assert answer.json()["metadata"]["code"] == 201, body
    assert not Booking.objects.exists()
    again = post(client, "pasienbaru", NEW_PATIENT, tok).json()
    assert again["metadata"]["code"] == 201
    assert JknPatient.objects.count() == 1
    wrong_method = client.get("/api/jkn/ambilantrean", HTTP_X_USERNAME=WS_USER, HTTP_X_TOKEN=tok)
    assert wrong_method.status_code == 405


def test_no_nik_or_card_number_in_the_logs(client, world, on_day, caplog):
    caplog.set_level(logging.DEBUG)
    tok = token(client)
    registered(client, tok)
    post(client, "ambilantrean", TAKE, tok)
    post(client, "ambilantrean", {**TAKE, "nik": "x" * 20}, tok)
    assert NIK not in caplog.text and CARD not in caplog.text


VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.text(max_size=40),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@pytest.mark.parametrize(
    "path",
    ["statusantrean", "ambilantrean", "sisaantrean", "batalantrean", "checkin", "pasienbaru"],
)
def test_fuzz_never_500(client, world, on_day, path):
    tok = token(client)

    @hsettings(
        max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        body=st.dictionaries(
            st.sampled_from(sorted(set(TAKE) | set(NEW_PATIENT) | {"kodebooking", "waktu"})),
            VALUE,
            max_size=12,
        )
    )
    def run(body):
        answer = post(client, path, {**(TAKE if path == "ambilantrean" else {}), **body}, tok)
        assert answer.status_code in (200, 400, 401, 405)
        metadata = answer.json()["metadata"]
        assert metadata["code"] in (200, 201, 202) and isinstance(metadata["message"], str)

    run()
