"""Password reset mail goes through the outbox: no SMTP in the request, a budget per address."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from binjai_portal.core.models import Delivery
from binjai_portal.core.notifications import delivery_send

pytestmark = pytest.mark.django_db
RESET = reverse("accounts:password-reset")


def deliver_pending():
    for pk in Delivery.objects.filter(status="pending").values_list("pk", flat=True):
        delivery_send(delivery_id=pk)


def test_known_and_unknown_addresses_answer_alike_and_no_mail_leaves_in_the_request(
    client, citizen, settings
):
    settings.SITE_URL = "https://smartcity.binjaikota.go.id"
    unknown = client.post(RESET, {"email": "tidak-ada@example.org"})
    known = client.post(RESET, {"email": citizen.email}, HTTP_HOST="localhost")

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert mail.outbox == []  # nothing was sent while the citizen waited
    delivery = Delivery.objects.get()
    assert (delivery.purpose, delivery.channel, delivery.address, delivery.status) == (
        "password_reset", "email", citizen.email, "pending")

    deliver_pending()  # what the worker does after commit

    [message] = mail.outbox
    assert message.to == [citizen.email]
    assert message.extra_headers["Message-ID"] == (
        f"<{delivery.idempotency_key}@smartcity.binjaikota.go.id>")
    link = re.search(r"https://smartcity\.binjaikota\.go\.id(/akun/atur-sandi/\S+)",
                     message.body).group(1)
    response = client.get(link, follow=True)
    new = "Sandi-Baru-2026!"
    response = client.post(response.redirect_chain[-1][0],
                           {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password(new)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.body) == ("sent", "")  # the link is not kept


def test_one_address_gets_at_most_the_budget_of_reset_mails(client, citizen, settings):
    settings.PASSWORD_RESET_MAIL_BUDGET = 3
    for _ in range(6):
        assert client.post(RESET, {"email": citizen.email}).status_code == 302
    deliver_pending()

    assert len(mail.outbox) == 3
    skipped = Delivery.objects.filter(status="skipped", skip_reason="budget_address")
    assert skipped.count() == 3
    assert set(skipped.values_list("body", flat=True)) == {""}
