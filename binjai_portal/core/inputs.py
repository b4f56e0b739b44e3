"""Reading values a visitor typed or crafted: ASCII digits only, dates within bounds.

Python's `str.isdigit()` and the regex `\\d` accept every Unicode digit ("²", "١", "０"),
which `int()` then rejects or silently converts; the standard library accepts dates from
year 1 to 9999, whose local midnight cannot always be converted to UTC (the Asia/Jakarta
offset before 1924 was local mean time). Every date that comes from a user goes through
`parse_date` or `validate_year`; every number in a path or parameter is checked with
`is_ascii_digits`.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MIN_YEAR, MAX_YEAR = 1900, 2100
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_COMPACT_DATE = re.compile(r"[0-9]{8}")


def is_ascii_digits(value: str, *, max_length: int = 18) -> bool:
    """True for 1..max_length ASCII digits (an id fits a PostgreSQL bigint)."""
    return 0 < len(value) <= max_length and value.isascii() and value.isdigit()


def year_ok(day: datetime.date) -> bool:
    return MIN_YEAR <= day.year <= MAX_YEAR


def parse_date(value: str | None) -> datetime.date | None:
    """YYYY-MM-DD (or YYYYMMDD) in ASCII digits, a real date between MIN_YEAR and
    MAX_YEAR; None otherwise."""
    value = (value or "").strip()
    if _ISO_DATE.fullmatch(value):
        fmt = "%Y-%m-%d"
    elif _COMPACT_DATE.fullmatch(value):
        fmt = "%Y%m%d"
    else:
        return None
    try:
        day = datetime.datetime.strptime(value, fmt).date()
    except ValueError:
        return None
    return day if year_ok(day) else None


def validate_year(value: datetime.date | None) -> None:
    """Form and serializer validator: a date between MIN_YEAR and MAX_YEAR."""
    if value is not None and not year_ok(value):
        raise ValidationError(
            _("Tahun harus antara %(min)s dan %(max)s."),
            code="year_out_of_range",
            params={"min": MIN_YEAR, "max": MAX_YEAR},
        )
