"""The anonymous page cache (binjai_portal/core/pagecache.py): what it serves to whom,
that it never hands one visitor's data or CSRF token to another, and that a cache
outage means no cache, not an error."""

import re

import pytest
from django import forms
from django.db import transaction
from django.test import Client
from django.urls import reverse

from binjai_portal.core import pagecache
from binjai_portal.core.widgets import FastSelect

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_home_is_served_from_the_cache_to_anonymous_visitors(client, regions):
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert "Cookie" in client.get("/")["Vary"]


def test_each_language_has_its_own_cached_page(client, regions):
    indonesian = client.get("/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/")
    assert english["X-Page-Cache"] == "miss"
    assert english["Content-Language"] == "en"
    assert english.content.decode() != indonesian


def test_query_string_is_part_of_the_key_in_any_order(client, regions):
    client.get("/", {"a": "1", "b": "2"})
    assert client.get("/?b=2&a=1")["X-Page-Cache"] == "hit"
    assert client.get("/?a=2&b=1")["X-Page-Cache"] == "miss"


def test_each_visitor_gets_their_own_valid_csrf_token_from_a_cached_page(regions):
    """The language switch posts with a CSRF token: a cached page must carry the token
    of the visitor reading it, never the one of the visitor it was built for."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    built = first.get("/")
    served = second.get("/")
    assert served["X-Page-Cache"] == "hit"
    token_first = CSRF.search(built.content.decode()).group(1)
    token_second = CSRF.search(served.content.decode()).group(1)
    assert token_first != token_second
    assert "__pagecache_csrf_token__" not in served.content.decode()
    answer = second.post(
        reverse("set_language"),
        {"language": "en", "next": "/", "csrfmiddlewaretoken": token_second},
    )
    assert answer.status_code == 302  # 403 with another visitor's token


def test_logged_in_visitor_is_never_served_or_stored(client, citizen):
    client.force_login(citizen)
    page = client.get("/")
    assert "X-Page-Cache" not in page
    assert citizen.get_short_name() in page.content.decode()
    anonymous = Client().get("/")
    assert anonymous["X-Page-Cache"] == "miss"
    assert citizen.get_short_name() not in anonymous.content.decode()


def test_pending_message_bypasses_the_cache(rf, regions):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore

    calls = []

    @pagecache.public_page()
    def view(request):
        calls.append(1)
        from django.http import HttpResponse

        return HttpResponse("page")

    def request(with_message):
        req = rf.get("/x")
        req.user, req.session = AnonymousUser(), SessionStore()
        req._messages = FallbackStorage(req)
        if with_message:
            req._messages.add(20, "Halo")
        return req

    view(request(False))
    view(request(False))
    assert len(calls) == 1  # the second came from the cache
    view(request(True))
    assert len(calls) == 2  # a page with a message is built for that visitor


def test_cache_outage_serves_pages_uncached(client, regions, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:28999/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    for _ in range(2):
        response = client.get("/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response  # not looked up, not stored
    pagecache.invalidate("musrenbang")  # no error either


def test_invalidate_bumps_now_and_again_on_commit(django_capture_on_commit_callbacks):
    before = pagecache.generations(["musrenbang"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            pagecache.invalidate("musrenbang")
            pagecache.invalidate("musrenbang")  # one callback per transaction
    now = pagecache.generations(["musrenbang"])
    assert now != before
    assert len([c for c in callbacks if getattr(c, "pagecache_scope", None)]) == 1
    for callback in callbacks:
        callback()
    assert pagecache.generations(["musrenbang"]) != now


def test_unknown_scope_is_refused():
    with pytest.raises(ValueError):
        pagecache.public_page("musrenbangg")


def _normalised(html: str) -> list:
    """Tags with their attributes (in any order) and text: what a browser reads."""
    from html.parser import HTMLParser

    out = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            out.append((tag, sorted(attrs, key=lambda a: a[0])))

        def handle_endtag(self, tag):
            out.append(("/" + tag,))

        def handle_data(self, data):
            if data.strip():
                out.append(("text", data.strip()))

    Parser().feed(html)
    return out


@pytest.mark.parametrize("value", [None, "", "2", 2, "nope"])
def test_fast_select_renders_what_django_renders(value):
    choices = [("", "Semua"), (1, "Binjai Kota"), (2, "Binjai Timur & <Utara>")]
    attrs = {"id": "id_k", "aria-describedby": "id_k_help", "required": True}
    django = forms.Select(choices=choices).render("k", value, attrs)
    fast = FastSelect(choices=choices).render("k", value, attrs)
    assert _normalised(fast) == _normalised(django)


# --- the early path (PageCacheMiddleware) ---------------------------------------------


def test_a_cached_page_costs_no_query_and_skips_the_session_and_auth_middleware(
    client, regions, monkeypatch, django_assert_num_queries
):
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware

    assert client.get("/")["X-Page-Cache"] == "miss"
    ran = []
    for middleware in (SessionMiddleware, AuthenticationMiddleware):
        original = middleware.process_request
        monkeypatch.setattr(
            middleware,
            "process_request",
            lambda self, request, original=original: ran.append(1) or original(self, request),
        )
    with django_assert_num_queries(0):
        hit = client.get("/")
    assert hit["X-Page-Cache"] == "hit"
    assert ran == []  # answered before the session was looked at


def _headers(response) -> dict:
    names = ("Content-Type", "Content-Language", "X-Frame-Options", "Cache-Control")
    found = {h: response.get(h) for h in names}
    found["Vary"] = sorted(v.strip() for v in response.get("Vary", "").split(","))
    found["Content-Length"] = len(response.content)
    return found


def test_the_early_answer_has_the_headers_of_the_full_chain(client, regions, settings):
    """A visitor with a session goes through every middleware; one without is answered
    early: both must get the same headers (Vary, Content-Language, X-Frame-Options)."""
    from django.contrib.sessions.backends.db import SessionStore

    for language in ("id", "en"):
        client.cookies["django_language"] = language
        client.get("/")
        early = client.get("/")
        session = SessionStore()
        session.create()
        with_session = Client()
        with_session.cookies["django_language"] = language
        with_session.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
        full = with_session.get("/")
        assert early["X-Page-Cache"] == full["X-Page-Cache"] == "hit"
        assert _headers(early) == _headers(full)
        assert early["Content-Language"] == language


def test_a_logged_in_visitor_never_gets_the_anonymous_copy(client, citizen, regions):
    Client().get("/")
    assert Client().get("/")["X-Page-Cache"] == "hit"
    client.force_login(citizen)
    page = client.get("/")
    assert "X-Page-Cache" not in page
    assert citizen.get_short_name() in page.content.decode()


def test_a_visitor_with_a_messages_cookie_is_not_answered_early(client, regions, monkeypatch):
    client.get("/")
    client.cookies["messages"] = "x"
    seen = []

    def lookup(request, scopes, language=None, original=pagecache.lookup):
        seen.append(language)
        return original(request, scopes, language)

    monkeypatch.setattr(pagecache, "lookup", lookup)
    client.get("/")
    assert seen == [None]  # the decorator's lookup only (the early path names the language)


def test_a_page_that_sets_a_cookie_is_never_stored(rf, regions):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    calls = []

    @pagecache.public_page()
    def view(request):
        calls.append(1)
        response = HttpResponse("page")
        response.set_cookie("seen", "1")
        return response

    for _ in range(2):
        request = rf.get("/x")
        request.user = AnonymousUser()
        assert "X-Page-Cache" in view(request)
    assert len(calls) == 2  # built both times: never stored


def test_the_stored_page_keeps_no_csrf_token(client, regions):
    from django.core.cache import cache

    from binjai_portal.core.pagecache import page_key

    page = client.get("/")
    token = CSRF.search(page.content.decode()).group(1)
    request = page.wsgi_request
    stored = cache.get(page_key(request, "id"))
    assert stored is not None and stored["csrf"] is True
    assert token.encode() not in stored["content"]
    assert b"__pagecache_csrf_token__" in stored["content"]


def test_a_lost_generation_never_serves_the_page_stored_under_it(client, regions):
    from django.core.cache import cache

    client.get("/musrenbang/")
    assert client.get("/musrenbang/")["X-Page-Cache"] == "hit"
    cache.delete("pagecache:gen:musrenbang")  # evicted or flushed alone
    assert client.get("/musrenbang/")["X-Page-Cache"] == "miss"
    assert client.get("/musrenbang/")["X-Page-Cache"] == "hit"


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_by_a_service_is_on_the_next_anonymous_request(client, regions):
    """Real commits: the bump on commit makes the next early lookup a miss, and the page
    built then shows the change."""
    from musrenbang.services import forum  # noqa: F401 (its bulk path calls invalidate)

    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    with transaction.atomic():
        pagecache.invalidate("musrenbang", immediate=False)  # as a service holding locks
        assert client.get("/musrenbang/")["X-Page-Cache"] == "miss"
        assert client.get("/musrenbang/")["X-Page-Cache"] == "hit"  # built before commit
    assert client.get("/musrenbang/")["X-Page-Cache"] == "miss"  # the commit's bump


def test_the_layout_parts_follow_the_language_the_page_and_the_login(client, citizen, regions):
    """The menu and footer are kept rendered per language, current page and login."""
    home = client.get("/").content.decode()
    assert 'class="navbar-brand" href="/" aria-current="page"' in home
    feed = client.get("/masyarakat/").content.decode()
    assert 'class="navbar-brand" href="/" aria-current="page"' not in feed
    assert 'href="/masyarakat/" aria-current="page"' in feed
    client.cookies["django_language"] = "en"
    english = client.get("/masyarakat/").content.decode()
    assert "Pengaduan warga" in feed and "Pengaduan warga" not in english
    client.force_login(citizen)
    mine = client.get("/masyarakat/").content.decode()
    assert reverse("accounts:profile") in mine.split("<footer")[1]
    assert reverse("accounts:password-reset") not in mine.split("<footer")[1]
