"""Log in with NIK, e-mail or phone number, plus password."""

from __future__ import annotations

import hashlib

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from .phones import looks_like_phone, normalize_phone


def user_find_by_identifier(identifier: str):
    """The active account a login identifier names, or None."""
    User = get_user_model()
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if "@" in identifier:
        lookup = {"email__iexact": identifier}
    elif identifier.isdigit() and len(identifier) == 16:
        lookup = {"nik": identifier}
    elif looks_like_phone(identifier):
        try:
            lookup = {"phone": normalize_phone(identifier, mobile_only=False)}
        except ValidationError:
            return None
    else:
        return None
    return User._default_manager.filter(**lookup).first()


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = user_find_by_identifier(username)
        if user is None:
            # Run the hasher anyway so timing does not reveal which identifiers exist.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request, credentials) -> str:
    """What django-axes stores and logs instead of the identifier (which may be a NIK).

    NIK, e-mail and phone of one account map to the same key, so switching
    identifiers does not reset the failure count.
    """
    identifier = (credentials or {}).get("username") or (
        request.POST.get("username", "") if request is not None else ""
    )
    user = user_find_by_identifier(identifier)
    if user is not None:
        return f"user-{user.pk}"
    digest = hashlib.sha256(identifier.strip().lower().encode()).hexdigest()[:16]
    return f"unknown-{digest}"
