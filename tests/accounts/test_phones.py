import pytest
from django.core.exceptions import ValidationError

from binjai_portal.accounts.phones import normalize_phone


@pytest.mark.parametrize(
    "raw",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "+62 812 3456 7890",
        "6281234567890",
        "+6281234567890",
    ],
)
def test_indonesian_mobile_numbers_normalise_to_e164(raw):
    assert normalize_phone(raw) == "+6281234567890"


@pytest.mark.parametrize("raw", ["12345", "abc", "0812", "+1 202 555 0123", ""])
def test_invalid_or_foreign_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)


def test_landline_refused_for_sms_but_accepted_when_not_required():
    with pytest.raises(ValidationError) as exc:
        normalize_phone("061 8821234")  # Medan/Binjai area code
    assert exc.value.code == "phone_not_mobile"
    assert normalize_phone("061 8821234", mobile_only=False) == "+62618821234"
