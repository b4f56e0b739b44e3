"""Production settings pass Django's deployment checklist (`check --deploy`)."""

import secrets
import subprocess
import sys

from django.conf import settings


def test_check_deploy_with_production_settings_finds_nothing():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "binjai_portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "smartcity.binjaikota.go.id",
    }
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env=env,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    # Nothing silenced: the lockout is per account *and* address, so axes.W006 is satisfied.
    assert "System check identified no issues (0 silenced)." in out.stdout


def test_check_deploy_refuses_the_fake_bank_gateway():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "binjai_portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "smartcity.binjaikota.go.id",
        "PERIZINAN_PAYMENT_GATEWAY": "perizinan.payments.FakeBankGateway",
    }
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env=env,
    )
    assert out.returncode != 0 and "perizinan.E001" in out.stderr
