"""API tokens of a facility's kiosks and partner systems."""

from __future__ import annotations

import hashlib
import secrets

import rules
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binjai_portal.accounts.models import User

from ..models import ApiToken, Facility
from .common import BookingRefused

TOKEN_PREFIX = "bdk_"


def api_token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, owner: User, facility: Facility, name: str) -> tuple[ApiToken, str]:
    """Issue a token acting as `owner` for `facility`. Returns the row and the token,
    which is not stored and can be shown only now."""
    if not rules.has_perm("dokter.run_facility", owner, facility):
        raise BookingRefused(_("Pemilik token harus petugas fasilitas ini."), code="owner")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        owner=owner,
        facility=facility,
        name=name.strip(),
        prefix=raw[len(TOKEN_PREFIX) :][:8],
        digest=api_token_digest(raw),
    )
    token.full_clean()
    token.save()
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, now=None) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
