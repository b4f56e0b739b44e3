"""Proving a phone number with a one-time code sent to it by SMS.

Until a user proves their number, the portal sends it no SMS (binjai_portal.core
.notifications): anyone can type a stranger's number into the registration form. The
code goes out through the outbox like every other SMS, so it takes from the same budgets
(per number, account and client address); on top of that a user may ask for a new code
only every PHONE_OTP_RESEND_SECONDS and PHONE_OTP_MAX_PER_DAY times a day.

The code is stored only as a keyed hash bound to the user and the number; it expires
after PHONE_OTP_TTL_SECONDS and allows PHONE_OTP_MAX_ATTEMPTS guesses.
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

from .models import PhoneVerification, User

CODE_DIGITS = 6


def _hash(*, user: User, phone: str, code: str) -> str:
    return salted_hmac("accounts.phone-verification", f"{user.pk}:{phone}:{code}").hexdigest()


@transaction.atomic
def phone_verification_start(*, user: User) -> Delivery:
    """Send a new code to the user's number; the previous codes stop working.

    Returns the code's delivery: a skipped one (budget spent, counters down) means no SMS
    went out, which the caller tells the user.
    """
    user = User.objects.select_for_update().get(pk=user.pk)  # one request at a time per user
    if not user.phone:
        raise ValidationError(_("Isi nomor HP di profil Anda terlebih dahulu."), code="no_phone")
    if user.phone_verified_at:
        raise ValidationError(_("Nomor HP Anda sudah terverifikasi."), code="verified")
    now = timezone.now()
    recent = PhoneVerification.objects.filter(
        user=user, created_at__gte=now - datetime.timedelta(days=1)
    ).values_list("created_at", flat=True)
    recent = list(recent)
    wait = settings.PHONE_OTP_RESEND_SECONDS
    if recent and max(recent) > now - datetime.timedelta(seconds=wait):
        raise ValidationError(
            _("Tunggu %(seconds)s detik sebelum meminta kode baru.") % {"seconds": wait},
            code="too_soon",
        )
    if len(recent) >= settings.PHONE_OTP_MAX_PER_DAY:
        raise ValidationError(
            _("Batas permintaan kode hari ini tercapai. Coba lagi besok."), code="daily_limit"
        )
    PhoneVerification.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    PhoneVerification.objects.create(
        user=user,
        phone=user.phone,
        code_hash=_hash(user=user, phone=user.phone, code=code),
        created_at=now,
        expires_at=now + datetime.timedelta(seconds=settings.PHONE_OTP_TTL_SECONDS),
    )
    minutes = max(settings.PHONE_OTP_TTL_SECONDS // 60, 1)
    with override(user.language):
        text = _(
            "%(code)s adalah kode verifikasi nomor HP Anda di %(site)s, berlaku %(minutes)s "
            "menit. Jangan berikan kode ini kepada siapa pun, termasuk petugas."
        ) % {"code": code, "site": settings.SITE_NAME, "minutes": minutes}
    return message_send(
        recipient=user,
        channel=SMS,
        address=user.phone,
        body=text,
        purpose=Delivery.Purpose.PHONE_VERIFICATION,
        secret=True,
    )


def phone_verification_confirm(*, user: User, code: str) -> User:
    """Check a code; on success the user's current number counts as verified.

    A wrong guess is counted (and kept: it is not rolled back with the error).
    """
    code = (code or "").strip().replace(" ", "")
    now = timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.phone_verified_at:
            return user
        pending = (
            PhoneVerification.objects.select_for_update()
            .filter(user=user, phone=user.phone or "", used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at", "-pk")
            .first()
        )
        if pending is None:
            error = ValidationError(
                _("Kode tidak berlaku atau kedaluwarsa. Minta kode baru."), code="no_code"
            )
        elif pending.attempts >= settings.PHONE_OTP_MAX_ATTEMPTS:
            error = ValidationError(
                _("Terlalu banyak percobaan. Minta kode baru."), code="too_many_attempts"
            )
        else:
            pending.attempts += 1
            ok = len(code) == CODE_DIGITS and constant_time_compare(
                pending.code_hash, _hash(user=user, phone=pending.phone, code=code)
            )
            if ok:
                pending.used_at = now
                pending.save(update_fields=["attempts", "used_at"])
                user.phone_verified_at = now
                user.save(update_fields=["phone_verified_at"])
                return user
            pending.save(update_fields=["attempts"])
            left = settings.PHONE_OTP_MAX_ATTEMPTS - pending.attempts
            error = ValidationError(
                _("Kode salah. Sisa percobaan: %(left)s.") % {"left": left}, code="wrong_code"
            )
    raise error
