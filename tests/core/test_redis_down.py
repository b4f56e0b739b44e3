"""Redis down: every page still answers, and the writes still happen.

A Redis server of this test's own (a free port of its own, never the shared one) is the
cache and the broker; the pages are warmed while it runs, then it is stopped and each
page is asked again, GET and POST, as the persona who uses it. A cache outage means no
cache; a broker outage leaves notifications pending for the periodic task.
"""

from __future__ import annotations

import datetime
import shutil
import socket
import subprocess
import time

import kombu.pools
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from binjai_portal.accounts.models import Unit
from binjai_portal.celery import app as celery_app
from binjai_portal.core.models import Delivery
from dokter.models import Booking
from masyarakat import services as complaint_services
from masyarakat.models import Ticket
from perizinan import services as permit_services
from tests import servers
from tests.dokter.factories import FacilityFactory, PoliFactory, every_day
from tests.masyarakat.factories import category_make
from tests.perizinan import factories as permit_factories

pytestmark = pytest.mark.django_db

PORTS = range(25900, 26000)  # the top of this branch's range: extra servers of tests
NOW = timezone.make_aware(datetime.datetime(2026, 2, 9, 7, 0))  # a working Monday
DAY = datetime.date(2026, 2, 10)


def _free_port() -> int:
    return servers.free_port(PORTS)  # this worker's share of the range


