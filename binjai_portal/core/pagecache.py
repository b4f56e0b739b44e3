"""Whole-page cache for anonymous visitors, invalidated by per-app generation counters.

A public page declares the apps whose data it shows (`@public_page("musrenbang")`). Its
cache key holds the request's language, host, path and sorted query string, and the
current *generation* of each of those apps. A service that changes what such a page shows
calls `invalidate("musrenbang")` (model saves and deletes in the service apps do it
through `signals.py`); the generation gets a new value, so every page built from the old
data is simply never read again and expires on its own.

What is never cached or served from the cache: a logged-in visitor's page (their name,
desk links), a request that carries or produced flash messages, anything but a plain 200
GET answer, and an answer that set cookies of its own. The CSRF token of the language
switch is cut out before storing and a fresh one for this visitor is put back on each hit,
so a cached page never hands one visitor's token to another.

The cache is an optimisation only: every cache call goes through `_safe`, so a Redis
that is down or slow means pages are built each time, never a 500.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import uuid
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import get_language

log = logging.getLogger(__name__)

#: Apps whose model changes invalidate their pages (signals.py) and that pages may name.
SCOPES = frozenset({"musrenbang", "masyarakat", "dokter", "perizinan", "budgeting"})
DEFAULT_TIMEOUT = 300
MAX_QUERY_LENGTH = 512
_CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
_CSRF_PLACEHOLDER = b"__pagecache_csrf_token__"
#: Response headers a cached page keeps (the middleware adds the rest on every answer).
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "X-Frame-Options")


def _safe(call: Callable, default=None):
    try:
        return call()
    except Exception:  # noqa: BLE001 - a cache outage must degrade to "no cache"
        log.warning("page cache unavailable", exc_info=True)
        return default


def enabled() -> bool:
    return getattr(settings, "PAGECACHE_ENABLED", True)


# --- generations ----------------------------------------------------------------------


def _generation_key(scope: str) -> str:
    return f"pagecache:gen:{scope}"


def generations(scopes: Iterable[str]) -> str | None:
    """The current generation of each scope, as one string; None when the cache is down."""
    scopes = list(scopes)
    _read_since_bump().update(scopes)
    keys = [_generation_key(s) for s in scopes]
    found = _safe(lambda: cache.get_many(keys))
    if found is None:
        return None
    values = []
    for k in keys:
        value = found[k] if k in found else _started(k)
        if value is None:
            return None
        values.append(str(value))
    return ".".join(values)


def _started(key: str) -> str | None:
    """A missing generation, created (or the one another process just created)."""
    value = uuid.uuid4().hex[:12]
    if _safe(lambda: cache.add(key, value, timeout=None)):
        return value
    return _safe(lambda: cache.get(key))


_local = threading.local()


def _read_since_bump() -> set:
    """Scopes whose generations this thread read since it last bumped them."""
    found = getattr(_local, "read", None)
    if found is None:
        found = _local.read = set()
    return found


def _bump(scopes: Iterable[str]) -> None:
    scopes = list(scopes)
    _read_since_bump().difference_update(scopes)
    values = {_generation_key(s): uuid.uuid4().hex[:12] for s in scopes}
    _safe(lambda: cache.set_many(values, timeout=None))


def _already_pending(conn, scope: str) -> bool:
    """A bump of `scope` is already queued for commit and will survive any rollback that
    would drop a new one (its savepoints all enclose the current position)."""
    current = set(conn.savepoint_ids)
    return any(
        getattr(func, "pagecache_scope", None) == scope and sids <= current
        for sids, func, *_rest in conn.run_on_commit
    )


def invalidate(*scopes: str, using: str = DEFAULT_DB_ALIAS, immediate: bool = True) -> None:
    """Pages of these apps are rebuilt from the next request on.

    Bumped twice: now (so the change is visible at once to the request that made it) and
    again when the transaction commits, so a page another request rebuilt from the old
    rows between the two is not served either. Outside a transaction: once, now.
    `immediate=False` skips the first bump, for a caller holding row locks (the commit's
    bump alone keeps visitors from stale pages; the first only lets the same transaction
    read its own change).
    """
    conn = transaction.get_connection(using)
    for scope in scopes:
        if not conn.in_atomic_block:
            _bump([scope])
            continue
        if _already_pending(conn, scope):
            # Bump again now only when this thread read the scope's pages since its last
            # bump (a page built between two changes of one transaction would show the
            # first only); a bulk write with no page read in between bumps once.
            if immediate and scope in _read_since_bump():
                _bump([scope])
            continue
        if immediate:
            _bump([scope])

        def after_commit(scope=scope):
            _bump([scope])

        after_commit.pagecache_scope = scope
        transaction.on_commit(after_commit, using=using, robust=True)


def cached(key: str, build: Callable, timeout: int = DEFAULT_TIMEOUT):
    """`build()`'s value under `key` (the caller puts what it depends on into the key);
    built afresh when the page cache is off or the cache is down."""
    if not enabled():
        return build()
    found = _safe(lambda: cache.get(key))
    if found is None:
        found = build()
        _safe(lambda: cache.set(key, found, timeout))
    return found


def memo(name: str, scopes: Iterable[str], build: Callable, timeout: int = DEFAULT_TIMEOUT):
    """`build()`'s value, cached until one of `scopes` changes (or `timeout` seconds);
    built afresh, uncached, when the cache is down. The value must pickle."""
    gens = generations(sorted(scopes))
    if gens is None:
        return build()
    key = f"pagecache:memo:{name}:{get_language()}:{gens}"
    found = _safe(lambda: cache.get(key))
    if found is None:
        found = build()
        _safe(lambda: cache.set(key, found, timeout))
    return found


# --- pages ----------------------------------------------------------------------------


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    # len() loads the stored messages without marking them read.
    return storage is not None and len(storage) > 0


def _cacheable_request(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return (
        request.method == "GET"
        and enabled()
        and "HTTP_AUTHORIZATION" not in request.META  # an API client's own answer
        and user is not None
        and not user.is_authenticated
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_LENGTH
        and not _has_messages(request)
    )


def page_key(request: HttpRequest, language: str | None = None) -> str:
    """The page's key: language, scheme, host, path and the query in a fixed order. The
    generations its data was read at are in the stored value, not in the key, so the
    page and the current generations are read in one MGET (`lookup`)."""
    query = (
        urlencode(sorted(request.GET.lists()), doseq=True)
        if request.META.get("QUERY_STRING")
        else ""
    )
    where = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.blake2b(where.encode(), digest_size=16).hexdigest()
    return f"pagecache:page:{language or get_language()}:{digest}"


class Lookup:
    """One read of a page and of its scopes' generations. `gens` is None when the page
    must not be stored (the cache is down, or a generation was missing and has just been
    created); `stored` is the page when it was built at the current generations."""

    __slots__ = ("key", "scopes", "gens", "stored")

    def __init__(self, key: str, scopes: tuple, gens: str | None, stored: dict | None):
        self.key, self.scopes, self.gens, self.stored = key, scopes, gens, stored


def lookup(request: HttpRequest, scopes: tuple, language: str | None = None) -> Lookup:
    key = page_key(request, language)
    _read_since_bump().update(scopes)
    gen_keys = [_generation_key(s) for s in scopes]
    found = _safe(lambda: cache.get_many([key, *gen_keys]))
    if found is None:
        return Lookup(key, scopes, None, None)
    for k in gen_keys:
        if k not in found:
            # A generation that is gone (flushed, evicted) starts afresh: a page stored
            # under its old value is never read again.
            found[k] = _started(k)
            if found[k] is None:
                return Lookup(key, scopes, None, None)
    gens = ".".join(str(found[k]) for k in gen_keys)
    stored = found.get(key)
    if stored is not None and stored.get("gens") != gens:
        stored = None
    return Lookup(key, scopes, gens, stored)


def _stored(response: HttpResponse, gens: str) -> dict | None:
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or response.has_header("Set-Cookie")
    ):
        return None
    content = response.content
    match = _CSRF_INPUT.search(content)
    if match:
        content = content.replace(match.group(1), _CSRF_PLACEHOLDER)
    return {
        "gens": gens,
        "content": content,
        "csrf": bool(match),
        "headers": {h: response[h] for h in _KEPT_HEADERS if response.has_header(h)},
    }


def rebuilt(request: HttpRequest, stored: dict) -> HttpResponse:
    content = stored["content"]
    if stored["csrf"]:
        content = content.replace(_CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for header, value in stored["headers"].items():
        response[header] = value
    response["X-Page-Cache"] = "hit"
    return response


def public_page(*scopes: str, timeout: int = DEFAULT_TIMEOUT) -> Callable:
    """Serve the view's page to anonymous visitors from the cache (see the module doc).

    `scopes` are the apps whose data the page shows; `timeout` bounds how long a page
    whose content also depends on the clock (opening windows, today's queue) may live.
    A visitor without a session cookie is answered by `PageCacheMiddleware` before the
    session, CSRF and language middleware run; this decorator serves the others
    (anonymous with a session) and stores every page.
    """
    unknown = set(scopes) - SCOPES
    scopes = tuple(sorted(set(scopes)))  # the same key in every worker process
    if unknown:
        raise ValueError(f"unknown page cache scope(s): {sorted(unknown)}")

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            found = getattr(request, "_pagecache_lookup", None)
            if (
                found is None
                or found.scopes != scopes
                or not found.key.startswith(f"pagecache:page:{get_language()}:")
            ):
                found = lookup(request, scopes)
                if found.stored is not None:
                    return rebuilt(request, found.stored)
            response = view(request, *args, **kwargs)
            # Anonymous pages differ by session/CSRF cookie only through what we strip;
            # downstream caches must still tell visitors apart.
            patch_vary_headers(response, ("Cookie",))
            if found.gens is not None and not _has_messages(request):
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                stored = _stored(response, found.gens)
                if stored is not None:
                    _safe(lambda: cache.set(found.key, stored, timeout))
                response["X-Page-Cache"] = "miss"
            return response

        wrapped.pagecache_scopes = scopes
        return wrapped

    return decorate
