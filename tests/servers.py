"""Fixtures that start a server of their own (a plugin listed in the root conftest)."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


# PARALLEL RUNS (pytest-xdist): each worker takes its own share of a port range


def worker_index() -> int:
    """0 for gw0 (and for a run without workers), 1 for gw1, ..."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def worker_ports(ports: range) -> range:
    """This worker's slice of `ports`: workers of one run never race for the same port
    (a port found free is bound only later, by the server the test starts)."""
    count = max(1, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
    size = len(ports) // count
    if size < 1:
        raise RuntimeError(f"{ports} is too small for {count} workers")
    start = ports.start + worker_index() * size
    return range(start, start + size)


def free_port(ports: range) -> int:
    """The first port of this worker's slice of `ports` that nothing listens on."""
    import socket

    for port in worker_ports(ports):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {worker_ports(ports)}")


@contextmanager
def gunicorn_on_test_db(settings, tmp_path, *, port: int, env: dict):
    """The portal in gunicorn (binjai_portal/gunicorn.conf.py) on the test database and
    cache, on `port`, with `env` on top; yields its base URL and stops it afterwards.
    For tests that need real worker processes (concurrency, the proxy in front)."""
    db = settings.DATABASES["default"]
    full_env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/"
        f"{connection.settings_dict['NAME']}",
        "CACHE_URL": settings.CACHES["default"]["LOCATION"],
        "DEBUG": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        **env,
    }
    log = (tmp_path / "gunicorn.log").open("wb")
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "binjai_portal.wsgi:application",
            "-c",
            "binjai_portal/gunicorn.conf.py",
        ],
        cwd=ROOT,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).close()  # noqa: S310
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "gunicorn.log").read_text()) from None
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()


@pytest.fixture
def limiter_redis(settings, tmp_path):
    """The limiter's own Redis (a port of this branch's range), to be stopped by the test."""
    import socket

    port = free_port(range(21200, 21300))
    proc = subprocess.Popen(
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
    deadline = time.monotonic() + 10
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("redis-server did not start")
        time.sleep(0.05)
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    settings.RATELIMIT_USE_CACHE = "ratelimit"

    def stop():
        proc.terminate()
        proc.wait(timeout=10)
        caches["ratelimit"].close()

    yield stop
    if proc.poll() is None:
        stop()
