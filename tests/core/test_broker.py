"""Tasks are queued through core/broker.py, which never fails the request."""

import re
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.conf import settings

from binjai_portal.core.broker import enqueue, enqueue_many

DEAD = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused
ROOT = Path(settings.BASE_DIR)
CODE = [
    p
    for d in (
        "binjai_portal",
        "musrenbang",
        "masyarakat",
        "dokter",
        "perizinan",
        "budgeting",
        "command_center",
    )
    for p in (ROOT / d).rglob("*.py")
    if "migrations" not in p.parts
]
QUEUEING = re.compile(r"\.(delay|apply_async|send_task)\(")


def _app(broker: str, queue: str = "celery") -> tuple[Celery, object]:
    app = Celery(f"t-{uuid.uuid4().hex[:8]}", broker=broker, set_as_current=False)
    app.conf.broker_connection_timeout = 2
    app.conf.broker_transport_options = {"socket_connect_timeout": 2}
    app.conf.task_default_queue = queue

    @app.task(name="tests.noop")
    def noop(x):
        return x

    return app, noop


def test_every_queueing_call_goes_through_the_safe_helper():
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in CODE
        if p.name != "broker.py"
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if QUEUEING.search(line)
    ]
    assert offenders == [], "queue tasks with binjai_portal.core.broker.enqueue: " + ", ".join(
        offenders
    )


def test_a_dead_broker_returns_false_at_once():
    app, noop = _app(DEAD)
    started = time.monotonic()
    assert enqueue(noop, 1) is False
    assert enqueue_many(noop, [(1,), (2,)]) is False
    assert time.monotonic() - started < 3


def test_a_live_broker_takes_every_call():
    queue = f"test-broker-{uuid.uuid4().hex[:12]}"
    app, noop = _app(settings.CELERY_BROKER_URL, queue)
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        assert enqueue_many(noop, [(1,), (2,), (3,)]) is True
        assert client.llen(queue) == 3
    finally:
        client.delete(queue)


@pytest.mark.parametrize("calls", [[], ()])
def test_nothing_to_queue_is_fine(calls):
    app, noop = _app(DEAD)
    assert enqueue_many(noop, calls) is True
