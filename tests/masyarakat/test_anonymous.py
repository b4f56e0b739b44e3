"""Reports without an account (issue 14, as SP4N-LAPOR! and FixMyStreet accept them): a
tracking number and a follow secret, no identity at all, the same abuse limits, and kept
apart from confidential reports in the one visibility rule."""

import re

import pytest
import rules
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from binjai_portal.core.models import Notification, Region
from masyarakat import selectors, services
from masyarakat.models import Ticket

from .factories import ticket_public
from .test_ratelimit import complaint

pytestmark = pytest.mark.django_db
NEW = reverse("masyarakat:ticket-new-anonymous")
FOLLOW = reverse("masyarakat:ticket-follow")
SECRET = re.compile(r'data-testid="receipt-secret">([a-z0-9-]+)<')


def anonymous(category, **overrides):
    data = {
        "category": category,
        "title": "Lampu jalan mati",
        "description": "Sudah seminggu gelap.",
        "kelurahan": Region.objects.get(code="12.75.02.1001"),
        "address": "Jl. Samanhudi",
    }
    data.update(overrides)
    return services.ticket_create_anonymous(**data)


def test_a_report_without_an_account_gets_a_number_and_a_secret(client, category, moderator):
    response = client.post(NEW, complaint(category, 1))
    assert response.status_code == 200
    ticket = Ticket.objects.get()
    html = response.content.decode()
    secret = SECRET.search(html).group(1)
    assert ticket.number in html
    assert ticket.reporter is None and not ticket.show_name and not ticket.confidential
    # stored as a salted hash only; the receipt is the one place it is shown
    assert secret not in ticket.follow_secret_hash
    assert check_password(services.follow_secret_normal(secret), ticket.follow_secret_hash)
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )
    # moderated like any report
    assert ticket.status == "submitted"
    assert Notification.objects.filter(recipient=moderator).exists()


def test_the_form_opens_without_an_account(client, category):
    page = client.get(NEW)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="anonymous-note"' in html and 'name="show_name"' not in html


def test_bad_input_changes_nothing(client, category):
    response = client.post(NEW, {**complaint(category, 1), "kelurahan": "99.99"})
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_the_follow_page_needs_the_number_and_its_secret(client, category, moderator):
    ticket, secret = anonymous(category)
    other, other_secret = anonymous(category, title="Got mampet")
    assert client.get(FOLLOW).status_code == 200
    # typed as a citizen copies it: other case, spaces instead of dashes
    typed = secret.upper().replace("-", " ")
    found = client.post(FOLLOW, {"number": ticket.number.lower(), "secret": typed})
    assert found.status_code == 200
    assert "Lampu jalan mati" in found.content.decode()
    assert "Diajukan" in found.content.decode()  # its state, even before moderation
    for number, wrong in (
        (ticket.number, other_secret),  # another report's secret
        (ticket.number, ""),
        ("ADU-2099-000001", secret),
    ):
        refused = client.post(FOLLOW, {"number": number, "secret": wrong})
        assert refused.status_code == 400
        assert "Lampu jalan mati" not in refused.content.decode()


def test_a_signed_in_report_has_no_follow_page(client, citizen, category, moderator):
    ticket = ticket_public(reporter=citizen, moderator=moderator, category=category)
    assert ticket.follow_secret_hash == ""
    response = client.post(FOLLOW, {"number": ticket.number, "secret": "x"})
    assert response.status_code == 400


def test_visibility_anonymous_is_not_confidential(
    client, category, moderator, opd_officer, make_citizen
):
    """An anonymous report is public once moderated (there is no identity to protect); a
    confidential one never is. Neither is anybody's own, and both follow by secret."""
    stranger = make_citizen()
    open_one, open_secret = anonymous(category)
    hidden, hidden_secret = anonymous(category, title="Pungli di loket", confidential=True)
    for t in (open_one, hidden):
        services.ticket_verify(ticket=t, moderator=moderator)
        services.ticket_assign(ticket=t, moderator=moderator)
    public = set(selectors.ticket_list_public().values_list("number", flat=True))
    assert open_one.number in public and hidden.number not in public
    for viewer in (stranger, opd_officer, moderator):
        visible = set(selectors.ticket_list_visible(user=viewer).values_list("number", flat=True))
        assert open_one.number in visible
        assert (hidden.number in visible) == (viewer in (opd_officer, moderator))
        assert not selectors.ticket_list_own(user=viewer).filter(pk=hidden.pk).exists()
    follow = selectors.Follow(hidden.number, hidden_secret)
    assert selectors.ticket_get_for_follower(user=stranger, follow=follow) == hidden
    # the list with a follow adds that one report, not others
    listed = selectors.ticket_list_visible(user=stranger, follow=follow)
    assert listed.filter(pk=hidden.pk).exists()
    assert listed.filter(confidential=True).count() == 1
    # no identity: not even a moderator learns who sent it
    hidden.refresh_from_db()
    assert selectors.reporter_label(hidden, moderator) == "Pelapor tanpa akun (anonim)"
    assert not rules.has_perm("masyarakat.view_reporter", moderator, hidden)
    page = client.get(open_one.get_absolute_url())
    assert page.status_code == 200 and "Pelapor tanpa akun" in page.content.decode()


def test_an_anonymous_reporter_cannot_be_asked(category, moderator, opd_officer):
    ticket, _secret = anonymous(category)
    services.ticket_verify(ticket=ticket, moderator=moderator)
    services.ticket_assign(ticket=ticket, moderator=moderator)
    with pytest.raises(ValidationError):
        services.ticket_ask_info(ticket=ticket, officer=opd_officer, question="Di mana?")
    ticket.refresh_from_db()
    assert ticket.status == "assigned"
    # the rest of the work goes on and notifies nobody who does not exist
    services.ticket_start(ticket=ticket, officer=opd_officer)
    services.ticket_resolve(ticket=ticket, officer=opd_officer, response="Lampu diganti.")
    assert Ticket.objects.get(pk=ticket.pk).status == "resolved"


def test_open311_lists_an_anonymous_report_without_identity(client, category, moderator):
    ticket, _secret = anonymous(category)
    unmoderated, _s = anonymous(category, title="Belum diperiksa")
    services.ticket_verify(ticket=ticket, moderator=moderator)
    rows = client.get("/api/open311/v2/requests.json").json()
    numbers = {r["service_request_id"] for r in rows}
    assert ticket.number in numbers and unmoderated.number not in numbers
    row = next(r for r in rows if r["service_request_id"] == ticket.number)
    assert not {"email", "first_name", "last_name", "phone", "account_id"} & {
        k for k, v in row.items() if v
    }


def test_the_same_abuse_limits_apply(client, category, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "complaint_anonymous": "2/h"}
    statuses = [client.post(NEW, complaint(category, n)).status_code for n in range(4)]
    assert statuses == [200, 200, 429, 429]
    assert Ticket.objects.count() == 2
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "complaint_anonymous": "50/h",
        "complaint_address": "1/h",
    }
    # the address limit is shared with signed-in reports from the same address
    assert client.post(NEW, complaint(category, 9), REMOTE_ADDR="203.0.113.9").status_code == 200
    assert client.post(NEW, complaint(category, 10), REMOTE_ADDR="203.0.113.9").status_code == 429


def test_follow_lookups_are_limited(client, category, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "complaint_track": "3/h"}
    ticket, _secret = anonymous(category)
    statuses = [
        client.post(FOLLOW, {"number": ticket.number, "secret": f"guess{n}"}).status_code
        for n in range(5)
    ]
    assert statuses == [400, 400, 400, 429, 429]
