"""One way to show money, numbers and dates everywhere: pages, PDFs, spreadsheets, e-mail.

Indonesian style in Indonesian (``Rp 1.234.567``, ``1.234,5``, ``2 Desember 2026``) and
English style in English (``Rp 1,234,567``, ``1,234.5``, ``2 December 2026``), always in the
active language. Money is whole rupiah with the ``Rp`` prefix; quantities never show
scientific notation (``Decimal("4E+1")`` is ``40``).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, timezone
from django.utils.translation import get_language

RUPIAH = Decimal("1")
EMPTY = "—"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


def _grouped(value: Decimal, places: int | None) -> str:
    # number_format follows the active language's separators; force the grouping so a
    # figure reads the same whether or not USE_THOUSAND_SEPARATOR is set.
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def rupiah(value, *, empty: str = EMPTY) -> str:
    """Whole rupiah: ``Rp 1.234.567`` (``-Rp 5.000`` for a negative amount)."""
    amount = _decimal(value)
    if amount is None:
        return empty
    amount = amount.quantize(RUPIAH, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp\u00a0{_grouped(abs(amount), 0)}"


def number(value, places: int | None = None, *, empty: str = EMPTY) -> str:
    """A count or quantity with grouping; at most ``places`` decimals, trailing zeros dropped.

    Never scientific notation: ``Decimal("4E+1")`` is ``40`` and ``Decimal("2.50")`` is
    ``2,5`` in Indonesian.
    """
    amount = _decimal(value)
    if amount is None:
        return empty
    if places is not None:
        amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    # normalize() drops trailing zeros but may give an exponent (4E+1); quantize back to
    # an integer exponent when the value is whole.
    amount = amount.normalize()
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        amount = amount.quantize(RUPIAH)
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return _grouped(amount, decimals)


def percent(value, places: int = 1, *, empty: str = EMPTY) -> str:
    """``12,5%``: ``value`` is already a percentage (12.5, not 0.125)."""
    text = number(value, places, empty="")
    return f"{text}%" if text else empty


def date(value, *, with_time: bool = False, empty: str = EMPTY) -> str:
    """``2 Desember 2026`` (``2 Desember 2026 07.05`` with the time, in local time)."""
    if value is None or value == "":
        return empty
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        return empty
    text = formats.date_format(day, "j F Y", use_l10n=True)
    if with_time and isinstance(value, datetime.datetime):
        text += f" {time(value)}"
    return text


def time(value, *, empty: str = EMPTY) -> str:
    """A time of day: ``07.05`` in Indonesian, ``07:05`` in English (local time)."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    elif not isinstance(value, datetime.time):
        return empty
    separator = "." if (get_language() or "id").startswith("id") else ":"
    return f"{value:%H}{separator}{value:%M}"
