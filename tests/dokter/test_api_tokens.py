"""Bearer tokens and the kiosk write API (on-site registration, check-in)."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from dokter import services
from dokter.auth import token_for_request
from dokter.models import ApiToken, Booking
from dokter.services import BookingRefused

from .conftest import DAY, NOW, bearer

S = Booking.Status
AMBIL = "/api/dokter/antrean/ambil/"
CHECKIN = "/api/dokter/antrean/checkin/"


def post(client, url, data, raw=None):
    headers = bearer(raw) if raw else {}
    return client.post(url, data, content_type="application/json", **headers)


def onsite_payload(poli, **over):
    return {
        "kodepoli": poli.code,
        "tanggalperiksa": DAY.isoformat(),
        "namapasien": "Pak Amat",
        "jenispembayaran": "umum",
        **over,
    }


# ---------------------------------------------------------------- tokens


def test_token_is_stored_hashed_and_authenticates(api_token, clinic_clerk):
    row, raw = api_token
    assert raw.startswith("bdk_") and len(raw) > 40
    assert raw not in (row.digest, row.prefix) and row.digest == services.api_token_digest(raw)
    assert not ApiToken.objects.filter(digest=raw).exists()
    rf = RequestFactory()
    found = token_for_request(rf.get("/", **bearer(raw)))
    assert found == row and found.owner == clinic_clerk
    assert found.last_used_at is not None
    for header in (
        {},
        bearer(raw + "x"),
        {"HTTP_AUTHORIZATION": f"Token {raw}"},
        bearer("x" * 500),
    ):
        assert token_for_request(rf.get("/", **header)) is None


def test_revoked_token_and_moved_owner_stop_working(api_token, clinic_clerk):
    row, raw = api_token
    rf = RequestFactory()
    services.api_token_revoke(token=row)
    assert token_for_request(rf.get("/", **bearer(raw))) is None
    row2, raw2 = services.api_token_issue(owner=clinic_clerk, facility=row.facility, name="Kedua")
    assert token_for_request(rf.get("/", **bearer(raw2))) == row2
    clinic_clerk.unit = None
    clinic_clerk.save()
    assert token_for_request(rf.get("/", **bearer(raw2))) is None


def test_only_facility_staff_can_own_a_token(facility, citizen, make_staff, other_facility):
    with pytest.raises(BookingRefused):
        services.api_token_issue(owner=citizen, facility=facility, name="x")
    outsider = make_staff("petugas_puskesmas", "puskesmas-demo-utara")
    with pytest.raises(BookingRefused):
        services.api_token_issue(owner=outsider, facility=facility, name="x")
    assert not ApiToken.objects.exists()


def test_admin_issues_token_once(client, superuser, facility, clinic_clerk, citizen):
    assert ApiToken in site._registry
    client.force_login(superuser)
    url = reverse("admin:dokter_apitoken_add")
    r = client.post(
        url,
        {"name": "Anjungan lobi", "owner": clinic_clerk.pk, "facility": facility.pk},
        follow=True,
    )
    assert r.status_code == 200
    token = ApiToken.objects.get()
    shown = [str(m) for m in r.context["messages"]]
    raw = next(w for m in shown for w in m.split() if w.startswith("bdk_"))
    assert token.digest == services.api_token_digest(raw)
    page = client.get(reverse("admin:dokter_apitoken_change", args=[token.pk]))
    assert page.status_code == 200 and raw not in page.text and token.digest not in page.text
    # The owner must work at the facility.
    r = client.post(url, {"name": "x", "owner": citizen.pk, "facility": facility.pk})
    assert r.status_code == 200 and ApiToken.objects.count() == 1


# ---------------------------------------------------------------- kiosk writes


def test_writes_need_a_token(client, poli, schedules, on_day, clinic_clerk):
    assert post(client, AMBIL, onsite_payload(poli)).status_code == 401
    assert post(client, AMBIL, onsite_payload(poli), raw="bdk_nope").status_code == 401
    client.force_login(clinic_clerk)  # a session is not enough for kiosk writes
    assert post(client, CHECKIN, {"kodebooking": "X"}).status_code in (401, 403)
    assert not Booking.objects.exists()


def test_kiosk_registers_on_site_in_the_shared_sequence(
    client, api_token, poli, schedule, citizen, on_day
):
    _, raw = api_token
    online = services.booking_create(
        actor=citizen, schedule=schedule, date=DAY, patient=citizen, payment="umum", now=NOW
    )
    r = post(client, AMBIL, onsite_payload(poli, keluhan="Demam"), raw)
    assert r.status_code == 201, r.content
    data = r.json()["response"]
    assert data["nomorantrean"] == "A-2" and data["angkaantrean"] == 2
    assert data["status"] == S.CHECKED_IN and isinstance(data["estimasidilayani"], int)
    booking = Booking.objects.get(code=data["kodebooking"])
    assert booking.channel == Booking.Channel.ONSITE and booking.complaint == "Demam"
    assert online.number == 1


def test_kiosk_respects_the_onsite_quota(client, api_token, poli, schedule, on_day):
    _, raw = api_token
    schedule.onsite_quota = 1
    schedule.save()
    assert post(client, AMBIL, onsite_payload(poli), raw).status_code == 201
    r = post(client, AMBIL, onsite_payload(poli, namapasien="Bu Sari"), raw)
    assert r.status_code == 409 and "penuh" in r.json()["metadata"]["message"]
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    "payload",
    [
        {},
        [],
        "teks",
        {"kodepoli": "umum", "namapasien": "A", "jenispembayaran": "gratis"},
        {"kodepoli": "umum", "namapasien": "A", "jenispembayaran": "bpjs"},
        {"kodepoli": "umum", "namapasien": "A", "jenispembayaran": "bpjs", "nomorkartu": "12"},
        {"kodepoli": "umum", "namapasien": "A" * 151, "jenispembayaran": "umum"},
        {"kodepoli": "umum", "namapasien": "A", "jenispembayaran": "umum", "prioritas": "lansia"},
        {
            "kodepoli": "umum",
            "namapasien": "A",
            "jenispembayaran": "umum",
            "tanggalperiksa": "2026-02-11",
        },
        {
            "kodepoli": "umum",
            "namapasien": "A",
            "jenispembayaran": "umum",
            "tanggalperiksa": "2026-99-11",
        },
        {"kodepoli": "tidak-ada", "namapasien": "A", "jenispembayaran": "umum"},
        {
            "kodepoli": "umum",
            "namapasien": "A",
            "jenispembayaran": "umum",
            "kodefaskes": "puskesmas-demo-utara",
        },
        {"kodepoli": "umum x", "namapasien": "A", "jenispembayaran": "umum"},
    ],
)
def test_bad_onsite_input_is_a_4xx_json_error(client, api_token, poli, schedules, on_day, payload):
    _, raw = api_token
    r = post(client, AMBIL, payload, raw)
    assert 400 <= r.status_code < 500, r.content
    assert r["Content-Type"].startswith("application/json")
    assert not Booking.objects.exists()


def test_malformed_json_is_400(client, api_token, on_day):
    _, raw = api_token
    r = client.post(AMBIL, "{nope", content_type="application/json", **bearer(raw))
    assert r.status_code == 400 and not Booking.objects.exists()


def test_kiosk_checks_in_by_code(
    client, api_token, other_token, schedule, citizen, on_day, make_citizen
):
    _, raw = api_token
    booking = services.booking_create(
        actor=citizen, schedule=schedule, date=DAY, patient=citizen, payment="umum", now=NOW
    )
    # Another facility's kiosk does not find it.
    r = post(client, CHECKIN, {"kodebooking": booking.code}, other_token[1])
    assert r.status_code == 404
    booking.refresh_from_db()
    assert booking.status == S.BOOKED
    r = post(
        client,
        CHECKIN,
        {"kodebooking": booking.code.lower(), "prioritas": "lansia", "alasanprioritas": "Usia 70"},
        raw,
    )
    assert r.status_code == 200, r.content
    assert r.json()["response"]["nomorantrean"] == "A-1"
    booking.refresh_from_db()
    assert booking.status == S.CHECKED_IN and booking.priority == "lansia"
    # A second check-in is refused, not a 500.
    r = post(client, CHECKIN, {"kodebooking": booking.code}, raw)
    assert 400 <= r.status_code < 500
    for bad in (
        {},
        {"kodebooking": ""},
        {"kodebooking": "Z" * 41},
        {"kodebooking": "NOPE"},
        {"kodebooking": booking.code, "prioritas": "vip"},
    ):
        assert 400 <= post(client, CHECKIN, bad, raw).status_code < 500


def test_superuser_token_is_still_limited_to_its_facility(
    client, superuser, facility, other_facility, schedule, citizen, on_day
):
    row, raw = services.api_token_issue(owner=superuser, facility=other_facility, name="su")
    booking = services.booking_create(
        actor=citizen, schedule=schedule, date=DAY, patient=citizen, payment="umum", now=NOW
    )
    assert post(client, CHECKIN, {"kodebooking": booking.code}, raw).status_code == 404
    r = post(
        client,
        AMBIL,
        {"kodepoli": schedule.poli.code, "namapasien": "A", "jenispembayaran": "umum"},
        raw,
    )
    assert r.status_code == 404
    assert Booking.objects.count() == 1


def test_only_a_superuser_issues_a_token_for_somebody_else(
    client, facility, clinic_clerk, make_staff
):
    from django.contrib.auth.models import Permission

    other_clerk = make_staff("petugas_puskesmas", "puskesmas-demo-kota")
    clinic_clerk.is_staff = True
    clinic_clerk.save(update_fields=["is_staff"])
    clinic_clerk.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="dokter", codename__in=["add_apitoken", "view_apitoken"]
        )
    )
    client.force_login(clinic_clerk)
    url = reverse("admin:dokter_apitoken_add")
    r = client.post(url, {"name": "Pinjam", "owner": other_clerk.pk, "facility": facility.pk})
    assert r.status_code == 200 and not ApiToken.objects.exists()
    r = client.post(
        url, {"name": "Milik sendiri", "owner": clinic_clerk.pk, "facility": facility.pk}
    )
    assert r.status_code == 302 and ApiToken.objects.get().owner == clinic_clerk