class OwnRedis:
    """A throwaway redis-server on a port of our own; `stop()` stops only this one."""

    def __init__(self, port: int | None = None):
        binary = shutil.which("redis-server")
        if not binary:
            pytest.fail("redis-server is not installed (the fault tests start their own)")
        self.port = port or _free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        pytest.fail(f"own redis-server did not start on {self.port}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _point_broker_at(url: str) -> None:
    celery_app.conf.broker_url = url
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def own_redis(settings):
    """Cache on DB 2 and broker on DB 1 of our own redis-server, as in production."""
    server = OwnRedis()
    real_broker = celery_app.conf.broker_url
    real_eager = celery_app.conf.task_always_eager
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": f"{server.url}/2"}}
    assert "Redis" in settings.CACHES["default"]["BACKEND"], "the test needs the Redis backend"
    settings.REDIS_URL = f"{server.url}/1"
    settings.CELERY_BROKER_URL = f"{server.url}/1"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.task_always_eager = False
    _point_broker_at(f"{server.url}/1")
    yield server
    server.stop()
    celery_app.conf.task_always_eager = real_eager
    _point_broker_at(real_broker)


@pytest.fixture
def clinic(regions):
    with time_machine.travel(NOW):  # ticking: the servers here wait on the wall clock
        yield _clinic()


def _clinic():
    facility = FacilityFactory(unit=Unit.objects.get(code="puskesmas-demo-kota"))
    poli = PoliFactory(facility=facility, name="Poli Umum", code="umum", letter="A")
    schedule = every_day(poli)[DAY.weekday()]
    return facility, poli, schedule


@pytest.fixture
def issued(regions, citizen, permit_verifier, make_staff):
    dinkes = make_staff("petugas_opd", "dinkes", full_name="Rina Dinkes")
    head = make_staff("dpmptsp_kepala", "dpmptsp", full_name="Lestari Kepala")
    app = permit_factories.submitted(permit_factories.practice_type(), citizen)
    permit_services.application_accept(application=app, actor=permit_verifier)
    permit_services.application_recommend(application=app, actor=dinkes, recommendation="OK")
    permit_services.application_decide(application=app, actor=head, approve=True)
    app.refresh_from_db()
    return app


def _ok(response, *codes):
    assert response.status_code < 500, (response.status_code, response.content[:500])
    if codes:
        assert response.status_code in codes, (response.status_code, response.content[:500])
    return response


def _pages(client, *, citizen, leader, wallboard, clinic, issued, category, api_key, round_):
    """Ask every page once; return what each write produced."""
    facility, poli, schedule = clinic
    client.force_login(citizen)
    book_url = reverse("dokter:booking-create", args=[facility.code, poli.code])
    _ok(client.get(book_url), 200)
    r = _ok(
        client.post(
            book_url,
            {
                "patient": f"u{citizen.pk}",
                "session": f"{DAY.isoformat()}_{schedule.pk}",
                "payment": "umum",
                "complaint": "Batuk",
            },
        ),
        302,
    )
    booking = Booking.objects.get(patient_user=citizen)
    assert r.url == booking.get_absolute_url()
    _ok(client.get(r.url), 200)

    client.logout()
    _ok(client.get(reverse("dokter:display", args=[facility.code])), 200)
    _ok(client.get(reverse("dokter:display-board", args=[facility.code])), 200)

    # Open311: read anonymously, post as a logged-in citizen. A report notifies the
    # moderators, so while its limiter (the cache) is down it is refused, in the API's
    # format, and nothing is written (core/ratelimits: writes that send messages fail
    # closed); reads go on.
    _ok(client.get("/api/open311/v2/services.json"), 200)
    _ok(client.get("/api/open311/v2/requests.json"), 200)
    client.force_login(citizen)
    r = client.post(
        "/api/open311/v2/requests.json",
        {
            "api_key": api_key,
            "service_code": category.code,
            "lat": "3.6012",
            "long": "98.4861",
            "description": f"Jalan amblas, putaran {round_}",
        },
    )
    ticket = Ticket.objects.filter(description__contains=f"putaran {round_}").first()
    if round_ == 0:
        assert r.status_code == 201 and ticket is not None
    else:
        assert r.status_code == 503 and r.json()[0]["code"] == 503 and ticket is None

    # Permit tracking: anonymous, number and the phone's last four digits.
    client.logout()
    r = _ok(
        client.post(
            reverse("perizinan:track"),
            {"number": issued.number, "check": issued.applicant.phone[-4:]},
        ),
        200,
    )
    assert issued.permit_type.name in r.content.decode()

    # Command center: open data for everyone, the dashboard for leaders, the wall.
    _ok(client.get(reverse("command_center:open-data")), 200)
    client.force_login(leader)
    _ok(client.get(reverse("command_center:index")), 200)
    client.force_login(wallboard)
    _ok(client.get(reverse("command_center:wall")), 200)
    _ok(client.get(reverse("command_center:wall-panels")), 200)
    client.logout()
    return booking, ticket


def test_every_page_answers_and_writes_with_redis_down(
    client,
    own_redis,
    citizen,
    make_citizen,
    leader,
    make_staff,
    clinic,
    issued,
    django_capture_on_commit_callbacks,
):
    wallboard = make_staff("wallboard", "diskominfo", full_name="Operator Wallboard")
    category = category_make()
    api_key = complaint_services.api_key_issue(name="Aplikasi uji")[1]
    kw = dict(
        citizen=citizen,
        leader=leader,
        wallboard=wallboard,
        clinic=clinic,
        issued=issued,
        category=category,
        api_key=api_key,
    )

    with django_capture_on_commit_callbacks(execute=True):
        _pages(client, round_=0, **kw)  # warm: pools connected, caches filled
    own_redis.stop()
    # One active booking per patient and day: another citizen books in the outage.
    kw["citizen"] = citizen = make_citizen(full_name="Budi Santoso")

    before = set(Delivery.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        booking, ticket = _pages(client, round_=1, **kw)
    assert booking.date == DAY
    assert ticket is None  # the Open311 report was refused, not half-written
    # The booking's e-mail is written and waits for the broker: nothing was lost. An SMS
    # cannot be counted against its budget without Redis, so it is skipped (fail closed)
    # and the notice stays in the inbox.
    new = Delivery.objects.exclude(pk__in=before)
    by_channel = {}
    for channel, status in new.values_list("channel", "status"):
        by_channel.setdefault(channel, set()).add(status)
    assert by_channel.get(Delivery.Channel.EMAIL) == {"pending"}
    assert by_channel.get(Delivery.Channel.SMS, {"skipped"}) == {"skipped"}

    # Liveness answers; readiness depends on the database only.
    r = _ok(client.get("/healthz"), 200)
    r = _ok(client.get("/healthz/live"), 200)
    r = _ok(client.get("/healthz/ready"), 200)
    assert r.json()["status"] == "degraded"
