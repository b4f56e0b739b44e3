"""Crashes and a slow gateway never send an SMS twice, and never lose one.

Everything is real and killable: a Celery worker subprocess (prefork, as deployed) on a
redis-server of this test's own (started on a free port), the pytest PostgreSQL database,
and the SMS gateway simulator (`python -m simulators.sms`) that keeps the gateway contract
and records a ledger per idempotency key. Leases, timeouts and retry delays are shortened
through the same environment variables production reads.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import kombu.pools
import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from binjai_portal.accounts import roles
from binjai_portal.core.models import Delivery
from binjai_portal.core.notifications import SMS, notify
from binjai_portal.core.tasks import notification_deliver_task
from tests import servers

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LEASE = 4  # seconds a sender holds a delivery (DELIVERY_LEASE_SECONDS)
CLIENT_TIMEOUT = 1  # SMS_GATEWAY_TIMEOUT
WAIT = 40  # seconds before a test gives up on something it waits for


def free_port(start: int = 22100, end: int = 22500) -> int:
    """A free TCP port in this worker's share of [start, end) (this branch's 22000-22999)."""
    return servers.free_port(range(start, end))


def wait_for(predicate, *, timeout: float = WAIT, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def point_broker_at(app, url: str) -> None:
    """Publish to another broker from now on (dropping the pools kept per URL)."""
    app.conf.broker_url = url
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def live_db(transactional_db):
    """Committed rows, which the worker subprocess can see."""
    assert Group.objects.filter(name=roles.WARGA).exists()


@pytest.fixture
def redis_url(tmp_path):
    """A redis-server of our own: killing workers must not disturb anybody's Redis."""
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def answers():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    wait_for(answers, timeout=10, what="redis-server")
    yield f"redis://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


class Simulator:
    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.url = f"{self.base}/v1/messages"

    def _post(self, path: str, data: dict | None = None) -> dict:
        request = urllib.request.Request(
            f"{self.base}{path}", data=json.dumps(data or {}).encode(), method="POST"
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    def control(self, mode: str, *, times: int | None = None, delay: float = 0) -> None:
        self._post("/_control", {"mode": mode, "times": times, "delay": delay})

    def release(self) -> None:
        self._post("/_release")

    def ledger(self) -> dict:
        with urllib.request.urlopen(f"{self.base}/_ledger", timeout=5) as response:
            return json.loads(response.read())

    def messages_to(self, phone: str) -> list[dict]:
        return [m for m in self.ledger()["messages"] if m["to"] == phone]


@pytest.fixture
def simulator():
    port = free_port(22500, 22999)
    process = subprocess.Popen(
        [sys.executable, "-m", "simulators.sms", "--port", str(port), "--token", "uji"],
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    sim = Simulator(port)

    def answers():
        try:
            return sim.ledger() is not None
        except OSError:
            return False

    wait_for(answers, timeout=10, what="the SMS simulator")
    yield sim
    process.terminate()
    process.wait(timeout=10)


class Workers:
    """Starts `celery -A binjai_portal worker` subprocesses on our Redis and test database."""

    def __init__(self, env: dict, logdir: Path):
        self.env, self.logdir, self.started = env, logdir, []

    def start(self) -> subprocess.Popen:
        log = self.logdir / f"worker-{len(self.started)}.log"
        process = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "binjai_portal",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "INFO",
                "-n",
                f"fault-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=PROJECT,
            env=self.env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killpg takes all of it
        )
        process.log = log
        self.started.append(process)
        wait_for(lambda: "ready." in log.read_text(), timeout=WAIT, what="the worker to start")
        return process

    @staticmethod
    def child_pid(process: subprocess.Popen) -> int:
        path = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        children = wait_for(lambda: path.read_text().split(), what="a pool child")
        return int(children[0])

    def kill_all(self, process: subprocess.Popen) -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)

    def stop(self) -> None:
        for process in self.started:
            if process.poll() is None:
                self.kill_all(process)


@pytest.fixture
def workers(live_db, redis_url, simulator, tmp_path):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CONN_MAX_AGE": "0",
        "REDIS_URL": f"{redis_url}/0",
        "CACHE_URL": f"{redis_url}/1",
        "SMS_BACKEND": "binjai_portal.core.sms.HttpGatewaySmsBackend",
        "SMS_GATEWAY_URL": simulator.url,
        "SMS_GATEWAY_TOKEN": "uji",
        "SMS_GATEWAY_TIMEOUT": str(CLIENT_TIMEOUT),
        "DELIVERY_LEASE_SECONDS": str(LEASE),
        "DELIVERY_RETRY_BASE_SECONDS": "1",
    }
    # This process (the "web" side) publishes to the workers' Redis.
    app = notification_deliver_task.app
    real_broker = app.conf.broker_url
    point_broker_at(app, f"{redis_url}/0")
    pool = Workers(env, tmp_path)
    yield pool
    pool.stop()
    point_broker_at(app, real_broker)


