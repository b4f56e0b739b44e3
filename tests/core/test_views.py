import pytest
from django.urls import reverse

from binjai_portal.core.catalog import SERVICES

pytestmark = pytest.mark.django_db


def test_home_presents_every_service(client):
    page = client.get("/").content.decode()
    for service in SERVICES:
        assert reverse(service.url_name) in page
        assert service.title in page


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.slug)
def test_each_service_has_a_landing_page(client, service):
    response = client.get(reverse(service.url_name))
    if service.slug == "command_center":  # officials only: log in first
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
        return
    assert response.status_code == 200
    assert service.title in response.content.decode()


def test_prefixes_match_the_design():
    assert [reverse(s.url_name) for s in SERVICES] == [
        "/musrenbang/", "/masyarakat/", "/dokter/", "/perizinan/", "/budgeting/",
        "/command-center/"]


def test_language_switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert 'lang="en"' in page


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "<html" in response.content.decode()


def test_healthz_ok_when_every_configured_part_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["parts"]["database"]["status"] == "ok"
    assert body["parts"]["cache"]["status"] == "ok"
    assert body["parts"]["broker"]["status"] in ("ok", "not_configured")


def test_healthz_503_when_redis_is_unreachable(client, settings):
    dead = "redis://127.0.0.1:1/0"
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": dead,
        "OPTIONS": {"socket_connect_timeout": 1}}}
    settings.CELERY_BROKER_URL = dead
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["parts"]["cache"]["status"] == "down"
    assert body["parts"]["broker"]["status"] == "down"
    assert body["parts"]["database"]["status"] == "ok"


def test_healthz_without_broker_says_not_configured_and_passes(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.CELERY_BROKER_URL = "memory://"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["parts"]["broker"]["status"] == "not_configured"


def test_bench_baseline_touches_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/bench/baseline").json() == {"ok": True}


def test_indonesian_first_whatever_the_browser_locale_until_english_is_chosen(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
