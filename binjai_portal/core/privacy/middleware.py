"""Sets the request's user for the access log and asks a citizen to accept a new
version of the privacy notice where consent is the basis.

Whether to ask is decided once, at login (services.consent_check_on_login puts the
pending version into the session), so a page view costs no query for it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .access import reset_current_user, set_current_user

PENDING_KEY = "privacy_notice_pending"

# Pages a citizen reaches without having answered the new notice.
EXEMPT_PREFIXES = ("/privasi/", "/akun/keluar/", "/static/", "/i18n/", "/jsi18n/", "/api/")


class PrivacyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        token = set_current_user(user)
        try:
            redirect_to = self._consent_redirect(request, user)
            if redirect_to is not None:
                return redirect_to
            return self.get_response(request)
        finally:
            reset_current_user(token)

    def _consent_redirect(self, request, user):
        # Only page views: a POST in flight is not thrown away, an API is not a page.
        if request.method != "GET" or user is None or not user.is_authenticated:
            return None
        if user.is_staff or request.path.startswith(EXEMPT_PREFIXES):
            return None
        if request.headers.get("HX-Request"):
            return None
        if not request.session.get(PENDING_KEY):
            return None
        target = reverse("privacy:notice")
        nxt = request.get_full_path()
        if nxt.startswith("/") and url_has_allowed_host_and_scheme(
            nxt, allowed_hosts={request.get_host()}
        ):
            target += "?" + urlencode({"next": nxt})
        return redirect(target)
