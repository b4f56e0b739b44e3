"""Notifications: written with the change that causes them, delivered once by Celery.

Real parts throughout: PostgreSQL, Redis as broker and result backend, a Celery worker
thread, an SMTP server (aiosmtpd) on a free local port. Only the outside world is
stood in for: an SMS gateway (a local HTTP server, or a small backend class below).
"""

from __future__ import annotations

import datetime
import email
import email.policy
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import kombu.pools
import pytest
from celery.signals import after_task_publish
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from binjai_portal.accounts import roles
from binjai_portal.core.models import Delivery, Notification
from binjai_portal.core.notifications import (
    EMAIL,
    MAX_ATTEMPTS,
    SMS,
    SMS_MAX_CHARS,
    DeliveryFailed,
    delivery_send,
    notify,
    pending_delivery_ids,
)
from binjai_portal.core.sms import BaseSmsBackend, HttpGatewaySmsBackend, LogSmsBackend, SmsError
from binjai_portal.core.tasks import notification_deliver_pending_task, notification_deliver_task
from tests.workers import real_worker_config

WAIT = 20  # seconds a test waits for the worker before it fails
DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused


@pytest.fixture
def citizen(citizen):
    """The persona, with the phone number verified: only such numbers receive SMS."""
    citizen.phone_verified_at = timezone.now()
    citizen.save(update_fields=["phone_verified_at"])
    return citizen


# CELERY: a real worker thread on the real Redis


@pytest.fixture(scope="session")
def celery_config():
    return real_worker_config("notifications")


@pytest.fixture
def live_db(transactional_db):
    """Committed transactions, which another thread's connection can see.

    The flush after every such test empties what the data migrations wrote; the
    post_migrate hook that flush sends puts the role groups back (accounts.roles_sync).
    """
    assert Group.objects.filter(name=roles.WARGA).exists()


@pytest.fixture
def worker(live_db, celery_app, celery_worker):
    """A Celery worker thread consuming from Redis; it has its own DB connection."""
    # The shared tasks resolve to the test app, so notify() publishes where it listens.
    assert notification_deliver_task.app is celery_app
    return celery_worker


@pytest.fixture
def published():
    """Notification task messages the broker accepted, in order."""
    messages = []

    def record(sender=None, headers=None, body=None, **kwargs):
        if sender in (notification_deliver_task.name, notification_deliver_pending_task.name):
            messages.append({"task": sender, "id": headers["id"], "args": list(body[0])})

    after_task_publish.connect(record, weak=False)
    yield messages
    after_task_publish.disconnect(record)


def point_broker_at(app, url: str) -> None:
    """Publish to another broker from now on.

    The app keeps its connection and producer pools (kombu keeps them per URL), so a
    changed URL only takes effect once they are dropped.
    """
    app.conf.broker_url = url
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


