"""Fixtures of the national-systems tests: the BPJS and SATUSEHAT simulators on ports of
this branch's range (23100-23199) over real HTTP, a facility linked to both, and the
portal itself in gunicorn for the tests that drive it like Mobile JKN does."""

from __future__ import annotations

import datetime
import threading
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

from binjai_portal.accounts.models import Unit
from dokter.models import (
    BpjsConfig,
    BpjsDoctor,
    BpjsPoli,
    Practitioner,
    SatusehatConfig,
)
from simulators.bpjs import make_server as bpjs_server
from simulators.satusehat import make_server as satusehat_server
from tests import servers
from tests.dokter.factories import FacilityFactory, PoliFactory, ScheduleFactory
from tests.servers import gunicorn_on_test_db

ROOT = Path(__file__).resolve().parents[3]
PORTS = range(23100, 23200)
CONS_ID, SECRET, USER_KEY = "1000", "sim-secret", "sim-user-key"
WS_USER, WS_PASSWORD = "jkn-demo-kota", "rahasia-ws-1"
CLIENT_ID, CLIENT_SECRET, ORG = "ss-client", "ss-secret", "10000004"
NIK, CARD = "1275010101900001", "0001234567890"


def free_port() -> int:
    return servers.free_port(PORTS)  # this worker's share of the range


def _run(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def bpjs_sim(settings):
    server = _run(
        bpjs_server("127.0.0.1", free_port(), cons_id=CONS_ID, secret=SECRET, user_key=USER_KEY)
    )
    settings.BPJS_ANTREAN_URL = f"http://127.0.0.1:{server.server_port}/antreanrs"
    settings.BPJS_TIMEOUT = 2
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def satusehat_sim(settings):
    server = _run(satusehat_server("127.0.0.1", free_port()))
    server.platform.clients[CLIENT_ID] = {"secret": CLIENT_SECRET, "organization": ORG}
    server.platform.patients[NIK] = "P02478375538"
    base = f"http://127.0.0.1:{server.server_port}"
    settings.SATUSEHAT_AUTH_URL = f"{base}/oauth2/v1"
    settings.SATUSEHAT_FHIR_URL = f"{base}/fhir-r4/v1"
    settings.SATUSEHAT_TIMEOUT = 2
    yield server
    server.shutdown()
    server.server_close()


def build_world(clerk, *, quota: int = 20, pharmacy: bool = False, served: bool = False) -> dict:
    """A demo puskesmas linked to BPJS and SATUSEHAT, open every day all day (so that a
    real server on the real clock can book, check in and serve today). `served`: the WS
    password hashed with PBKDF2 for a portal in gunicorn (the tests' own hasher is MD5)."""
    facility = FacilityFactory(unit=Unit.objects.get(code="puskesmas-demo-kota"), cutoff_minutes=0)
    poli = PoliFactory(facility=facility, name="Poli Umum", code="umum", letter="A")
    doctor = Practitioner.objects.create(facility=facility, name="dr. Demo")
    BpjsDoctor.objects.create(practitioner=doctor, kodedokter=12345)
    BpjsPoli.objects.create(poli=poli, kodepoli="UMU")
    schedules = {
        d: ScheduleFactory(
            poli=poli,
            weekday=d,
            start=datetime.time(0, 0),
            end=datetime.time(23, 59),
            practitioner=doctor,
            online_quota=quota,
            onsite_quota=quota,
        )
        for d in range(7)
    }
    apotek = None
    if pharmacy:
        apotek = PoliFactory(
            facility=facility, name="Apotek", code="apotek", letter="F", bookable_online=False
        )
    config = BpjsConfig.objects.create(
        facility=facility,
        acts_as=clerk,
        ws_username=WS_USER,
        ws_password_hash=(
            PBKDF2PasswordHasher().encode(WS_PASSWORD, "jknsalt", iterations=20000)
            if served
            else make_password(WS_PASSWORD)
        ),
        cons_id=CONS_ID,
        secret=SECRET,
        user_key=USER_KEY,
        pharmacy_poli=apotek,
    )
    SatusehatConfig.objects.create(
        facility=facility,
        organization_id=ORG,
        location_id="b017aa54-f1df-4ec2-9d84-8823815d7228",
        practitioner_id="10009880728",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
    )
    return {
        "facility": facility,
        "poli": poli,
        "doctor": doctor,
        "schedules": schedules,
        "config": config,
        "apotek": apotek,
    }


@pytest.fixture
def world(clinic_clerk):
    return build_world(clinic_clerk)


@pytest.fixture
def gunicorn_portal(transactional_db, settings, tmp_path):
    """The portal in gunicorn (2 workers x 16 threads) on the test database."""
    env = {
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "16",
        "RATE_LIMITS_ENABLED": "0",
        "BPJS_ANTREAN_URL": settings.BPJS_ANTREAN_URL,
    }
    with gunicorn_on_test_db(settings, tmp_path, port=free_port(), env=env) as base:
        yield base
