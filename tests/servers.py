"""Fixtures that start a server of their own (a plugin listed in the root conftest)."""

import subprocess
import time

import pytest
from django.core.cache import caches


@pytest.fixture
def limiter_redis(settings, tmp_path):
    """The limiter's own Redis (a port of this branch's range), to be stopped by the test."""
    import socket

    for port in range(21200, 21300):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                break
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
