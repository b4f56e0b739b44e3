"""Request-wide middleware: the portal's language, the guard against crafted or
oversized requests, and anonymous pages answered from the page cache."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote_plus

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.exceptions import (
    DisallowedHost,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from . import pagecache


class IndonesianFirstMiddleware:
    """Serve Indonesian unless the visitor chose English with the language switch.

    Many phones in Indonesia run an English system locale, so the browser's
    Accept-Language says little about the language a citizen reads best; the portal's
    language (LANGUAGE_CODE) comes first and the switch (a cookie) decides otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


# REQUEST GUARD
# Crafted input is refused at the door, before a view, a form or the database sees it:
# PostgreSQL refuses NUL in text (psycopg raises DataError, a 500), and a body is only
# spooled to memory or disk after it was found small enough.

# C0 control characters and DEL. Tab, line feed and carriage return are legal in text
# (a textarea sends CR LF), never in a path.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PATH_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_JSON_TYPES = ("application/json", "application/fhir+json")


def accepts_uploads(*, files: int = 1, max_bytes: int | None = None):
    """Mark a view whose form takes up to `files` uploads of `max_bytes` each
    (UPLOAD_MAX_BYTES when None). Every other view accepts REQUEST_BODY_MAX_BYTES."""

    def decorate(view):
        view.upload_files, view.upload_max_bytes = files, max_bytes
        return view

    return decorate


def body_limit(view) -> int:
    """Bytes the view's request body may hold (files plus form fields)."""
    files = getattr(view, "upload_files", 0)
    if not files:
        return settings.REQUEST_BODY_MAX_BYTES
    each = getattr(view, "upload_max_bytes", None) or settings.UPLOAD_MAX_BYTES
    return files * each + settings.REQUEST_BODY_MAX_BYTES


class _CappedStream:
    """A body without Content-Length (chunked) is read only up to the limit."""

    def __init__(self, stream, limit: int):
        self._stream, self._left = stream, limit

    def _take(self, data: bytes) -> bytes:
        self._left -= len(data)
        if self._left < 0:
            raise RequestDataTooBig(_("Isi permintaan terlalu besar."))
        return data

    def read(self, size=-1):
        return self._take(self._stream.read(size) if size is not None else self._stream.read())

    def readline(self, size=-1):
        return self._take(self._stream.readline(size))

    def __iter__(self):
        return iter(self.readline, b"")

    def close(self):
        close = getattr(self._stream, "close", None)
        return close() if close else None


