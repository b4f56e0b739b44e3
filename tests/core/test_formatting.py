"""One way to show money, numbers and dates (pages, PDFs, spreadsheets, e-mail)."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from binjai_portal.core import formatting


@pytest.mark.parametrize(
    ("value", "indonesian", "english"),
    [
        (Decimal("521440000"), "Rp\u00a0521.440.000", "Rp\u00a0521,440,000"),
        (300000, "Rp\u00a0300.000", "Rp\u00a0300,000"),
        (Decimal("1250000000.50"), "Rp\u00a01.250.000.001", "Rp\u00a01,250,000,001"),
        (Decimal("-5000"), "-Rp\u00a05.000", "-Rp\u00a05,000"),
        (0, "Rp\u00a00", "Rp\u00a00"),
    ],
)
def test_money_is_whole_rupiah_with_the_languages_grouping(value, indonesian, english):
    with translation.override("id"):
        assert formatting.rupiah(value) == indonesian
    with translation.override("en"):
        assert formatting.rupiah(value) == english


@pytest.mark.parametrize(
    ("value", "places", "indonesian", "english"),
    [
        (Decimal("4E+1"), None, "40", "40"),
        (Decimal("3E+1"), None, "30", "30"),
        (Decimal("2.50"), None, "2,5", "2.5"),
        (Decimal("1234.5678"), 2, "1.234,57", "1,234.57"),
        (1500, None, "1.500", "1,500"),
        (Decimal("12.0000"), None, "12", "12"),
    ],
)
def test_quantities_never_show_scientific_notation(value, places, indonesian, english):
    with translation.override("id"):
        assert formatting.number(value, places) == indonesian
    with translation.override("en"):
        assert formatting.number(value, places) == english


def test_empty_and_garbage_show_a_dash_not_an_error():
    assert formatting.rupiah(None) == formatting.EMPTY
    assert formatting.number("abc") == formatting.EMPTY
    assert formatting.date(None) == formatting.EMPTY


def test_dates_are_spelled_in_the_active_language_in_local_time():
    moment = datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC)  # 06.30 WIB on the 2nd
    with translation.override("id"), timezone.override("Asia/Jakarta"):
        assert formatting.date(moment) == "2 Desember 2026"
        assert formatting.date(moment, with_time=True) == "2 Desember 2026 06.30"
    with translation.override("en"), timezone.override("Asia/Jakarta"):
        assert formatting.date(datetime.date(2026, 12, 2)) == "2 December 2026"


def test_template_filters_use_the_same_rules():
    template = Template(
        "{% load formatting %}{{ a|rupiah }}|{{ v|angka }}|{{ r|angka:2 }}|{{ p|persen }}|"
        "{{ d|tanggal }}"
    )
    with translation.override("id"):
        out = template.render(
            Context(
                {
                    "a": Decimal("180000000"),
                    "v": Decimal("4E+1"),
                    "r": Decimal("1.255"),
                    "p": Decimal("12.5"),
                    "d": datetime.date(2027, 1, 1),
                }
            )
        )
    assert out == "Rp\u00a0180.000.000|40|1,26|12,5%|1 Januari 2027"