# THE OUTSIDE WORLD: SMTP server, SMS gateway


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free port; yields the messages it received."""
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            received.append(message)
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    yield received
    controller.stop()


@pytest.fixture
def sms_log(settings, monkeypatch):
    """The development SMS backend; yields what it 'sent'."""
    settings.SMS_BACKEND = "binjai_portal.core.sms.LogSmsBackend"
    monkeypatch.setattr(LogSmsBackend, "sent", [])
    return LogSmsBackend.sent


class FlakySmsBackend(BaseSmsBackend):
    """A gateway that fails the first `failures` sends, then delivers."""

    failures = 1
    calls = 0
    sent: list[dict] = []

    def send(self, *, to: str, text: str, reference: str) -> None:
        FlakySmsBackend.calls += 1
        if FlakySmsBackend.calls <= FlakySmsBackend.failures:
            raise SmsError("gateway timeout")
        FlakySmsBackend.sent.append({"to": to, "reference": reference})


@pytest.fixture
def flaky_sms(settings, monkeypatch):
    settings.SMS_BACKEND = f"{__name__}.FlakySmsBackend"
    monkeypatch.setattr(FlakySmsBackend, "failures", 1)
    monkeypatch.setattr(FlakySmsBackend, "calls", 0)
    monkeypatch.setattr(FlakySmsBackend, "sent", [])
    return FlakySmsBackend


class GatedSmsBackend(BaseSmsBackend):
    """Holds a send open (and so the delivery's row lock) until the test releases it."""

    entered = threading.Event()
    release = threading.Event()
    sent: list[dict] = []

    def send(self, *, to: str, text: str, reference: str) -> None:
        GatedSmsBackend.entered.set()
        if not GatedSmsBackend.release.wait(timeout=WAIT):
            raise SmsError("test never released the send")
        GatedSmsBackend.sent.append({"to": to, "reference": reference})


@pytest.fixture
def gated_sms(settings, monkeypatch):
    settings.SMS_BACKEND = f"{__name__}.GatedSmsBackend"
    monkeypatch.setattr(GatedSmsBackend, "entered", threading.Event())
    monkeypatch.setattr(GatedSmsBackend, "release", threading.Event())
    monkeypatch.setattr(GatedSmsBackend, "sent", [])
    return GatedSmsBackend


@pytest.fixture
def gateway(settings):
    """A local HTTP server standing in for the SMS gateway; records what it was sent."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(
                {
                    "path": self.path,
                    "authorization": self.headers.get("Authorization"),
                    "content_type": self.headers.get("Content-Type"),
                    "idempotency_key": self.headers.get("Idempotency-Key"),
                    "json": json.loads(body),
                }
            )
            self.send_response(server.answer_status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"status": "queued"}')

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.answer_status = 200
    server.received = received
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "binjai_portal.core.sms.HttpGatewaySmsBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/v1/messages"
    settings.SMS_GATEWAY_TOKEN = "token-uji-123"
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


# NOTIFY AND DELIVER


def test_notification_follows_its_transaction_and_a_worker_delivers_it(
    worker, celery_app, citizen, smtp, sms_log, published, settings
):
    settings.SITE_URL = "https://smartcity.binjaikota.go.id/"
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipient=citizen, title="Usulan Anda ditolak", channels=(EMAIL, SMS))
        raise RuntimeError("the change that caused it failed")

    assert not Notification.objects.filter(recipient=citizen).exists()
    assert not Delivery.objects.exists()
    assert published == []

    notification = notify(
        recipient=citizen,
        title="Usulan Anda diverifikasi",
        body="Usulan jalan lingkungan.",
        url="/musrenbang/",
        channels=(EMAIL, SMS),
    )

    deliveries = {d.channel: d for d in notification.deliveries.all()}
    assert {c: d.address for c, d in deliveries.items()} == {
        EMAIL: citizen.email,
        SMS: citizen.phone,
    }
    assert sorted(m["args"] for m in published) == sorted([d.pk] for d in deliveries.values())
    results = [celery_app.AsyncResult(m["id"]).get(timeout=WAIT) for m in published]
    assert results == ["sent", "sent"]

    link = "https://smartcity.binjaikota.go.id/musrenbang/"
    assert len(smtp) == 1
    message = smtp[0]
    assert message["To"] == citizen.email
    assert message["Subject"] == f"[{django_settings.SITE_NAME}] Usulan Anda diverifikasi"
    assert message.get_content().splitlines() == ["Usulan jalan lingkungan.", "", link]
    assert sms_log == [
        {
            "to": citizen.phone,
            "text": f"Usulan Anda diverifikasi. Usulan jalan lingkungan.\n{link}",
            "reference": str(deliveries[SMS].idempotency_key),
        }
    ]
    for delivery in deliveries.values():
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 1)
        assert delivery.sent_at is not None


def test_broker_outage_delays_a_notification_but_loses_none(
    worker, celery_app, citizen, smtp, published
):
    real_broker = celery_app.conf.broker_url
    point_broker_at(celery_app, DEAD_BROKER)
    try:
        started = time.monotonic()
        notification = notify(recipient=citizen, title="Izin Anda terbit", url="/perizinan/")
        elapsed = time.monotonic() - started
    finally:
        point_broker_at(celery_app, real_broker)

    assert elapsed < 2, f"a dead broker held the request up for {elapsed:.1f} s"
    assert published == []
    delivery = notification.deliveries.get()
    assert (delivery.channel, delivery.status, delivery.attempts) == (
        EMAIL,
        Delivery.Status.PENDING,
        0,
    )
    assert smtp == []

    # The broker is back: the periodic task finds the pending delivery.
    assert notification_deliver_pending_task.delay(older_than_seconds=0).get(timeout=WAIT) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 1)
    assert [m["Subject"] for m in smtp] == [f"[{django_settings.SITE_NAME}] Izin Anda terbit"]

    assert notification_deliver_pending_task.delay(older_than_seconds=0).get(timeout=WAIT) == 0
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert len(smtp) == 1


def test_periodic_task_leaves_fresh_deliveries_to_their_own_task(db, citizen):
    delivery = notify(recipient=citizen, title="Antrean Anda dipanggil").deliveries.get()
    assert delivery.pk not in pending_delivery_ids(older_than_seconds=30)
    assert delivery.pk in pending_delivery_ids(older_than_seconds=0)


def test_a_long_sms_is_cut_but_keeps_its_link(db, citizen, sms_log, settings):
    settings.SITE_URL = "https://smartcity.binjaikota.go.id"
    delivery = notify(
        recipient=citizen,
        title="Usulan diverifikasi",
        body="Rincian. " * 200,
        url="/musrenbang/",
        channels=(SMS,),
    ).deliveries.get()

    assert delivery_send(delivery_id=delivery.pk) == Delivery.Status.SENT

    [sms] = sms_log
    assert len(sms["text"]) == SMS_MAX_CHARS
    assert sms["text"].startswith("Usulan diverifikasi. Rincian. Rincian.")
    assert sms["text"].endswith("\nhttps://smartcity.binjaikota.go.id/musrenbang/")


# RETRIES NEVER SEND TWICE


def test_a_retried_delivery_sends_once(db, citizen, flaky_sms):
    delivery = notify(
        recipient=citizen, title="Pengaduan Anda dijawab", channels=(SMS,)
    ).deliveries.get()

    with pytest.raises(DeliveryFailed):
        delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert delivery.last_error == "SmsError: gateway timeout"
    assert flaky_sms.sent == []

    assert delivery_send(delivery_id=delivery.pk) == Delivery.Status.SENT
    assert delivery_send(delivery_id=delivery.pk) == Delivery.Status.SENT  # a duplicate task
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)
    assert flaky_sms.calls == 2
    assert flaky_sms.sent == [{"to": citizen.phone, "reference": str(delivery.idempotency_key)}]


def test_the_delivery_task_retries_and_duplicates_send_once(
    worker, celery_app, citizen, flaky_sms, published, settings
):
    # The retry goes back through Redis to the worker as in production, after 1 s
    # instead of the default 30 s backoff.
    settings.DELIVERY_RETRY_BASE_SECONDS = 1
    notification = notify(recipient=citizen, title="Pengaduan Anda dijawab", channels=(SMS,))
    delivery = notification.deliveries.get()

    assert celery_app.AsyncResult(published[0]["id"]).get(timeout=WAIT) == "sent"
    assert [m["id"] for m in published] == [published[0]["id"]] * 2  # the task and its retry
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)
    # Redelivered messages (acks_late) and the periodic task find it sent.
    duplicates = [notification_deliver_task.delay(delivery.pk) for _ in range(2)]
    assert [r.get(timeout=WAIT) for r in duplicates] == ["sent", "sent"]
    assert notification_deliver_pending_task.delay(older_than_seconds=0).get(timeout=WAIT) == 0
    assert flaky_sms.sent == [{"to": citizen.phone, "reference": str(delivery.idempotency_key)}]


def test_concurrent_sends_of_one_delivery_send_once(
    live_db, celery_app, depends_on_current_app, citizen, gated_sms
):
    delivery = notify(recipient=citizen, title="Jadwal dokter", channels=(SMS,)).deliveries.get()
    outcome = {}

    def first_worker():
        try:
            outcome["first"] = delivery_send(delivery_id=delivery.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=first_worker)
    thread.start()
    try:
        assert gated_sms.entered.wait(timeout=WAIT), "the first send never started"
        started = time.monotonic()
        # The row is locked by the send in progress: skipped, not waited for.
        assert delivery_send(delivery_id=delivery.pk) == "locked"
        assert time.monotonic() - started < 2
    finally:
        gated_sms.release.set()
        thread.join(timeout=WAIT)

    assert outcome == {"first": Delivery.Status.SENT}
    assert delivery_send(delivery_id=delivery.pk) == Delivery.Status.SENT
    assert gated_sms.sent == [{"to": citizen.phone, "reference": str(delivery.idempotency_key)}]


def test_a_delivery_fails_for_good_after_max_attempts(db, citizen, flaky_sms):
    flaky_sms.failures = 100
    delivery = notify(
        recipient=citizen, title="Tagihan retribusi", channels=(SMS,)
    ).deliveries.get()

    delays = []
    for _ in range(MAX_ATTEMPTS - 1):
        with pytest.raises(DeliveryFailed):
            delivery_send(delivery_id=delivery.pk)
        # Backing off: the periodic sweep leaves it alone until its next attempt is due.
        assert delivery.pk not in pending_delivery_ids()
        delivery.refresh_from_db()
        delays.append(delivery.next_attempt_at - timezone.now())
        Delivery.objects.filter(pk=delivery.pk).update(
            next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        assert delivery.pk in pending_delivery_ids()
    assert delays == sorted(delays) and delays[-1] > delays[0]  # exponential backoff
    assert delivery_send(delivery_id=delivery.pk) == Delivery.Status.FAILED

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, MAX_ATTEMPTS)
    assert delivery.last_error == "SmsError: gateway timeout"
    assert delivery.pk not in pending_delivery_ids()
    assert delivery_send(delivery_id=delivery.pk) == Delivery.Status.FAILED
    assert flaky_sms.calls == MAX_ATTEMPTS
    assert flaky_sms.sent == []


# SMS GATEWAY


def test_gateway_backend_posts_json_with_token_and_idempotency_key(gateway):
    HttpGatewaySmsBackend().send(to="+6281299000001", text="Antrean A-12", reference="delivery-7")

    assert gateway.received == [
        {
            "path": "/v1/messages",
            "authorization": "Bearer token-uji-123",
            "content_type": "application/json",
            "idempotency_key": "delivery-7",
            "json": {"to": "+6281299000001", "text": "Antrean A-12", "reference": "delivery-7"},
        }
    ]


def test_gateway_error_answer_raises_sms_error(gateway):
    gateway.answer_status = 500
    with pytest.raises(SmsError, match="500"):
        HttpGatewaySmsBackend().send(to="+6281299000001", text="Halo", reference="delivery-8")
    assert len(gateway.received) == 1


def test_gateway_failure_leaves_the_delivery_pending_with_the_same_key(db, citizen, gateway):
    delivery = notify(recipient=citizen, title="Izin terbit", channels=(SMS,)).deliveries.get()
    gateway.answer_status = 503
    with pytest.raises(DeliveryFailed):
        delivery_send(delivery_id=delivery.pk)
    gateway.answer_status = 200
    assert delivery_send(delivery_id=delivery.pk) == Delivery.Status.SENT

    # Both attempts carry the same key, so a gateway that did send the first drops the second.
    assert [r["idempotency_key"] for r in gateway.received] == [str(delivery.idempotency_key)] * 2
    assert gateway.received[1]["json"]["to"] == citizen.phone
    assert gateway.received[1]["json"]["text"] == "Izin terbit"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)


# INBOX


@pytest.fixture
def inbox_of(client, db):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_inbox_lists_own_notifications_and_counts_unread(inbox_of, citizen, make_citizen):
    other = make_citizen()
    for title in ("Usulan diterima", "Antrean dipanggil", "Izin terbit"):
        notify(recipient=citizen, title=title, channels=())
    notify(recipient=other, title="Pengaduan orang lain", channels=())

    response = inbox_of(citizen).get(reverse("core:inbox"))

    assert response.status_code == 200
    assert response.context["unread_notifications"] == 3
    page = response.content.decode()
    for title in ("Usulan diterima", "Antrean dipanggil", "Izin terbit"):
        assert title in page
    assert "Pengaduan orang lain" not in page
    assert page.count("Belum dibaca") == 3
    assert reverse("core:inbox-mark-all-read") in page


def test_inbox_empty_state(inbox_of, citizen):
    response = inbox_of(citizen).get(reverse("core:inbox"))
    assert response.context["unread_notifications"] == 0
    assert "Belum ada notifikasi." in response.content.decode()


def test_inbox_needs_login(client, db):
    response = client.get(reverse("core:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_mark_one_read(inbox_of, citizen):
    first = notify(recipient=citizen, title="Satu", channels=())
    second = notify(recipient=citizen, title="Dua", channels=())
    client = inbox_of(citizen)

    response = client.post(reverse("core:inbox-mark-read", args=[first.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("core:inbox")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    assert client.get(reverse("core:inbox")).context["unread_notifications"] == 1


def test_mark_read_opens_the_notification_link_but_never_another_site(inbox_of, citizen):
    local = notify(recipient=citizen, title="Lihat usulan", url="/musrenbang/", channels=())
    foreign = notify(recipient=citizen, title="Aneh", url="https://evil.example/", channels=())
    client = inbox_of(citizen)

    assert client.post(reverse("core:inbox-mark-read", args=[local.pk]))["Location"] == (
        "/musrenbang/"
    )
    assert client.post(reverse("core:inbox-mark-read", args=[foreign.pk]))["Location"] == (
        reverse("core:inbox")
    )


def test_marking_another_users_notification_is_404_and_changes_nothing(
    inbox_of, citizen, make_citizen
):
    others = notify(recipient=make_citizen(), title="Milik orang lain", channels=())

    response = inbox_of(citizen).post(reverse("core:inbox-mark-read", args=[others.pk]))

    assert response.status_code == 404
    others.refresh_from_db()
    assert others.read_at is None


def test_mark_all_read_marks_only_mine(inbox_of, citizen, make_citizen):
    for title in ("Satu", "Dua", "Tiga"):
        notify(recipient=citizen, title=title, channels=())
    others = notify(recipient=make_citizen(), title="Milik orang lain", channels=())
    client = inbox_of(citizen)

    response = client.post(reverse("core:inbox-mark-all-read"))

    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=citizen, read_at__isnull=True).exists()
    others.refresh_from_db()
    assert others.read_at is None
    page = client.get(reverse("core:inbox"))
    assert page.context["unread_notifications"] == 0
    assert "Belum dibaca" not in page.content.decode()


@pytest.mark.parametrize("name", ["core:inbox-mark-all-read", "core:inbox-mark-read"])
def test_marking_read_only_by_post(inbox_of, citizen, name):
    notification = notify(recipient=citizen, title="Satu", channels=())
    args = [notification.pk] if name == "core:inbox-mark-read" else []

    assert inbox_of(citizen).get(reverse(name, args=args)).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("count", [5, 50])
def test_inbox_queries_do_not_grow_with_notifications(
    inbox_of, citizen, count, django_assert_max_num_queries
):
    for i in range(count):
        notify(recipient=citizen, title=f"Pemberitahuan {i}", channels=())
    client = inbox_of(citizen)

    with django_assert_max_num_queries(5):
        response = client.get(reverse("core:inbox"))

    assert response.context["unread_notifications"] == count
    assert len(response.context["page"].object_list) == min(count, 20)


def test_inbox_pages(inbox_of, citizen):
    for i in range(45):
        notify(recipient=citizen, title=f"Pemberitahuan {i:02d}", channels=())
    client = inbox_of(citizen)

    first = client.get(reverse("core:inbox")).content.decode()
    last = client.get(reverse("core:inbox"), {"page": 3}).content.decode()

    assert "Pemberitahuan 44" in first and "Pemberitahuan 24" not in first
    assert "?page=2" in first
    assert "Pemberitahuan 04" in last and "Pemberitahuan 05" not in last
    assert "?page=2" in last and "?page=4" not in last
