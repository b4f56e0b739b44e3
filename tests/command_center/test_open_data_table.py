"""The open data page's tables, built in Python (`open_data_rows`): the same markup as the
template loop they replaced, escaped, and the page's cost flat in its rows."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.urls import reverse

from command_center.selectors import OpenDataset
from tests.core.test_pagecache import _normalised

pytestmark = pytest.mark.django_db

OLD_LOOP = Template(
    "{% load i18n command_center %}{% with view=d.for_reading %}"
    '<thead><tr>{% for c, is_code in view.0 %}<th scope="col"{% if is_code %} class="od-code"'
    "{% endif %}>{{ c }}</th>{% endfor %}</tr></thead><tbody>{% for row in view.1 %}<tr>"
    "{% for c, v, is_code in row %}{% if forloop.first %}"
    '<th scope="row" class="od-first fw-semibold" data-label="{{ c }}">{{ v|num }}</th>'
    '{% else %}<td data-label="{{ c }}" class="{% if is_code %}od-code{% endif %}'
    '{% if v|is_number %} text-end od-number{% endif %}">{{ v|num }}</td>{% endif %}'
    '{% endfor %}</tr>{% empty %}<tr><td colspan="{{ d.data.columns|length }}">'
    '{% translate "Belum ada data." %}</td></tr>{% endfor %}</tbody>{% endwith %}'
)
NEW = Template("{% load command_center %}{% open_data_rows d %}")


def _dataset(columns, rows):
    data = SimpleNamespace(columns=columns, rows=rows)
    return OpenDataset(slug="uji", title="Uji", description="", data=data)


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [
            ("Binjai <Kota> & Timur", 1234567, Decimal("12.5"), None, "12.75.01"),
            ("Binjai Utara", 0, 3.14159, datetime.date(2026, 12, 3), "12.75.02"),
        ],
    ],
)
def test_the_table_is_the_markup_of_the_old_loop(rows):
    columns = ["wilayah", "jumlah", "rata<rata>", "tanggal", "kode_wilayah"]
    dataset = _dataset(columns, rows)
    context = {"d": dataset}
    old = OLD_LOOP.render(Context(context))
    new = NEW.render(Context(context))
    assert _normalised(new) == _normalised(old)
    if rows:
        assert "<Kota>" not in new and "&lt;Kota&gt; &amp; Timur" in new
        assert 'class="od-code"' in new  # the codes column found and marked


def test_the_open_data_page_renders(client, regions, settings):
    settings.PAGECACHE_ENABLED = False
    page = client.get(reverse("command_center:open-data"))
    assert page.status_code == 200
    assert 'class="od-first fw-semibold"' in page.content.decode()
