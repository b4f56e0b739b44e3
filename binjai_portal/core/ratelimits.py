"""Request limits for the whole portal: one helper over django-ratelimit's counters.

Every limit is named in `settings.RATE_LIMITS` ("count/period", from the environment) and
counted per client address (`REMOTE_ADDR`, which ClientAddressMiddleware has already
resolved through TRUSTED_PROXIES), per user or per API token. django-ratelimit counts
with the cache's atomic `incr` (Redis `INCR`), so sixty concurrent requests can never
all pass a limit of twenty, as a read-then-write counter let them.

The cache may be down. django-ratelimit then raises, and a throttle must never cause a
500. What happens instead depends on what the request does:

- a read (a page, a tracking lookup, an API GET) goes on unlimited: *fail open*;
- a write that sends messages (registration, password reset, a complaint that e-mails
  every moderator) is refused with 503 and a clear message: *fail closed*, because an
  unlimited message-sender is what an attacker waits for.

Use `limit()` on views, `RateThrottle` subclasses on DRF views, `check()` elsewhere.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError
from rest_framework import exceptions, throttling
from rest_framework.permissions import SAFE_METHODS

from .clientip import client_ip

log = logging.getLogger(__name__)

LIMITED, UNAVAILABLE = 429, 503
UNAVAILABLE_RETRY = 60  # seconds a client is asked to wait when the limiter is down
CACHE_ERRORS = (RedisError, OSError)


@dataclass(frozen=True)
class Refusal:
    """Why a request was not served: over its limit (429), or the limiter is down (503)."""

    status: int
    wait: int  # seconds until a retry may pass

    @property
    def message(self) -> str:
        if self.status == UNAVAILABLE:
            return _(
                "Permintaan Anda belum diproses karena pemeriksa batas permintaan sedang "
                "tidak tersedia. Coba lagi beberapa menit lagi."
            )
        minutes = max(1, -(-self.wait // 60))
        return _("Terlalu banyak permintaan dari Anda. Coba lagi dalam %(n)d menit.") % {
            "n": minutes
        }


def token_key(group: str, request) -> str:
    """Key function: the bearer token's digest (never the token), else the address."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, raw = header.partition(" ")
    if scheme.lower() == "bearer" and raw.strip():
        return "t:" + hashlib.sha256(raw.strip().encode()).hexdigest()
    return "ip:" + client_ip(request)


def check(
    request, name: str, *, key="ip", fail_open: bool, increment: bool = True
) -> Refusal | None:
    """Count this request against the limit `name`; a Refusal when it must not be served.

    `key` is a django-ratelimit key ("ip", "user", "user_or_ip", or a callable taking
    (group, request)); increment=False only reads the count.
    """
    rate = settings.RATE_LIMITS.get(name)
    if not rate:
        return None
    try:
        usage = get_usage(request, group=f"binjai.{name}", key=key, rate=rate, increment=increment)
    except CACHE_ERRORS as exc:
        usage = {"count": 0, "limit": 0, "should_limit": True, "time_left": -1}
        log.warning(
            "rate limiter down (%s) for %s from %s: %s",
            name,
            request.path,
            client_ip(request),
            exc.__class__.__name__,
        )
    if usage is None or not usage["should_limit"]:
        return None
    if usage["limit"] == 0 and usage["time_left"] == -1:  # the counter could not be read
        return None if fail_open else Refusal(UNAVAILABLE, UNAVAILABLE_RETRY)
    log.warning(
        "rate limit %s (%s) exceeded by %s on %s", name, rate, client_ip(request), request.path
    )
    return Refusal(LIMITED, max(1, int(usage["time_left"])))


def is_read(request) -> bool:
    return request.method in SAFE_METHODS


def refusal_response(request, refusal: Refusal):
    """The portal's page for a refused request: 429 or 503, with Retry-After."""
    response = render(request, "errors/429.html", {"refusal": refusal}, status=refusal.status)
    response["Retry-After"] = str(refusal.wait)
    return response


def limit(
    name: str,
    *,
    key="ip",
    methods=("POST",),
    fail_open: bool | None = None,
    respond=refusal_response,
):
    """View decorator: count `methods` requests against RATE_LIMITS[name].

    fail_open defaults to True for reads (GET, HEAD) and False for writes.
    `respond(request, refusal)` builds the answer (a page by default; APIs pass their own).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                open_ = is_read(request) if fail_open is None else fail_open
                refusal = check(request, name, key=key, fail_open=open_)
                if refusal is not None:
                    return respond(request, refusal)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# ---------------------------------------------------------------- DRF


class LimitExceeded(exceptions.Throttled):
    """429 whose body is the API's own error format (`detail` may be a dict, kept as is:
    DRF would turn its numbers into strings)."""

    def __init__(self, *, wait: int, detail):
        exceptions.APIException.__init__(self, detail)
        self.detail, self.wait = detail, wait


class LimiterUnavailable(exceptions.APIException):
    status_code = UNAVAILABLE
    default_code = "limiter_unavailable"

    def __init__(self, detail):
        super().__init__(detail)
        self.detail = detail


class RateThrottle(throttling.BaseThrottle):
    """A DRF throttle counted by `check()`: atomic, and fails open for reads only.

    Subclasses name the limit (`scope`, a key of RATE_LIMITS), the `key` and, for an API
    with its own error format, `error_detail(status, message)`.
    """

    scope = ""
    key = "ip"
    methods: tuple[str, ...] | None = None  # None: every method

    def error_detail(self, status: int, message: str):
        return message

    def allow_request(self, request, view) -> bool:
        if self.methods is not None and request.method not in self.methods:
            return True
        refusal = check(request, self.scope, key=self.key, fail_open=is_read(request))
        if refusal is None:
            return True
        detail = self.error_detail(refusal.status, refusal.message)
        if refusal.status == LIMITED:
            raise LimitExceeded(wait=refusal.wait, detail=detail)
        raise LimiterUnavailable(detail)


class AddressThrottle(RateThrottle):
    """Anonymous clients by address (the default `api_anon` rate)."""

    scope = "api_anon"

    def allow_request(self, request, view) -> bool:
        if request.user and request.user.is_authenticated:
            return True
        return super().allow_request(request, view)


class UserThrottle(RateThrottle):
    """Logged-in clients by account (the default `api_user` rate)."""

    scope = "api_user"
    key = "user"

    def allow_request(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return True
        return super().allow_request(request, view)
