"""Log in with NIK, e-mail or phone number, plus password."""

from __future__ import annotations

import hashlib

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError

from binjai_portal.core.inputs import is_ascii_digits

from .phones import looks_like_phone, normalize_phone


def user_find_by_identifier(identifier: str):
    """The active account a login identifier names, or None."""
    User = get_user_model()
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if "@" in identifier:
        lookup = {"email__iexact": identifier}
    elif len(identifier) == 16 and is_ascii_digits(identifier):
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


def _account_pk(pseudonym: str | None) -> int | None:
    if pseudonym and pseudonym.startswith("user-") and is_ascii_digits(pseudonym[5:]):
        return int(pseudonym[5:])
    return None


class AddressThrottleBackend:
    """Refuse every login from an address that failed too often, over all accounts.

    Axes locks one account from one address; a password sprayer tries many accounts once
    each from one address. Failures per address are counted by `login_failed_count`
    (user_login_failed); past RATE_LIMITS["login_address"] this backend, first in
    AUTHENTICATION_BACKENDS, stops the login before any password is checked. A limiter
    that is down lets logins through (fail open): axes still locks per account.

    No get_user: it never logs anybody in, and force_login must not pick it.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        from binjai_portal.core.ratelimits import check

        refusal = check(request, "login_address", increment=False, fail_open=True)
        if refusal is not None:
            request.login_refusal = refusal
            raise PermissionDenied("address throttled")
        return None


def login_failed_count(sender, credentials, request=None, **kwargs) -> None:
    """user_login_failed: one more failure for the client address."""
    if request is None:
        return
    from binjai_portal.core.ratelimits import check

    check(request, "login_address", increment=True, fail_open=True)


def lockout_notify_owner(sender, request=None, username=None, ip_address=None, **kwargs):
    """axes' user_locked_out: tell the account's owner in their inbox, once a lockout.

    axes signals at the failure that reaches the limit and again at every later failure
    while locked; only the first counts, and an account is told at most once per cool-off
    period however many addresses get locked out of it.
    """
    from django.conf import settings
    from django.core.cache import cache
    from django.utils.translation import gettext_lazy as _

    from binjai_portal.core.notifications import Text, notify
    from binjai_portal.core.ratelimits import CACHE_ERRORS

    pk = _account_pk(username)
    failures = getattr(request, "axes_failures_since_start", None)
    if pk is None or failures != settings.AXES_FAILURE_LIMIT:
        return
    cooloff = settings.AXES_COOLOFF_TIME
    try:
        if not cache.add(f"accounts:lockout-notice:{pk}", 1, int(cooloff.total_seconds())):
            return
    except CACHE_ERRORS:  # noqa: S110 - a cache that is down: tell the owner anyway
        pass
    user = get_user_model()._default_manager.filter(pk=pk, is_active=True).first()
    if user is None:
        return
    minutes = int(cooloff.total_seconds() // 60)
    notify(
        recipient=user,
        title=Text(_("Percobaan masuk ke akun Anda dihentikan")),
        body=Text(
            _(
                "Seseorang memasukkan kata sandi yang salah %(n)d kali untuk akun Anda. "
                "Perangkat itu tidak dapat mencoba masuk ke akun Anda selama %(m)d menit. "
                "Anda sendiri tetap dapat masuk dari perangkat Anda. Bila itu bukan Anda, "
                "sebaiknya ganti kata sandi."
            ),
            n=failures,
            m=minutes,
        ),
        url="/akun/profil/",
        channels=(),  # the inbox only: an attacker must not be able to send SMS
    )
