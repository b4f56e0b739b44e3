"""Open311 GeoReport v2, checked field by field against the specification
(http://wiki.open311.org/GeoReport_v2), in JSON and XML."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from masyarakat import services
from masyarakat.models import CategoryAttribute, Ticket

from .factories import photo, ticket_assigned, ticket_make, ticket_public

pytestmark = pytest.mark.django_db
BASE = "/api/open311/v2/"
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")

SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def xml(response):
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)


def assert_error(response, status):
    assert response.status_code == status
    body = response.json() if response["Content-Type"].startswith("application/json") else None
    if body is not None:
        assert isinstance(body, list) and set(body[0]) == {"code", "description"}
        assert body[0]["code"] == status and body[0]["description"]
    else:
        root = xml(response)
        assert root.tag == "errors" and root[0].tag == "error"
        assert root[0].findtext("code") == str(status) and root[0].findtext("description")


@pytest.fixture
def published(citizen, make_citizen, category, moderator, opd_officer):
    t = ticket_assigned(
        reporter=citizen, moderator=moderator, category=category, photos=[photo()], show_name=True
    )
    services.ticket_resolve(ticket=t, officer=opd_officer, response="Sudah diperbaiki.")
    t.refresh_from_db()
    return t


def test_services_json_and_xml(client, category):
    CategoryAttribute.objects.create(
        category=category,
        code="lebar",
        description="Lebar lubang",
        datatype="number",
        required=True,
        order=1,
    )
    data = client.get(BASE + "services.json").json()
    assert len(data) == 1 and set(data[0]) == SERVICE_FIELDS
    assert data[0]["service_code"] == "jalan-rusak" and data[0]["metadata"] is True
    assert data[0]["type"] in ("realtime", "batch", "blackbox")
    root = xml(client.get(BASE + "services.xml"))
    assert root.tag == "services" and [c.tag for c in root] == ["service"]
    assert {c.tag for c in root[0]} == SERVICE_FIELDS
    assert root[0].findtext("metadata") == "true"


def test_service_definition(client, category):
    CategoryAttribute.objects.create(
        category=category,
        code="jenis",
        description="Jenis jalan",
        datatype="singlevaluelist",
        required=True,
        order=1,
        values=[{"key": "kota", "name": "Jalan kota"}],
    )
    data = client.get(BASE + "services/jalan-rusak.json").json()
    assert data["service_code"] == "jalan-rusak"
    (attr,) = data["attributes"]
    assert set(attr) == {
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    }
    assert attr["values"] == [{"key": "kota", "name": "Jalan kota"}]
    root = xml(client.get(BASE + "services/jalan-rusak.xml"))
    assert root.tag == "service_definition"
    a = root.find("attributes/attribute")
    assert a.findtext("code") == "jenis" and a.findtext("values/value/key") == "kota"
    assert_error(client.get(BASE + "services/tidak-ada.json"), 404)
    assert_error(client.get(BASE + "services/tidak-ada.xml"), 404)


def test_requests_fields_json(client, published):
    (r,) = client.get(BASE + "requests.json").json()
    assert set(r) == REQUEST_FIELDS
    assert r["service_request_id"] == published.number
    assert r["status"] == "closed"  # resolved
    assert r["status_notes"] == "Sudah diperbaiki."
    assert r["service_code"] == "jalan-rusak" and r["service_name"] == "Jalan rusak"
    assert r["agency_responsible"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
    for f in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert ISO.match(r[f]), (f, r[f])
    assert r["expected_datetime"].startswith(published.sla_due.isoformat())
    assert r["lat"] == 3.6001 and r["long"] == 98.4852
    assert r["address_id"] == "12.75.02.1001" and "Berngam" in r["address"]
    assert r["media_url"].startswith("http://testserver/")
    assert client.get(r["media_url"].replace("http://testserver", "")).status_code == 200
    # no reporter identity anywhere
    assert "Siti" not in str(r) and "reporter" not in str(r)


def test_requests_fields_xml(client, published):
    root = xml(client.get(BASE + "requests.xml"))
    assert root.tag == "service_requests" and [c.tag for c in root] == ["request"]
    assert {c.tag for c in root[0]} == REQUEST_FIELDS
    assert root[0].findtext("service_request_id") == published.number
    assert root[0].findtext("status") == "closed"
    (single,) = client.get(BASE + f"requests/{published.number}.json").json()
    assert single["service_request_id"] == published.number
    assert (
        xml(client.get(BASE + f"requests/{published.number}.xml"))[0].findtext("service_request_id")
        == published.number
    )


def test_confidential_and_unmoderated_never_in_the_api(client, citizen, category, moderator):
    secret = ticket_public(
        reporter=citizen, moderator=moderator, category=category, confidential=True, title="Pungli"
    )
    fresh = ticket_make(reporter=citizen, category=category)
    listed = client.get(BASE + "requests.json").json()
    assert listed == []
    for t in (secret, fresh):
        assert_error(client.get(BASE + f"requests/{t.number}.json"), 404)
        got = client.get(BASE + f"requests.json?service_request_id={t.number}").json()
        assert got == []


def test_requests_filters(client, citizen, category, rubbish_category, moderator):
    road = ticket_public(reporter=citizen, moderator=moderator, category=category)
    rubbish = ticket_public(reporter=citizen, moderator=moderator, category=rubbish_category)

    def ids(q):
        return {r["service_request_id"] for r in client.get(BASE + "requests.json" + q).json()}

    assert ids("?service_code=sampah") == {rubbish.number}
    assert ids("?service_code=sampah,jalan-rusak") == {rubbish.number, road.number}
    assert ids("?status=open") == {rubbish.number, road.number}
    assert ids("?status=closed") == set()
    today = datetime.date.today()
    assert ids(f"?start_date={today + datetime.timedelta(days=1)}T00:00:00Z") == set()
    assert ids(
        f"?start_date={today - datetime.timedelta(days=1)}T00:00:00%2B07:00"
        f"&end_date={today + datetime.timedelta(days=1)}"
    ) == {rubbish.number, road.number}
    assert ids(f"?service_request_id={road.number}&service_code=sampah") == {road.number}
    assert len(client.get(BASE + "requests.json?page_size=1").json()) == 1
    assert len(client.get(BASE + "requests.json?page_size=1&page=2").json()) == 1
    assert client.get(BASE + "requests.json?page=3&page_size=1").json() == []


@pytest.mark.parametrize(
    "query",
    [
        "?status=pending",
        "?start_date=kemarin",
        "?end_date=2026-02-30",
        "?page=0",
        "?page=-1",
        "?page_size=5000",
        "?page_size=abc",
        "?start_date=2026-03-01&end_date=2026-01-01",
        "?start_date=2026-99-01T00:00:00Z",
        "?page=101",
        "?page=11&page_size=1000",  # past the first 10,000: narrow by date instead
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_parameters_get_the_spec_error_and_a_4xx(client, query, fmt):
    assert_error(client.get(BASE + f"requests.{fmt}{query}"), 400)


def test_unknown_paths_and_formats(client):
    assert client.get(BASE + "requests.html").status_code == 404
    assert_error(client.get(BASE + "requests/ADU-2026-999999.xml"), 404)
    assert_error(client.get(BASE + "tokens/abc.json"), 404)


def test_discovery(client):
    data = client.get(BASE + "discovery.json").json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(data)
    ep = data["endpoints"][0]
    assert ep["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(ep["formats"]) == {"text/xml", "application/json"}
    root = xml(client.get(BASE + "discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


@pytest.fixture
def api_key(db):
    from masyarakat import services

    return services.api_key_issue(name="Aplikasi uji")[1]


def test_post_creates_a_request_and_returns_a_token(client, citizen, category, moderator, api_key):
    client.force_login(citizen)
    response = client.post(
        BASE + "requests.json",
        {
            "api_key": api_key,
            "service_code": "jalan-rusak",
            "lat": "3.6012",
            "long": "98.4861",
            "description": "Jalan amblas\nsekitar 2 meter",
            "media_url": "https://example.org/a.jpg",
        },
    )
    assert response.status_code == 201
    (body,) = response.json()
    assert set(body) == {"token", "service_notice", "account_id"}
    ticket = Ticket.objects.get()
    assert ticket.reporter == citizen and ticket.kelurahan == citizen.kelurahan
    assert ticket.title == "Jalan amblas" and ticket.status == "submitted"
    (tok,) = client.get(BASE + f"tokens/{body['token']}.json").json()
    assert tok == {"service_request_id": None, "token": body["token"]}
    services.ticket_verify(ticket=ticket, moderator=moderator)
    (tok,) = client.get(BASE + f"tokens/{body['token']}.json").json()
    assert tok["service_request_id"] == ticket.number
    (r,) = client.get(BASE + f"requests/{ticket.number}.json").json()
    assert r["media_url"] == "https://example.org/a.jpg"


def test_post_xml_with_address_and_attribute(client, citizen, category, api_key):
    CategoryAttribute.objects.create(
        category=category, code="lebar", description="Lebar", datatype="number", required=True
    )
    client.force_login(citizen)
    data = {
        "api_key": api_key,
        "service_code": "jalan-rusak",
        "address_string": "Jl. Gatot",
        "address_id": "12.75.01.1001",
        "description": "Rusak",
    }
    assert_error(client.post(BASE + "requests.xml", data), 400)  # attribute missing
    assert_error(client.post(BASE + "requests.xml", {**data, "attribute[lebar]": "x"}), 400)
    response = client.post(BASE + "requests.xml", {**data, "attribute[lebar]": "2.5"})
    assert response.status_code == 201
    root = xml(response)
    assert root.tag == "service_requests" and root[0].findtext("token")
    ticket = Ticket.objects.get()
    assert ticket.attributes == {"lebar": "2.5"} and ticket.kelurahan.code == "12.75.01.1001"


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"api_key": "salah"}, 403),
        ({"service_code": "tidak-ada"}, 400),
        ({"lat": "", "long": ""}, 400),  # no location at all
        ({"lat": "abc"}, 400),
        ({"lat": "95"}, 400),
        ({"description": ""}, 400),
        ({"address_id": "12.71.01.1001"}, 400),  # not a kelurahan of this city
        ({"media_url": "javascript:alert(1)"}, 400),
    ],
)
def test_bad_posts_are_refused_in_the_spec_format(client, citizen, category, api_key, data, status):
    client.force_login(citizen)
    base = {
        "api_key": api_key,
        "service_code": "jalan-rusak",
        "lat": "3.6",
        "long": "98.48",
        "description": "Rusak",
    }
    assert_error(client.post(BASE + "requests.json", {**base, **data}), status)
    assert Ticket.objects.count() == 0


def test_post_needs_a_logged_in_citizen(client, category, api_key):
    response = client.post(
        BASE + "requests.json",
        {
            "api_key": api_key,
            "service_code": "jalan-rusak",
            "lat": "3.6",
            "long": "98.48",
            "description": "Rusak",
        },
    )
    assert_error(response, 401)
    assert Ticket.objects.count() == 0


def test_posts_are_rate_limited(client, citizen, category, api_key, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "open311_post": "2/h"}
    client.force_login(citizen)
    data = {
        "api_key": api_key,
        "service_code": "jalan-rusak",
        "lat": "3.6",
        "long": "98.48",
        "description": "Rusak",
    }
    assert [client.post(BASE + "requests.json", data).status_code for _ in range(2)] == [201] * 2
    response = client.post(BASE + "requests.json", data)
    assert_error(response, 429)
    assert response["Retry-After"]
    assert Ticket.objects.count() == 2
    assert reverse("open311:o311-requests", args=["json"]) == BASE + "requests.json"


def test_api_keys_are_stored_hashed_and_shown_once(client, citizen, category, make_citizen):
    from django.contrib.admin import site

    from masyarakat import services
    from masyarakat.models import ApiKey

    root = make_citizen(full_name="Akar")
    root.is_superuser = root.is_staff = True
    root.save(update_fields=["is_superuser", "is_staff"])
    client.force_login(root)
    assert ApiKey in site._registry
    r = client.post(
        reverse("admin:masyarakat_apikey_add"),
        {"name": "Aplikasi warga", "contact_email": "", "is_active": "on"},
        follow=True,
    )
    assert r.status_code == 200
    key = ApiKey.objects.get()
    raw = next(
        w
        for m in r.context["messages"]
        for w in str(m).split()
        if services.api_key_digest(w) == key.digest
    )
    assert key.prefix == raw[:8] and raw not in str(ApiKey.objects.values().get())
    page = client.get(reverse("admin:masyarakat_apikey_change", args=[key.pk]))
    assert page.status_code == 200 and raw not in page.content.decode()
    # The shown key works; a revoked one does not.
    client.force_login(citizen)
    data = {
        "api_key": raw,
        "service_code": "jalan-rusak",
        "lat": "3.6",
        "long": "98.48",
        "description": "Rusak",
    }
    assert client.post(BASE + "requests.json", data).status_code == 201
    ApiKey.objects.update(is_active=False)
    assert_error(client.post(BASE + "requests.json", data), 403)


@pytest.mark.django_db(transaction=True)
def test_the_migration_hashes_existing_keys():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from masyarakat import services

    before, after = [("masyarakat", "0001_initial")], [("masyarakat", "0002_apikey_digest")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("masyarakat", "ApiKey")
    old.objects.create(key="kunci-lama-123456", name="Aplikasi lama")
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(after)
        new = executor.loader.project_state(after).apps.get_model("masyarakat", "ApiKey")
        row = new.objects.get()
        assert row.digest == services.api_key_digest("kunci-lama-123456")
        assert row.prefix == "kunci-la"
        assert services.api_key_is_valid("kunci-lama-123456")
    finally:
        # Forward to the newest migration again: the tests after this one need the
        # current schema (a later migration's column was missing for the rest of the run).
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes("masyarakat"))
