"""Password reset mail is prepared and sent by Celery through the outbox.

The request only queues a task with the address typed in, known or unknown alike (no
lookup, token or SMTP in the request); the worker writes the outbox row and sends it.
One address gets at most PASSWORD_RESET_MAIL_BUDGET mails per window.
"""

import re
import time

import kombu.pools
import pytest
from celery.signals import after_task_publish
from django.core import mail
from django.urls import reverse

from binjai_portal.accounts.password_reset import password_reset_mail_write
from binjai_portal.accounts.tasks import password_reset_mail_task
from binjai_portal.core.models import Delivery

RESET = reverse("accounts:password-reset")
WAIT = 20


def wait_for(predicate, what):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def published():
    tasks = []

    def record(sender=None, body=None, **kwargs):
        tasks.append((sender, list(body[0])))

    after_task_publish.connect(record, weak=False)
    yield tasks
    after_task_publish.disconnect(record)


def test_the_request_only_queues_the_address_known_or_unknown(
    worker, client, citizen, settings, published, django_assert_max_num_queries
):
    settings.SITE_URL = "https://smartcity.binjaikota.go.id"
    with django_assert_max_num_queries(2):  # session and messages only: no user lookup
        unknown = client.post(RESET, {"email": "tidak-ada@example.org"})
    with django_assert_max_num_queries(2):
        known = client.post(RESET, {"email": citizen.email}, HTTP_HOST="localhost")

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [p for p in published if p[0].endswith("password_reset_mail_task")] == [
        ("binjai_portal.accounts.tasks.password_reset_mail_task", ["tidak-ada@example.org"]),
        ("binjai_portal.accounts.tasks.password_reset_mail_task", [citizen.email]),
    ]

    wait_for(lambda: len(mail.outbox) == 1, "the reset mail")
    [message] = mail.outbox
    delivery = Delivery.objects.get()
    assert (delivery.purpose, delivery.address) == ("password_reset", citizen.email)
    assert message.to == [citizen.email]
    assert message.extra_headers["Message-ID"] == (
        f"<{delivery.idempotency_key}@smartcity.binjaikota.go.id>"
    )
    # The link comes from SITE_URL, not from the Host header of the request.
    link = re.search(
        r"https://smartcity\.binjaikota\.go\.id(/akun/atur-sandi/\S+)", message.body
    ).group(1)
    response = client.get(link, follow=True)
    new = "Sandi-Baru-2026!"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password(new)
    wait_for(lambda: Delivery.objects.get().status == "sent", "the delivery marked sent")
    assert Delivery.objects.get().body == ""  # the link is not kept in the outbox


def test_one_address_gets_at_most_the_budget_of_reset_mails(worker, client, citizen, settings):
    settings.PASSWORD_RESET_MAIL_BUDGET = 3
    # From six addresses (each within the reset page's per-client limit): the budget is
    # the target address's, whoever asks.
    for i in range(6):
        response = client.post(RESET, {"email": citizen.email}, REMOTE_ADDR=f"203.0.113.{i}")
        assert response.status_code == 302

    def settled():
        rows = list(Delivery.objects.values_list("status", flat=True))
        return len(rows) == 6 and "pending" not in rows

    wait_for(settled, "six settled deliveries")
    assert len(mail.outbox) == 3
    skipped = Delivery.objects.filter(status="skipped", skip_reason="budget_address")
    assert skipped.count() == 3
    assert set(skipped.values_list("body", flat=True)) == {""}


def test_broker_down_the_request_writes_the_outbox_row_itself(db, client, citizen, settings):
    app = password_reset_mail_task.app
    real = app.conf.broker_url
    point_broker_at(app, "redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        assert client.post(RESET, {"email": citizen.email}).status_code == 302
    finally:
        point_broker_at(app, real)
    delivery = Delivery.objects.get()
    assert (delivery.purpose, delivery.status) == ("password_reset", "pending")
    assert mail.outbox == []


def point_broker_at(app, url: str) -> None:
    app.conf.broker_url = url
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def test_unknown_and_inactive_addresses_get_nothing(db, citizen):
    password_reset_mail_write(email="tidak-ada@example.org")
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    password_reset_mail_write(email=citizen.email)
    assert not Delivery.objects.exists()
