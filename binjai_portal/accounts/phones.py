"""Indonesian phone numbers, normalised to E.164 (+628...) with `phonenumbers`."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from binjai_portal.core.inputs import is_ascii_digits

MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def normalize_phone(value: str, *, mobile_only: bool = True) -> str:
    """'0812-3456-7890', '+62 812 3456 7890', '62812...' -> '+6281234567890'."""
    raw = (value or "").strip()
    if raw.startswith("62"):
        raw = "+" + raw
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("Nomor HP tidak dapat dibaca."), code="phone_invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Nomor HP tidak valid. Contoh: 0812 3456 7890."), code="phone_invalid"
        )
    if number.country_code != 62:
        raise ValidationError(_("Gunakan nomor Indonesia (+62)."), code="phone_country")
    if mobile_only and phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise ValidationError(
            _("Gunakan nomor ponsel agar dapat menerima SMS/WhatsApp."), code="phone_not_mobile"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_phone(value: str) -> bool:
    digits = value.replace(" ", "").replace("-", "").lstrip("+")
    return is_ascii_digits(digits, max_length=15) and len(digits) >= 8
