"""Amounts in Indonesian words ("terbilang"), as written on an SKRD and a receipt."""

from __future__ import annotations

from decimal import Decimal

_ONES = (
    "",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))


def _words(n: int) -> str:
    if n < 12:
        return _ONES[n]
    if n < 20:
        return f"{_ONES[n - 10]} belas"
    if n < 100:
        rest = n % 10
        return f"{_ONES[n // 10]} puluh" + (f" {_ONES[rest]}" if rest else "")
    if n < 200:
        return "seratus" + (f" {_words(n - 100)}" if n > 100 else "")
    if n < 1000:
        rest = n % 100
        return f"{_ONES[n // 100]} ratus" + (f" {_words(rest)}" if rest else "")
    if n < 2000:
        return "seribu" + (f" {_words(n - 1000)}" if n > 1000 else "")
    if n < 10**6:
        rest = n % 1000
        return f"{_words(n // 1000)} ribu" + (f" {_words(rest)}" if rest else "")
    for scale, name in _SCALES:
        if n >= scale:
            rest = n % scale
            return f"{_words(n // scale)} {name}" + (f" {_words(rest)}" if rest else "")
    raise ValueError(n)


def terbilang(amount) -> str:
    """'seratus lima puluh ribu rupiah' for 150000 (whole rupiah; sen are written too)."""
    value = Decimal(amount)
    if value < 0 or value >= Decimal(10) ** 15:
        raise ValueError("amount out of range")
    whole = int(value)
    sen = int((value - whole) * 100)
    text = (_words(whole) if whole else "nol") + " rupiah"
    if sen:
        text += f" {_words(sen)} sen"
    return text