@pytest.fixture
def verified_citizen(citizen):
    citizen.phone_verified_at = timezone.now()
    citizen.save(update_fields=["phone_verified_at"])
    return citizen


def send_sms(user) -> Delivery:
    return notify(recipient=user, title="Antrean Anda dipanggil", channels=(SMS,)).deliveries.get()


def status_of(delivery: Delivery) -> str:
    return Delivery.objects.values_list("status", flat=True).get(pk=delivery.pk)


def assert_sent_once(simulator: Simulator, delivery: Delivery, phone: str) -> dict:
    """Sent, and in the gateway's ledger exactly once, under the delivery's own key."""
    wait_for(lambda: status_of(delivery) == Delivery.Status.SENT, what="the delivery to be sent")
    delivery.refresh_from_db()
    [message] = simulator.messages_to(phone)
    assert message["key"] == str(delivery.idempotency_key)
    assert message["reference"] == str(delivery.idempotency_key)
    assert (delivery.claimed_until, delivery.claim_token) == (None, None)
    return message


def hold_first_send(simulator, workers, user):
    """Start a worker and a send that the gateway holds open; return both."""
    worker = workers.start()
    simulator.control("hold", delay=WAIT)
    delivery = send_sms(user)
    wait_for(lambda: simulator.messages_to(user.phone), what="the send to reach the gateway")
    # The sender holds a lease, not a database transaction: the row is not locked.
    with transaction.atomic():
        row = Delivery.objects.select_for_update(nowait=True).get(pk=delivery.pk)
    assert row.status == Delivery.Status.PENDING and row.claimed_until is not None
    return worker, delivery


def test_worker_child_killed_mid_send_sends_once(workers, simulator, verified_citizen):
    worker, delivery = hold_first_send(simulator, workers, verified_citizen)

    os.kill(workers.child_pid(worker), signal.SIGKILL)
    # The message comes straight back to a new child (acks_late, reject on worker lost),
    # which finds the lease and waits for it: nothing is sent while the first attempt
    # may still be on its way.
    time.sleep(1)
    [message] = simulator.messages_to(verified_citizen.phone)
    assert message["requests"] == 1
    simulator.control("ok")
    simulator.release()

    message = assert_sent_once(simulator, delivery, verified_citizen.phone)
    assert message["requests"] == 2  # the killed attempt and the retry after the lease
    assert message["overlaps"] == 0  # never two attempts at once
    assert delivery.attempts == 2


def test_whole_worker_killed_mid_send_the_next_worker_sends_once(
    workers, simulator, verified_citizen
):
    worker, delivery = hold_first_send(simulator, workers, verified_citizen)

    workers.kill_all(worker)  # main process and child: no beat, nobody left
    simulator.control("ok")
    simulator.release()
    time.sleep(1)
    assert status_of(delivery) == Delivery.Status.PENDING
    workers.start()  # its startup sweep finds the delivery and retries after the lease

    message = assert_sent_once(simulator, delivery, verified_citizen.phone)
    assert message["requests"] == 2
    assert message["overlaps"] == 0


def test_gateway_slower_than_the_client_timeout_sends_once(workers, simulator, verified_citizen):
    workers.start()
    simulator.control("slow", times=1, delay=CLIENT_TIMEOUT + 1.5)
    delivery = send_sms(verified_citizen)

    message = assert_sent_once(simulator, delivery, verified_citizen.phone)
    # The first request timed out on our side although the gateway had the message; the
    # retry carried the same key, so the gateway answered with the original result.
    assert message["requests"] == 2
    assert delivery.attempts == 2
    assert delivery.last_error == ""


def test_gateway_that_drops_the_connection_or_fails_after_taking_the_message(
    workers, simulator, verified_citizen, make_citizen
):
    workers.start()
    simulator.control("drop", times=1)
    dropped = send_sms(verified_citizen)
    assert_sent_once(simulator, dropped, verified_citizen.phone)

    other = make_citizen()
    other.phone_verified_at = timezone.now()
    other.save(update_fields=["phone_verified_at"])
    simulator.control("repeat", times=2)
    repeated = send_sms(other)
    message = assert_sent_once(simulator, repeated, other.phone)
    assert message["requests"] == 3
