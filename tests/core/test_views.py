import pytest
from django.urls import reverse

from binjai_portal.core.catalog import SERVICES

pytestmark = pytest.mark.django_db


def test_home_presents_every_service(client):
    page = client.get("/").content.decode()
    for service in SERVICES:
        assert reverse(service.url_name) in page
        assert str(service.title) in page


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.slug)
def test_each_service_has_a_landing_page(client, service):
    response = client.get(reverse(service.url_name))
    if service.slug == "command_center":  # officials only: log in first
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
        return
    assert response.status_code == 200
    assert str(service.title) in response.content.decode()


def test_prefixes_match_the_design():
    assert [reverse(s.url_name) for s in SERVICES] == [
        "/musrenbang/",
        "/masyarakat/",
        "/dokter/",
        "/perizinan/",
        "/budgeting/",
        "/command-center/",
    ]


def test_language_switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert 'lang="en"' in page


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "<html" in response.content.decode()


def test_healthz_is_liveness_and_checks_nothing(client, settings, django_assert_num_queries):
    dead = "redis://127.0.0.1:1/0"
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": dead}}
    settings.CELERY_BROKER_URL = dead
    with django_assert_num_queries(0):
        for url in ("/healthz", "/healthz/live"):
            response = client.get(url)
            assert response.status_code == 200
            assert response.json() == {"status": "ok"}


def test_readiness_tells_anonymous_callers_only_the_status_word(client):
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_details_for_the_token_and_for_staff(client, settings, make_citizen):
    settings.HEALTHZ_TOKEN = "rahasia-pemantauan"
    assert "parts" not in client.get("/healthz/ready", HTTP_X_HEALTHZ_TOKEN="salah").json()
    body = client.get("/healthz/ready", HTTP_X_HEALTHZ_TOKEN="rahasia-pemantauan").json()
    assert body["status"] == "ok"
    assert body["parts"]["database"]["status"] == "ok"
    assert body["parts"]["cache"]["status"] == "ok"
    assert body["parts"]["broker"]["status"] in ("ok", "not_configured")
    staff = make_citizen()
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/healthz/ready").json()["parts"]["database"]["status"] == "ok"


def test_readiness_survives_cache_and_broker_outage_as_degraded(client, settings):
    dead = "redis://127.0.0.1:1/0"
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": dead}}
    settings.CELERY_BROKER_URL = dead
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.HEALTHZ_TOKEN = "rahasia-pemantauan"
    response = client.get("/healthz/ready", HTTP_X_HEALTHZ_TOKEN="rahasia-pemantauan")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["parts"]["cache"]["status"] == "down"
    assert body["parts"]["broker"]["status"] == "down"
    assert body["parts"]["database"]["status"] == "ok"
    assert client.get("/healthz/ready").json() == {"status": "degraded"}


@pytest.mark.django_db(transaction=True)
def test_readiness_503_without_the_database_while_liveness_answers(client):
    from django.db import connection

    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens there: connection refused
    try:
        ready = client.get("/healthz/ready")
        live = client.get("/healthz")
    finally:
        connection.settings_dict["PORT"] = port
        connection.close()
    assert ready.status_code == 503 and ready.json() == {"status": "down"}
    assert live.status_code == 200


def test_readiness_without_broker_says_not_configured_and_passes(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.CELERY_BROKER_URL = "memory://"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.HEALTHZ_TOKEN = "t"
    response = client.get("/healthz/ready", HTTP_X_HEALTHZ_TOKEN="t")
    assert response.status_code == 200
    assert response.json()["parts"]["broker"]["status"] == "not_configured"


def test_bench_baseline_touches_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/bench/baseline").json() == {"ok": True}


def test_bench_baseline_is_404_without_the_test_switch(client, settings):
    settings.ENABLE_TEST_ENDPOINTS = False
    assert client.get("/bench/baseline").status_code == 404


def test_indonesian_first_whatever_the_browser_locale_until_english_is_chosen(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="id").content.decode()


def test_language_cookie_is_secure_httponly_and_lax(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies["django_language"]
    assert cookie["secure"] is True and cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_every_page_carries_the_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def test_debug_is_off_unless_asked_for(settings):
    import subprocess
    import sys

    root = settings.BASE_DIR
    env = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 60, "PYTHONPATH": "."}
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.ENABLE_TEST_ENDPOINTS)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=root,
        env={**env, "DJANGO_SETTINGS_MODULE": "binjai_portal.settings"},
    )
    assert out.stdout.split() == ["False", "False"], out.stderr
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=root,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": ".",
            "DJANGO_SETTINGS_MODULE": "binjai_portal.settings",
        },
    )
    assert out.returncode != 0 and "SECRET_KEY must be set" in out.stderr
