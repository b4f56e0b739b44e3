"""The status history of a record, ``{% load timeline %}{% timeline entries %}``.

Written in Python, not as a template included once per row: a citizen's "Usulan saya"
page shows twenty histories, and each row through the template engine cost more than
the rest of the card. The markup is the one ``core/timeline.html`` always had (that
template now calls this tag, so ``{% include "core/timeline.html" with entries=... %}``
keeps working). ``entries`` come from ``core.workflow.timeline``/``timelines``.
"""

from __future__ import annotations

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext

register = template.Library()

_HEAD = (
    '<section class="bp-timeline" aria-labelledby="timeline-heading">\n'
    '  <h2 id="timeline-heading" class="h5">{}</h2>\n  '
)


def _note(note) -> str:
    """``{{ note|linebreaksbr }}``: escaped, each line break a <br>."""
    return normalize_newlines(conditional_escape(note)).replace("\n", "<br>")


def _when(value) -> tuple[str, str]:
    if not value:
        return "", ""
    if is_aware(value):
        value = localtime(value)
    return date_format(value, "c"), date_format(value, "j M Y H:i")


def render_timeline(entries) -> str:
    esc = conditional_escape
    out = [_HEAD.format(esc(gettext("Riwayat status")))]
    if entries:
        out.append('\n  <ol class="list-unstyled border-start border-2 ps-3 mb-0">\n    ')
        becomes = (
            ' <span aria-hidden="true">&rarr;</span><span class="visually-hidden">'
            f"{esc(gettext('menjadi'))}</span> "
        )
        for e in entries:
            iso, shown = _when(e.when)
            change = esc(e.to_label)
            if e.from_label:
                change = esc(e.from_label) + becomes + change
            note = '<p class="mb-0 mt-1">' + _note(e.note) + "</p>" if e.note else ""
            out.append(
                '\n    <li class="mb-3">\n      <div class="fw-semibold">\n        '
                f"{change}"
                '\n      </div>\n      <div class="small text-body-secondary">\n        '
                f'<time datetime="{esc(iso)}">{esc(shown)}</time> &middot; {esc(e.actor)}'
                f"\n      </div>\n      {note}\n    </li>\n    "
            )
        out.append("\n  </ol>\n  ")
    else:
        out.append(
            f'\n  <p class="text-body-secondary">{esc(gettext("Belum ada riwayat."))}</p>\n  '
        )
    out.append("\n</section>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag(name="timeline")
def timeline_tag(entries):
    return render_timeline(entries)
