"""Template filters for money, numbers and dates: ``{% load formatting %}``.

``{{ amount|rupiah }}`` → Rp 1.234.567 · ``{{ volume|angka }}`` → 40 ·
``{{ ratio|angka:2 }}`` → 1,25 · ``{{ share|persen }}`` → 12,5% ·
``{{ day|tanggal }}`` → 2 Desember 2026 · ``{{ moment|tanggal_jam }}`` → 2 Desember 2026 07.05.
The rules live in ``binjai_portal.core.formatting`` so PDFs, spreadsheets and e-mail use the
same functions.
"""

from django import template

from binjai_portal.core import formatting

register = template.Library()


@register.filter
def rupiah(value):
    return formatting.rupiah(value)


@register.filter
def angka(value, places=None):
    return formatting.number(value, None if places in (None, "") else int(places))


@register.filter
def persen(value, places=1):
    return formatting.percent(value, int(places))


@register.filter
def tanggal(value):
    return formatting.date(value)


@register.filter
def tanggal_jam(value):
    return formatting.date(value, with_time=True)
