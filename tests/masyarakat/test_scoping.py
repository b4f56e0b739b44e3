"""A list is the detail's scope, filtered: one selector decides who may open a ticket,
and the work queue, the photos and the SLA notices follow it."""

import datetime

import pytest
from django.urls import reverse

from binjai_portal.core.models import Notification, Upload
from masyarakat import services

from .factories import photo, ticket_assigned, ticket_make

pytestmark = pytest.mark.django_db

NON_HANDLERS = ("wallboard", "pengamat", "pimpinan", "tapd", "bappeda", "dpmptsp_verifikator")


@pytest.fixture
def tickets(make_citizen, category, moderator):
    reporter = make_citizen(full_name="Budi Pelapor")
    secret = ticket_assigned(
        reporter=reporter,
        moderator=moderator,
        category=category,
        title="Pungli di loket ZQXSECRET",
        confidential=True,
        photos=[photo()],
    )
    services.ticket_resolve(ticket=secret, officer=_officer(secret), response="Ditindak.")
    services.ticket_close(ticket=secret, reporter=reporter, rating=5, comment="")
    fresh = ticket_make(reporter=reporter, category=category, title="Belum dimoderasi ZQXFRESH")
    rejected = ticket_make(reporter=reporter, category=category, title="Ditolak ZQXREJECTED")
    services.ticket_reject(ticket=rejected, moderator=moderator, reason="Bukan wewenang.")
    return secret, fresh, rejected


def _officer(ticket):
    from masyarakat.workflows import agency_officers

    officers = agency_officers(ticket)
    if officers:
        return officers[0]
    raise AssertionError("the fixture needs an officer of the agency")


@pytest.fixture(autouse=True)
def _agency_officer(opd_officer):
    return opd_officer


@pytest.mark.parametrize("role", NON_HANDLERS)
def test_the_queue_of_a_non_handler_lists_nothing_its_detail_refuses(
    client, make_staff, role, tickets
):
    unit = {"tapd": "bpkad", "bappeda": "bappeda", "dpmptsp_verifikator": "dpmptsp"}.get(role)
    client.force_login(make_staff(role, unit))
    for status in ("open", "closed", "submitted", "rejected", "assigned"):
        html = client.get(reverse("masyarakat:work-queue"), {"status": status}).content.decode()
        for t in tickets:
            assert t.title not in html and t.number not in html, (status, t.number)
    for t in tickets:
        assert client.get(t.get_absolute_url()).status_code == 404


def test_handlers_still_see_their_queue(client, moderator, opd_officer, tickets):
    secret, fresh, rejected = tickets
    client.force_login(moderator)
    assert (
        fresh.number
        in client.get(reverse("masyarakat:work-queue"), {"status": "submitted"}).content.decode()
    )
    client.force_login(opd_officer)
    html = client.get(reverse("masyarakat:work-queue"), {"status": "closed"}).content.decode()
    assert secret.number in html and fresh.number not in html
    assert client.get(secret.get_absolute_url()).status_code == 200


def test_a_confidential_photo_goes_only_to_those_who_may_open_the_ticket(
    client, make_staff, opd_officer, tickets
):
    upload = Upload.objects.get(purpose="masyarakat.photo")
    url = reverse("core:upload", args=[upload.token])
    client.force_login(make_staff("pimpinan"))
    assert client.get(url).status_code == 404
    client.force_login(opd_officer)
    assert client.get(url).status_code == 200


def test_an_overdue_confidential_report_reaches_non_handlers_without_its_text(
    make_citizen, category, moderator, opd_officer, make_staff
):
    leader = make_staff("pimpinan")
    reporter = make_citizen()
    long_ago = datetime.date.today() - datetime.timedelta(days=60)
    secret = ticket_assigned(
        reporter=reporter,
        moderator=moderator,
        category=category,
        today=long_ago,
        title="Pungli ZQXOVERDUE",
        description="Rincian ZQXDETAIL",
        confidential=True,
    )
    from command_center.services import alerts_evaluate

    assert services.ticket_sla_check()["overdue"] == 1
    # A leader hears of it only from the command center's alert, without its text.
    assert not Notification.objects.filter(recipient=leader).exists()
    alerts_evaluate()
    mine = Notification.objects.get(recipient=leader)
    assert secret.number in mine.title
    # The e-mail and SMS copies are this row's title and body (core.notifications._send).
    assert "ZQX" not in mine.title + mine.body
    handler = Notification.objects.get(recipient=opd_officer, title__startswith="Lewat batas waktu")
    assert "ZQXOVERDUE" in handler.body  # the handlers keep the full notice
