"""Pages: public feed, detail, report form, actions; scope and confidentiality."""

import datetime
import io

import pytest
from django.urls import reverse
from PIL import Image

from masyarakat import services
from masyarakat.models import Ticket

from .factories import ticket_assigned, ticket_make, ticket_public

pytestmark = pytest.mark.django_db
FEED = reverse("masyarakat:index")


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def secret(make_citizen, category, moderator):
    """A verified confidential report by a named reporter, assigned to DPUPR."""
    whistleblower = make_citizen(full_name="Budi Pelapor Rahasia")
    return ticket_assigned(
        reporter=whistleblower,
        moderator=moderator,
        category=category,
        title="Pungli di loket pelayanan",
        confidential=True,
        show_name=True,
    )


def test_feed_lists_public_tickets_only(client, citizen, make_citizen, category, moderator, secret):
    public = ticket_public(reporter=citizen, moderator=moderator, category=category, show_name=True)
    unmoderated = ticket_make(reporter=make_citizen(), category=category, title="Belum dicek")
    html = client.get(FEED).content.decode()
    assert public.title in html
    assert unmoderated.title not in html and secret.title not in html
    assert "Budi Pelapor Rahasia" not in html
    # detail of a confidential or unmoderated ticket: 404 for the public
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert client.get(unmoderated.get_absolute_url()).status_code == 404
    # the public name is shown only when the reporter chose so
    assert "Siti Aminah" in client.get(public.get_absolute_url()).content.decode()


def test_map_data_has_no_confidential_ticket_and_no_reporter(
    client, citizen, category, moderator, secret
):
    public = ticket_public(reporter=citizen, moderator=moderator, category=category)
    data = client.get(reverse("masyarakat:map-data")).json()
    assert [p["number"] for p in data["points"]] == [public.number]
    assert set(data["points"][0]) == {
        "number",
        "title",
        "status",
        "state",
        "category",
        "icon",
        "lat",
        "lng",
    }
    assert secret.number not in str(data)


def test_agency_officer_never_sees_a_confidential_reporter(client, opd_officer, moderator, secret):
    html = login(client, opd_officer).get(secret.get_absolute_url()).content.decode()
    assert secret.title in html  # the agency handles it
    assert "Budi Pelapor Rahasia" not in html and "Pelapor dirahasiakan" in html
    queue = client.get(reverse("masyarakat:work-queue")).content.decode()
    assert secret.number in queue and "Budi Pelapor Rahasia" not in queue
    services.message_post(ticket=secret, author=secret.reporter, body="Ada saksi lain.")
    html = client.get(secret.get_absolute_url()).content.decode()
    assert "Ada saksi lain." in html and "Budi Pelapor Rahasia" not in html
    html = login(client, moderator).get(secret.get_absolute_url()).content.decode()
    assert "Budi Pelapor Rahasia" in html


def test_agency_officer_sees_only_their_agency(client, citizen, category, moderator, dlh_officer):
    ticket = ticket_assigned(
        reporter=citizen, moderator=moderator, category=category, confidential=True
    )
    login(client, dlh_officer)
    assert client.get(ticket.get_absolute_url()).status_code == 404
    assert ticket.number not in client.get(reverse("masyarakat:work-queue")).content.decode()
    url = reverse("masyarakat:ticket-action", args=[ticket.number, "resolve"])
    assert client.post(url, {"resolve-note": "x"}).status_code == 404
    assert Ticket.objects.get(pk=ticket.pk).status == "assigned"


def jpeg():
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 120, 10)).save(out, format="JPEG")
    out.seek(0)
    out.name = "lubang.jpg"
    return out


