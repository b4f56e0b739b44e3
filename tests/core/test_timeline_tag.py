# ruff: noqa: E501 - the reference template keeps its long lines
"""The timeline tag prints what the timeline template printed, one row at a time."""

import datetime

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from binjai_portal.core.templatetags.timeline import render_timeline
from binjai_portal.core.workflow import TimelineEntry

# The template as it was before the tag (one template pass per row): the reference.
TEMPLATE = """{% load i18n %}
{# Include with: {% include "core/timeline.html" with entries=timeline %} (entries from core.workflow.timeline) #}
<section class="bp-timeline" aria-labelledby="timeline-heading">
  <h2 id="timeline-heading" class="h5">{% translate "Riwayat status" %}</h2>
  {% if entries %}
  <ol class="list-unstyled border-start border-2 ps-3 mb-0">
    {% for e in entries %}
    <li class="mb-3">
      <div class="fw-semibold">
        {% if e.from_label %}{{ e.from_label }} <span aria-hidden="true">&rarr;</span><span class="visually-hidden">{% translate "menjadi" %}</span> {% endif %}{{ e.to_label }}
      </div>
      <div class="small text-body-secondary">
        <time datetime="{{ e.when|date:'c' }}">{{ e.when|date:"j M Y H:i" }}</time> &middot; {{ e.actor }}
      </div>
      {% if e.note %}<p class="mb-0 mt-1">{{ e.note|linebreaksbr }}</p>{% endif %}
    </li>
    {% endfor %}
  </ol>
  {% else %}
  <p class="text-body-secondary">{% translate "Belum ada riwayat." %}</p>
  {% endif %}
</section>
"""


def _entries():
    when = timezone.make_aware(datetime.datetime(2026, 3, 5, 23, 30), datetime.UTC)
    return [
        TimelineEntry(when=when, from_label="", to_label=_("Diajukan"), actor="Warga", note=""),
        TimelineEntry(
            when=when + datetime.timedelta(days=40),
            from_label=_("Diajukan"),
            to_label="Ditolak <b>",
            actor="Kantor & Co",
            note="Baris satu\r\nbaris <dua>\n\ntiga",
        ),
        TimelineEntry(
            when=when, from_label="A", to_label="B", actor=None, note=mark_safe("<i>sah</i>")
        ),
    ]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("entries", [[], "rows"])
def test_the_tag_prints_what_the_template_printed(language, entries):
    entries = _entries() if entries == "rows" else entries
    with translation.override(language):
        expected = Template(TEMPLATE).render(Context({"entries": entries}))
        assert render_timeline(entries) == expected.lstrip("\n")
        # the template of old still works for any include left
        assert render_to_string("core/timeline.html", {"entries": entries}).strip() == (
            expected.strip()
        )


def test_english_labels_and_local_time():
    with translation.override("en"):
        html = render_timeline(_entries())
    assert "Status history" in html and "Baris satu<br>baris &lt;dua&gt;<br><br>tiga" in html
    assert 'datetime="2026-03-06T06:30:00+07:00"' in html and "<i>sah</i>" in html
    assert "Ditolak &lt;b&gt;" in html and "Kantor &amp; Co" in html
