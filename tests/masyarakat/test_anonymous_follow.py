"""The reporter of an anonymous report takes their steps by number and secret (issue 14):
confirm the solution with a rating, reopen it, write to the officers. They act as the
`Holder` of that one report's secret; the workflow engine decides as for anyone else."""

import pytest
from django.test import Client
from django.urls import reverse

from binjai_portal.core.models import Notification, StatusChange
from binjai_portal.core.workflow import Holder
from masyarakat import selectors, services
from masyarakat.models import Message, Ticket
from masyarakat.workflows import TICKET

from .test_anonymous import FOLLOW, anonymous

pytestmark = pytest.mark.django_db


def _resolved(category, moderator, opd_officer, **kw):
    ticket, secret = anonymous(category, **kw)
    services.ticket_verify(ticket=ticket, moderator=moderator)
    services.ticket_assign(ticket=ticket, moderator=moderator)
    services.ticket_start(ticket=ticket, officer=opd_officer)
    services.ticket_resolve(ticket=ticket, officer=opd_officer, response="Lampu sudah diganti.")
    return Ticket.objects.get(pk=ticket.pk), secret


def _act(client, ticket, action, data):
    url = reverse("masyarakat:ticket-follow-action", args=[ticket.number, action])
    return client.post(url, {f"{action}-{k}": v for k, v in data.items()})


def test_the_reporter_confirms_and_rates_by_number_and_secret(
    client, category, moderator, opd_officer
):
    ticket, secret = _resolved(category, moderator, opd_officer)
    page = client.post(FOLLOW, {"number": ticket.number, "secret": secret})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="follow-actions"' in html
    assert "Konfirmasi selesai" in html and "Buka kembali" in html
    assert "Selesaikan" not in html  # an officer's step is not offered
    done = _act(client, ticket, "close", {"rating": "5", "note": "Terima kasih."})
    assert done.status_code == 302
    assert done["Location"] == reverse("masyarakat:ticket-follow-detail", args=[ticket.number])
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rating, ticket.rating_comment) == ("closed", 5, "Terima kasih.")
    change = StatusChange.objects.get(workflow=TICKET.name, action="close", object_id=ticket.pk)
    assert change.actor is None
    # the officers hear of it; the timeline says the reporter did it, not "Sistem"
    assert Notification.objects.filter(recipient=opd_officer).exists()
    entries = selectors.ticket_timeline(ticket=ticket, viewer=opd_officer)
    assert entries[-1].to_label == TICKET.label("closed") and entries[-1].actor == "Pelapor"
    again = client.get(done["Location"])
    assert again.status_code == 200 and str(TICKET.label("closed")) in again.content.decode()


def test_without_the_secret_in_this_browser_nothing_changes(
    client, category, moderator, opd_officer
):
    ticket, secret = _resolved(category, moderator, opd_officer)
    stranger = Client()
    refused = _act(stranger, ticket, "close", {"rating": "1"})
    assert refused.status_code == 403
    assert "Masukkan lagi nomor tiket dan sandi pantau" in refused.content.decode()
    page = stranger.get(reverse("masyarakat:ticket-follow-detail", args=[ticket.number]))
    html = page.content.decode()
    assert page.status_code == 403 and "Lampu jalan mati" not in html
    assert f'value="{ticket.number}"' in html  # the form again, with its number
    assert Ticket.objects.get(pk=ticket.pk).status == "resolved"


def test_the_proof_covers_one_report_only(client, category, moderator, opd_officer):
    mine, secret = _resolved(category, moderator, opd_officer)
    other, _other_secret = _resolved(category, moderator, opd_officer, title="Got mampet")
    client.post(FOLLOW, {"number": mine.number, "secret": secret})
    assert _act(client, other, "close", {"rating": "1"}).status_code == 403
    assert Ticket.objects.get(pk=other.pk).status == "resolved"
    # a report with an account cannot be followed by secret at all
    assert not Holder(Ticket, other.pk).holds(mine)


def test_officer_steps_and_bad_input_are_refused_and_change_nothing(
    client, category, moderator, opd_officer
):
    ticket, secret = anonymous(category)
    services.ticket_verify(ticket=ticket, moderator=moderator)
    services.ticket_assign(ticket=ticket, moderator=moderator)
    client.post(FOLLOW, {"number": ticket.number, "secret": secret})
    response = _act(client, ticket, "start", {"note": "saya sendiri"})
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).status == "assigned"
    # not yet resolved: closing is not available
    _act(client, ticket, "close", {"rating": "5"})
    assert Ticket.objects.get(pk=ticket.pk).status == "assigned"
    ticket, secret = _resolved(category, moderator, opd_officer, title="Lubang")
    client.post(FOLLOW, {"number": ticket.number, "secret": secret})
    bad = _act(client, ticket, "close", {"rating": "9"})
    assert bad.status_code in (302, 400)
    assert Ticket.objects.get(pk=ticket.pk).status == "resolved"
    empty = _act(client, ticket, "reopen", {"note": ""})
    assert empty.status_code in (302, 400)
    assert Ticket.objects.get(pk=ticket.pk).status == "resolved"


def test_the_reporter_reopens_with_a_reason(client, category, moderator, opd_officer):
    ticket, secret = _resolved(category, moderator, opd_officer)
    client.post(FOLLOW, {"number": ticket.number, "secret": secret})
    _act(client, ticket, "reopen", {"note": "Masih gelap di ujung gang."})
    assert Ticket.objects.get(pk=ticket.pk).status == "assigned"


def test_the_reporter_writes_to_the_officers(client, category, moderator, opd_officer):
    ticket, secret = _resolved(category, moderator, opd_officer)
    client.post(FOLLOW, {"number": ticket.number, "secret": secret})
    url = reverse("masyarakat:ticket-follow-message", args=[ticket.number])
    before = Notification.objects.filter(recipient=opd_officer).count()
    sent = client.post(url, {"body": "Lampu di ujung gang belum."})
    assert sent.status_code == 302
    message = Message.objects.get(ticket=ticket)
    assert message.author is None and message.from_reporter
    assert Notification.objects.filter(recipient=opd_officer).count() == before + 1
    assert client.post(url, {"body": "  "}).status_code == 400
    assert Message.objects.filter(ticket=ticket).count() == 1
    # the officer reads it from "Pelapor" on the staff page
    staff = Client()
    staff.force_login(opd_officer)
    page = staff.get(ticket.get_absolute_url()).content.decode()
    assert "Lampu di ujung gang belum." in page and "Pelapor" in page
    # and the reporter sees the thread on the follow page
    mine = client.get(reverse("masyarakat:ticket-follow-detail", args=[ticket.number]))
    assert "Lampu di ujung gang belum." in mine.content.decode()
    assert Client().post(url, {"body": "bukan saya"}).status_code == 403
    assert Message.objects.filter(ticket=ticket).count() == 1


def test_the_engine_lets_a_holder_take_only_owner_steps_on_its_record(
    category, moderator, opd_officer
):
    ticket, _secret = _resolved(category, moderator, opd_officer)
    holder = Holder(Ticket, ticket.pk)
    assert {a.name for a in TICKET.available_actions(ticket, holder)} == {"close", "reopen"}
    other, _s = _resolved(category, moderator, opd_officer, title="Lain")
    assert TICKET.available_actions(other, holder) == []
    assert TICKET.refusal(other, holder, "close") is not None