def test_citizen_reports_with_photo_and_point(client, citizen, category):
    login(client, citizen)
    assert client.get(reverse("masyarakat:ticket-new")).status_code == 200
    response = client.post(
        reverse("masyarakat:ticket-new"),
        {
            "category": category.code,
            "title": "Lampu mati",
            "description": "Gelap total",
            "kelurahan": "12.75.02.1001",
            "address": "",
            "lat": "3.601000",
            "lng": "98.486000",
            "photos": [jpeg()],
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response.url == ticket.get_absolute_url()
    assert ticket.photos.count() == 1 and str(ticket.lat) == "3.601000"
    assert ticket.show_name is False and ticket.confidential is False


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"category": "tidak-ada", "title": "x", "description": "y", "kelurahan": "12.75.02.1001"},
        {"category": "jalan-rusak", "title": "x", "description": "y", "kelurahan": "99"},
        {
            "category": "jalan-rusak",
            "title": "x",
            "description": "y",
            "kelurahan": "12.75.02.1001",
            "lat": "abc",
            "lng": "1",
        },
        {"category": "jalan-rusak", "title": "x", "description": "y", "kelurahan": "12.75.02.1001"},
    ],
)
def test_bad_report_input_is_a_clear_400ish_page_and_changes_nothing(
    client, citizen, category, data
):
    response = login(client, citizen).post(reverse("masyarakat:ticket-new"), data)
    assert response.status_code == 200
    assert "Periksa kembali isian Anda." in response.content.decode()
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize(
    "query",
    [
        "?status=nope",
        "?start=2026-13-45",
        "?kecamatan=<script>",
        "?page=-1",
        "?page=abc",
        "?category=x&end=kemarin",
        "?q=" + "a" * 500,
    ],
)
def test_bad_feed_parameters_never_500(client, query):
    assert client.get(FEED + query).status_code == 200
    assert client.get(reverse("masyarakat:map-data") + query).status_code == 200


def test_feed_filters(client, citizen, category, rubbish_category, moderator):
    road = ticket_public(reporter=citizen, moderator=moderator, category=category)
    rubbish = ticket_public(
        reporter=citizen,
        moderator=moderator,
        category=rubbish_category,
        kelurahan_code="12.75.01.1001",
        title="Sampah menumpuk",
    )
    html = client.get(FEED + "?category=sampah").content.decode()
    assert rubbish.title in html and road.title not in html
    html = client.get(FEED + "?kecamatan=12.75.02").content.decode()
    assert road.title in html and rubbish.title not in html
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    assert road.title not in client.get(FEED + f"?start={tomorrow}").content.decode()


def test_me_too_once_through_the_page(client, citizen, make_citizen, category, moderator):
    ticket = ticket_public(reporter=citizen, moderator=moderator, category=category)
    url = reverse("masyarakat:ticket-me-too", args=[ticket.number])
    assert client.post(url).status_code == 302  # to login
    login(client, make_citizen())
    client.post(url)
    client.post(url)
    assert Ticket.objects.get(pk=ticket.pk).me_too_count == 1


def test_workflow_through_the_pages(client, citizen, category, moderator, opd_officer):
    ticket = ticket_make(reporter=citizen, category=category)
    act = lambda a: reverse("masyarakat:ticket-action", args=[ticket.number, a])  # noqa: E731
    login(client, moderator)
    assert client.post(act("verify"), {}).status_code == 302
    assert client.post(act("assign"), {"assign-agency": category.agency_id}).status_code == 302
    # the citizen cannot act for the agency: refused with a message, nothing changes
    login(client, citizen)
    client.post(act("resolve"), {"resolve-note": "Beres"})
    assert Ticket.objects.get(pk=ticket.pk).status == "assigned"
    login(client, opd_officer)
    assert client.post(act("resolve"), {"resolve-note": ""}).status_code == 400  # note required
    assert client.post(act("resolve"), {"resolve-note": "Sudah ditambal"}).status_code == 302
    login(client, citizen)
    assert client.post(act("close"), {"close-rating": "9"}).status_code == 400
    assert client.post(act("close"), {"close-rating": "4"}).status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rating) == ("closed", 4)
    assert (
        client.post(
            reverse("masyarakat:ticket-action", args=[ticket.number, "nope"]), {}
        ).status_code
        == 404
    )


def _more_public_tickets(n, like: Ticket, start=0):
    """Copies of a public ticket, written in bulk (the services are tested elsewhere)."""
    Ticket.objects.bulk_create(
        [
            Ticket(
                number=f"ADU-1999-{i:06d}",
                category=like.category,
                title=f"Laporan {i}",
                description="x",
                kelurahan=like.kelurahan,
                reporter=like.reporter,
                status="verified",
                lat=like.lat,
                lng=like.lng,
            )
            for i in range(start, start + n)
        ]
    )


@pytest.mark.parametrize("path", ["masyarakat:index", "masyarakat:map-data"])
def test_public_pages_cost_the_same_at_5_and_500_tickets(
    client, citizen, category, moderator, django_assert_max_num_queries, path
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = ticket_public(reporter=citizen, moderator=moderator, category=category)
    _more_public_tickets(4, first)
    url = reverse(path)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _more_public_tickets(495, first, start=4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    assert Ticket.objects.count() == 500
