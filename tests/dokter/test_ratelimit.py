"""The e-Dokter API (queue API and FHIR) is limited per client address and per token,
and answers a limited request in its own format."""

import pytest

from .conftest import DAY, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "dokter_api_address": "3/m",
        "dokter_api_token": "4/m",
    }


def status_url(facility, poli):
    return f"/api/dokter/antrean/status/{facility.code}/{poli.code}/{DAY.isoformat()}/"


def test_public_queue_status_is_limited_per_address(client, facility, poli, schedules, tight):
    url = status_url(facility, poli)
    assert [client.get(url, REMOTE_ADDR="198.51.100.1").status_code for _ in range(4)] == [
        200,
        200,
        200,
        429,
    ]
    refused = client.get(url, REMOTE_ADDR="198.51.100.1")
    assert refused.json()["metadata"]["code"] == 429
    assert "Terlalu banyak permintaan" in refused.json()["metadata"]["message"]
    assert refused["Retry-After"]
    assert client.get(url, REMOTE_ADDR="198.51.100.2").status_code == 200


def test_a_token_is_limited_wherever_it_is_used_from(client, api_token, tight):
    _row, raw = api_token
    answers = [
        client.post(
            "/api/dokter/antrean/checkin/",
            {"kodebooking": "TIDAKADA"},
            content_type="application/json",
            REMOTE_ADDR=f"198.51.100.{n}",
            **bearer(raw),
        ).status_code
        for n in range(6)
    ]
    assert 429 not in answers[:4] and answers[4:] == [429, 429]


def test_fhir_is_limited_per_address_and_per_token(client, api_token, tight):
    _row, raw = api_token
    statuses = [
        client.get("/api/fhir/Schedule", REMOTE_ADDR="198.51.100.9").status_code for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]  # guessing tokens costs the address too
    by_token = [
        client.get("/api/fhir/Schedule", REMOTE_ADDR=f"203.0.113.{n}", **bearer(raw)).status_code
        for n in range(5)
    ]
    assert by_token == [200] * 4 + [429]
    refused = client.get("/api/fhir/Schedule", REMOTE_ADDR="203.0.113.99", **bearer(raw))
    outcome = refused.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "throttled"
