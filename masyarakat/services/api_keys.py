"""The Open311 API keys of partner systems."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from ..models import ApiKey


def api_key_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_key_issue(*, name: str, contact_email: str = "") -> tuple[ApiKey, str]:
    """Issue an Open311 key. Returns the row and the key, which is not stored and can be
    shown only now."""
    raw = secrets.token_urlsafe(32)
    key = ApiKey(
        name=name.strip(), contact_email=contact_email, prefix=raw[:8], digest=api_key_digest(raw)
    )
    key.full_clean()
    key.save()
    return key, raw


def api_key_is_valid(raw: str) -> bool:
    if not raw or len(raw) > 200:
        return False
    return ApiKey.objects.filter(digest=api_key_digest(raw), is_active=True).exists()
