"""Figures for display, through binjai_portal.core.formatting (one way everywhere)."""

from decimal import Decimal

from django import template
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
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


CODE_CLASS = ' class="od-code"'
ROW_HEADER = 'class="od-first fw-semibold"'
NUMBER_CLASS = " text-end od-number"


@register.simple_tag(takes_context=True)
def open_data_rows(context, dataset):
    """The open data table's head row and body, built here rather than by a template loop
    per cell (50 rows of up to 10 cells: most of the page's cost). The same markup as
    the loop it replaced: the first cell a row header, every cell labelled by its column
    for the phone layout, codes and numbers marked for the stylesheet."""
    columns, rows = dataset.for_reading()
    esc = conditional_escape
    head = "".join(
        f'<th scope="col"{CODE_CLASS if is_code else ""}>{esc(c)}</th>' for c, is_code in columns
    )
    body = []
    for row in rows:
        cells = []
        for i, (c, v, is_code) in enumerate(row):
            text = render_value_in_context(num(v), context)
            if i == 0:
                cells.append(f'<th scope="row" {ROW_HEADER} data-label="{esc(c)}">{text}</th>')
            else:
                css = ("od-code" if is_code else "") + (NUMBER_CLASS if _is_number(v) else "")
                cells.append(f'<td data-label="{esc(c)}" class="{css}">{text}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not rows:
        empty = esc(_("Belum ada data."))
        body.append(f'<tr><td colspan="{len(dataset.data.columns)}">{empty}</td></tr>')
    # Every value and column name above went through conditional_escape.
    return mark_safe(f"<thead><tr>{head}</tr></thead>\n<tbody>{''.join(body)}</tbody>")  # noqa: S308
