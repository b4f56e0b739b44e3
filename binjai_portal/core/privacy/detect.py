"""Finds NIKs, Indonesian phone numbers and e-mail addresses in text.

Pure Python (no Django), shared by the export hook and the minimisation check of the
test suite (tests/privacy_scan.py). Cheap: three compiled patterns; a 16-digit run
counts as a NIK only when its region and birth-date digits could be a NIK's.
"""

from __future__ import annotations

import datetime
import re

# Not the fraction of a decimal number ("0.4293571509999765 s" in a task's log line).
_NIK = re.compile(
    r"(?<![0-9])(?<![0-9][.,])([1-9][0-9])([0-9]{4})([0-7][0-9])([01][0-9])([0-9]{2})([0-9]{4})(?![0-9])"
)
_PHONE = re.compile(r"(?<![0-9A-Za-z])(?:\+62|62|0)8[1-9][0-9]{6,10}(?![0-9])")
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)

# Province codes of Kemendagri (11 Aceh .. 96 Papua Barat Daya).
_PROVINCES = range(11, 97)


def _plausible_nik(m: re.Match) -> bool:
    province, day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4)), m.group(5)
    if province not in _PROVINCES:
        return False
    if day > 40:
        day -= 40
    try:
        datetime.date(2000 + int(year), month, day)
    except ValueError:
        return False
    return True


def find(text: str, *, allowed_emails: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """[(kind, value)] of personal identifiers in text: kind is nik, phone or email."""
    if not text:
        return []
    found = [("nik", m.group(0)) for m in _NIK.finditer(text) if _plausible_nik(m)]
    found += [("phone", m.group(0)) for m in _PHONE.finditer(text)]
    found += [
        ("email", m.group(0))
        for m in _EMAIL.finditer(text)
        if m.group(0).lower() not in allowed_emails
    ]
    return found


def contains(text: str) -> bool:
    return bool(find(text))
