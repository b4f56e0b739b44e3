"""Bearer-token authentication for the e-Dokter API (kiosks, partner systems, FHIR).

`Authorization: Bearer <token>`; the token is looked up by its SHA-256 digest. It is
valid while not revoked and while its owner is still an active clerk of the token's
facility. A valid token authenticates as its owner, limited to the token's facility.
"""

from __future__ import annotations

import datetime

import rules
from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import ApiToken
from .services import api_token_digest

LAST_USED_EVERY = datetime.timedelta(minutes=1)  # at most one write per token a minute


def bearer_token(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    return raw.strip()


def token_for_request(request) -> ApiToken | None:
    """The valid token the request carries, or None (missing, unknown, revoked, or its
    owner no longer works at the facility)."""
    raw = bearer_token(request)
    if raw is None or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("owner", "facility__unit")
        .filter(digest=api_token_digest(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not rules.has_perm("dokter.run_facility", token.owner, token.facility):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """DRF authentication: request.user is the token's owner, request.auth the token."""

    def authenticate(self, request):
        if bearer_token(request) is None:
            return None
        token = token_for_request(request)
        if token is None:
            raise exceptions.AuthenticationFailed("Token tidak valid atau sudah dicabut.")
        return token.owner, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
