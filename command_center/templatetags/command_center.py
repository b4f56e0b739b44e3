"""Figures for display, through binjai_portal.core.formatting (one way everywhere)."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from binjai_portal.core import formatting

register = template.Library()


def _is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


@register.filter
def num(value):
    """A table cell: a number grouped with at most two decimals, "—" when missing,
    anything else as it is."""
    if value is None or value == "":
        return formatting.EMPTY
    if not _is_number(value):
        return value
    return formatting.number(value, 2)


@register.filter
def figure(value, unit=""):
    """A tile's value in its unit: rupiah, percent or a number (the unit shown beside)."""
    unit = str(unit or "")
    if unit == "Rp":
        return formatting.rupiah(value)
    if unit == "%":
        return formatting.percent(value)
    return formatting.number(value, 2)


@register.filter
def figure_unit(unit):
    """The unit shown after a figure: none for rupiah and percent (already in it)."""
    unit = str(unit or "")
    return "" if unit in ("Rp", "%") else unit


SCALES = (
    (Decimal(10) ** 12, "triliun"),
    (Decimal(10) ** 9, "miliar"),
    (Decimal(10) ** 6, "juta"),
)


def _scale_word(word: str) -> str:
    return {"triliun": _("triliun"), "miliar": _("miliar"), "juta": _("juta")}[word]


@register.filter
def compact(value, unit=""):
    """A figure for the wallboard, short enough for one line in large type:
    ``Rp 1,91 miliar`` rather than ``Rp 1.905.000.000``."""
    unit = str(unit or "")
    if not _is_number(value):
        return figure(value, unit)
    amount = Decimal(str(value))
    for size, word in SCALES:
        if abs(amount) >= size:
            text = f"{formatting.number(amount / size, 2)}\u00a0{_scale_word(word)}"
            return f"Rp\u00a0{text}" if unit == "Rp" else text
    return figure(value, unit)


@register.filter
def magnitude(value):
    """A change without its sign, for "turun 1" beside a downward arrow (not "-1")."""
    return abs(value) if _is_number(value) else value


@register.filter
def is_number(value) -> bool:
    return _is_number(value)
