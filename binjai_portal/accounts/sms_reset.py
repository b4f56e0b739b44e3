"""Setting a new password with a one-time code sent by SMS to the account's verified
number: account recovery for the citizen who registered without e-mail.

Nothing here tells a stranger whether a number has an account. Asking for a code answers
the same for any number (the page says "if the number is registered and verified"), and
a wrong code, an unknown number and an expired code give the same message. Abuse limits:
the reset page's per-address limit (core.ratelimits, `password_reset`), the SMS budgets
per number, account and address (core.notifications), one code per
PHONE_OTP_RESEND_SECONDS and PHONE_OTP_MAX_PER_DAY a day per account, and
PHONE_OTP_MAX_ATTEMPTS guesses per code. Only a number its owner verified receives one.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import override

from binjai_portal.core.models import Delivery
from binjai_portal.core.notifications import SMS, message_send

from .models import SmsResetCode, User

CODE_DIGITS = 6


def _hash(*, user_id: int, phone: str, code: str) -> str:
    return salted_hmac("accounts.sms-password-reset", f"{user_id}:{phone}:{code}").hexdigest()


def _account(phone: str) -> User | None:
    return (
        User.objects.filter(phone=phone, is_active=True, phone_verified_at__isnull=False)
        .order_by("pk")
        .first()
    )


def _refused() -> ValidationError:
    return ValidationError(
        _("Kode salah, kedaluwarsa atau tidak berlaku untuk nomor ini. Minta kode baru."),
        code="bad_code",
    )


@transaction.atomic
def password_reset_sms_start(*, phone: str) -> None:
    """Send a reset code to `phone` if it is an account's verified number; else nothing.

    Returns nothing either way (the caller answers the same): a code asked for too soon or
    over the daily limit is silently not sent, like one for an unknown number.
    """
    user = _account(phone)
    if user is None or not user.has_usable_password():
        return
    user = User.objects.select_for_update().get(pk=user.pk)  # one request at a time
    now = timezone.now()
    recent = list(
        SmsResetCode.objects.filter(
            user=user, created_at__gte=now - datetime.timedelta(days=1)
        ).values_list("created_at", flat=True)
    )
    too_soon = recent and max(recent) > now - datetime.timedelta(
        seconds=settings.PHONE_OTP_RESEND_SECONDS
    )
    if too_soon or len(recent) >= settings.PHONE_OTP_MAX_PER_DAY:
        return
    SmsResetCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    SmsResetCode.objects.create(
        user=user,
        phone=phone,
        code_hash=_hash(user_id=user.pk, phone=phone, code=code),
        created_at=now,
        expires_at=now + datetime.timedelta(seconds=settings.PHONE_OTP_TTL_SECONDS),
    )
    minutes = max(settings.PHONE_OTP_TTL_SECONDS // 60, 1)
    with override(user.language):
        text = _(
            "%(code)s adalah kode untuk membuat kata sandi baru akun %(site)s Anda, berlaku "
            "%(minutes)s menit. Jangan berikan kepada siapa pun, termasuk petugas. Bila Anda "
            "tidak memintanya, abaikan pesan ini."
        ) % {"code": code, "site": settings.SITE_NAME, "minutes": minutes}
    message_send(
        recipient=user,
        channel=SMS,
        address=phone,
        body=text,
        purpose=Delivery.Purpose.PASSWORD_RESET,
        secret=True,
    )


def password_reset_sms_confirm(*, phone: str, code: str, password: str) -> User:
    """Check the code and set the new password; the same error for every refusal.

    A wrong guess is counted (and kept: it is not rolled back with the error).
    """
    code = (code or "").strip().replace(" ", "")
    now = timezone.now()
    with transaction.atomic():
        user = _account(phone)
        pending = None
        if user is not None:
            pending = (
                SmsResetCode.objects.select_for_update()
                .filter(user=user, phone=phone, used_at__isnull=True, expires_at__gt=now)
                .order_by("-created_at", "-pk")
                .first()
            )
        if pending is not None and pending.attempts < settings.PHONE_OTP_MAX_ATTEMPTS:
            pending.attempts += 1
            ok = len(code) == CODE_DIGITS and constant_time_compare(
                pending.code_hash, _hash(user_id=user.pk, phone=phone, code=code)
            )
            if ok:
                pending.used_at = now
                pending.save(update_fields=["attempts", "used_at"])
                user.set_password(password)
                user.save(update_fields=["password"])
                return user
            pending.save(update_fields=["attempts"])
    raise _refused()
