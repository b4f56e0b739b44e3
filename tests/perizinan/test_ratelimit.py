"""The public tracking limiter holds under concurrent guesses from behind the proxy.

A real server (gunicorn, two worker processes of 32 threads, on a port of this branch's
range) and real threads: the old counter read the count, evaluated, then wrote count + 1,
so sixty guesses at once all read "0" and 41 were evaluated with a limit of 20.
"""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from tests import servers
from tests.servers import gunicorn_on_test_db

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(21100, 21200)
ATTACKER, OWNER = "198.51.100.66", "203.0.113.10"
GUESSES = 60
NOT_FOUND = "Permohonan tidak ditemukan"


class Browser:
    """One visitor: its own cookies (CSRF), its own forwarded address."""

    def __init__(self, base: str, forwarded_for: str):
        self.base, self.forwarded_for = base, forwarded_for
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        page = self.request("GET", reverse("perizinan:track"))[1]
        self.csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(
            self.base + path,
            data=body,
            method=method,
            headers={"X-Forwarded-For": self.forwarded_for, "Referer": self.base + path},
        )
        try:
            with self.opener.open(req, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def track(self, number: str, check: str) -> tuple[int, str]:
        return self.request(
            "POST",
            reverse("perizinan:track"),
            {"csrfmiddlewaretoken": self.csrf, "number": number, "check": check},
        )


def free_port() -> int:
    return servers.free_port(PORTS)  # this worker's share of the range


@pytest.fixture
def gunicorn(transactional_db, settings, tmp_path):
    """The portal in gunicorn on the test database, behind "a proxy" at 127.0.0.1."""
    env = {
        "TRUSTED_PROXIES": "127.0.0.1",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "32",
    }
    with gunicorn_on_test_db(settings, tmp_path, port=free_port(), env=env) as base:
        yield base


def test_sixty_concurrent_guesses_behind_the_proxy_evaluate_at_most_the_limit(
    gunicorn,
    settings,
    issued,
):
    limit = int(settings.RATE_LIMITS["permit_track"].split("/")[0])
    right = issued.applicant.phone[-4:]
    wrong = [f"{n:04d}" for n in range(GUESSES + 1) if f"{n:04d}" != right][:GUESSES]
    attackers = [Browser(gunicorn, ATTACKER) for _ in range(GUESSES)]
    barrier = threading.Barrier(GUESSES)
    results: list[tuple[int, str]] = []

    def guess(browser: Browser, check: str) -> None:
        barrier.wait()
        results.append(browser.track(issued.number, check))

    threads = [
        threading.Thread(target=guess, args=(b, c)) for b, c in zip(attackers, wrong, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    evaluated = [page for _status, page in results if NOT_FOUND in page]
    assert len(results) == GUESSES
    assert 0 < len(evaluated) <= limit, f"{len(evaluated)} guesses evaluated, limit {limit}"
    refused = [page for status, page in results if status == 429]
    assert len(refused) == GUESSES - len(evaluated)
    assert all("Terlalu banyak permintaan" in page for page in refused)

    # The attacker, even with the right value now, gets nothing more.
    status, page = attackers[0].track(issued.number, right)
    assert status == 429 and issued.permit_type.name not in page
    # The applicant, from their own (forwarded) address, still gets their answer.
    status, page = Browser(gunicorn, OWNER).track(issued.number, right)
    assert status == 200 and issued.permit_type.name in page and NOT_FOUND not in page
