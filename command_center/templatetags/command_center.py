from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def num(value):
    """A figure for display: grouped digits, at most two decimals, "—" when missing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, int) or value == int(value):
        return number_format(int(value), 0, use_l10n=True, force_grouping=True)
    return number_format(
        round(Decimal(str(value)), 2).normalize(), None, use_l10n=True, force_grouping=True
    )


@register.filter
def is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
