"""Links in e-mail, SMS and the certificate QR come from SITE_URL, which `make run` sets
from its own host and port."""

import subprocess
from pathlib import Path

import pytest

from perizinan.certificate import verification_url

ROOT = Path(__file__).resolve().parents[2]


def dry_run(*args: str) -> str:
    return subprocess.run(
        ["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def test_make_run_sets_site_url_from_its_host_and_port():
    assert "SITE_URL=http://127.0.0.1:8101 " in dry_run("PORT=8101")
    assert "SITE_URL=http://0.0.0.0:8000 " in dry_run("HOST=0.0.0.0")


def test_an_explicit_site_url_wins():
    assert "SITE_URL=https://portal.example " in dry_run("SITE_URL=https://portal.example")


@pytest.mark.django_db
def test_the_certificate_qr_points_to_site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8101/"
    assert verification_url("abc").startswith("http://127.0.0.1:8101/perizinan/")