class RequestGuardMiddleware:
    """400 for control characters in the path, query, form or JSON body; 413 for a body
    larger than the view accepts, decided from Content-Length before reading a byte."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = self._check(request)
        return refused or self.get_response(request)

    def _check(self, request):
        if _PATH_CONTROL.search(request.path_info) or _PATH_CONTROL.search(request.path):
            return _refuse(request, 400, _("Alamat berisi karakter yang tidak diizinkan."))
        query = request.META.get("QUERY_STRING", "")
        if "%" in query or _CONTROL.search(query):
            if _CONTROL.search(unquote_plus(query, errors="replace")):
                return _refuse(request, 400, _("Parameter berisi karakter yang tidak diizinkan."))
        limit = self._limit(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refuse(request, 400, _("Panjang isi permintaan tidak valid."))
        if length > limit:
            return _refuse(
                request,
                413,
                _("Isi permintaan terlalu besar (%(size)s). Batasnya %(max)s.")
                % {"size": filesizeformat(length), "max": filesizeformat(limit)},
            )
        if length < 0:
            return _refuse(request, 400, _("Panjang isi permintaan tidak valid."))
        if not request.META.get("CONTENT_LENGTH") and hasattr(request, "_stream"):
            request._stream = _CappedStream(request._stream, limit)
        if request.method in ("POST", "PUT", "PATCH") and length:
            return self._check_body(request)
        return None

    def _limit(self, request) -> int:
        try:
            match = resolve(request.path_info)
        except (Resolver404, ValueError):
            request._guard_view = None
            return settings.REQUEST_BODY_MAX_BYTES
        request._guard_view = match.func  # PageCacheMiddleware reads it, no second resolve
        return body_limit(match.func)

    def _check_body(self, request):
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        message = _("Isian berisi karakter yang tidak diizinkan.")
        try:
            if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                fields = [*request.POST.keys(), *request.POST.values()] + [
                    v for values in request.POST.lists() for v in values[1]
                ]
                fields += [f.name or "" for files in request.FILES.lists() for f in files[1]]
                fields += list(request.FILES.keys())
                if any(_CONTROL.search(v) for v in fields if isinstance(v, str)):
                    return _refuse(request, 400, message)
            elif content_type in _JSON_TYPES or content_type.endswith("+json"):
                try:
                    data = json.loads(request.body)
                except (ValueError, UnicodeDecodeError):
                    return None  # the view answers a malformed body in its own words
                if _json_has_control(data):
                    return _refuse(request, 400, message)
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent) as exc:
            status = 413 if isinstance(exc, RequestDataTooBig) else 400
            return _refuse(
                request, status, _("Isi permintaan terlalu besar atau terlalu banyak isian.")
            )
        except (MultiPartParserError, UnicodeDecodeError):
            return _refuse(request, 400, _("Isi permintaan tidak dapat dibaca."))
        return None


def _json_has_control(value, depth: int = 0) -> bool:
    if depth > 64:
        return True
    if isinstance(value, str):
        return bool(_CONTROL.search(value))
    if isinstance(value, dict):
        return any(
            _json_has_control(k, depth + 1) or _json_has_control(v, depth + 1)
            for k, v in value.items()
        )
    if isinstance(value, list):
        return any(_json_has_control(v, depth + 1) for v in value)
    return False


def _refuse(request, status: int, message) -> HttpResponse:
    # A view that must answer in its standard's error shape (SNAP BI) says how.
    try:
        own = getattr(resolve(request.path_info).func, "guard_refusal", None)
    except (Resolver404, ValueError):
        own = None
    if own is not None:
        return own(request, status, str(message))
    if request.path_info.startswith("/api/jkn/"):  # BPJS WS Antrean: its metadata shape
        return JsonResponse({"metadata": {"message": str(message), "code": 201}}, status=status)
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": str(message)}, status=status)
    unchanged = _("Tidak ada data yang diubah.")
    body = f"{message}\n{unchanged}\n"
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


# PAGE CACHE, EARLY PATH


class PageCacheMiddleware:
    """Answer an anonymous GET of a cached public page before the session, CSRF, locale,
    auth and messages middleware run (placed right after IndonesianFirstMiddleware).

    Only a visitor without a session or messages cookie and without an Authorization
    header is answered here: such a request is anonymous and has no flash messages, so
    it would be served the same stored page by `pagecache.public_page` further in. The
    page and its scopes' generations are read in one MGET; anything else (a miss, a
    stale page, another view, the cache down) goes on down the chain, where the view's
    decorator builds and stores the page. What the skipped middleware would add to the
    answer is added here: the visitor's own CSRF token and cookie, Content-Language,
    Vary, X-Frame-Options and Content-Length.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        from django.middleware.csrf import CsrfViewMiddleware

        self.csrf = CsrfViewMiddleware(get_response)
        self.skip_cookies = (settings.SESSION_COOKIE_NAME, "messages")

    def __call__(self, request):
        if (
            request.method == "GET"
            and "HTTP_AUTHORIZATION" not in request.META
            and not any(name in request.COOKIES for name in self.skip_cookies)
            and len(request.META.get("QUERY_STRING", "")) <= pagecache.MAX_QUERY_LENGTH
            and pagecache.enabled()
        ):
            response = self._from_cache(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _from_cache(self, request):
        view = getattr(request, "_guard_view", _UNRESOLVED)
        if view is _UNRESOLVED:
            try:
                view = resolve(request.path_info).func
            except (Resolver404, ValueError):
                return None
        scopes = getattr(view, "pagecache_scopes", None)
        if scopes is None:
            return None
        i18n_patterns_used, _prefixed = is_language_prefix_patterns_used(
            getattr(request, "urlconf", settings.ROOT_URLCONF)
        )
        language = translation.get_language_from_request(request, check_path=i18n_patterns_used)
        try:
            found = pagecache.lookup(request, scopes, language)
        except DisallowedHost:
            return None  # CommonMiddleware answers it
        if found.stored is None:
            request._pagecache_lookup = found  # the view's decorator stores under it
            return None
        if found.stored["csrf"]:
            self.csrf.process_request(request)  # the visitor's own CSRF cookie, if any
        response = pagecache.rebuilt(request, found.stored)
        if found.stored["csrf"]:
            self.csrf.process_response(request, response)  # a new cookie when needed
        if not (i18n_patterns_used and translation.get_language_from_path(request.path_info)):
            patch_vary_headers(response, ("Accept-Language",))
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        if not response.has_header("X-Frame-Options"):
            response["X-Frame-Options"] = getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()
        response["Content-Length"] = str(len(response.content))
        return response


_UNRESOLVED = object()
