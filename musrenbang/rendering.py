"""Proposal cards of the public list and map, written in Python from plain values.

The list shows 20 cards and the map up to 500; one template include per card (with its
translations, URL reversal and filters looked up again for each) was most of those
pages. The rows are dicts from ``selectors.proposal_cards()``; the markup is the
one musrenbang/_card.html had.
"""

from __future__ import annotations

from urllib.parse import quote

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext
from modeltranslation.utils import build_localized_fieldname

from binjai_portal.core.formatting import rupiah
from binjai_portal.core.labels import choice_labels
from binjai_portal.core.templatetags.timeline import render_timeline

from .models import Proposal, Status
from .selectors import proposal_filter_choices

_PLACEHOLDER = "REFERENCE"


def detail_urls():
    """ref -> the proposal's page: one reverse() per request, not one per card."""
    base = reverse("musrenbang:detail", args=[_PLACEHOLDER])
    head, _sep, tail = base.partition(_PLACEHOLDER)
    return lambda ref: f"{head}{quote(str(ref), safe='')}{tail}"


def category_name(row: dict) -> str:
    """The bidang's name in the active language, falling back to Indonesian (as the
    model's translated field does)."""
    return (
        row.get(build_localized_fieldname("category__name", get_language() or "id"))
        or row.get("category__name_ind")
        or row.get("category__name")
        or ""
    )


def render_cards(rows) -> SafeString:
    esc = conditional_escape
    url = detail_urls()
    labels = choice_labels(Status)
    kel, kec = esc(gettext("Kel.")), esc(gettext("Kec."))
    out = []
    for r in rows:
        status = r["status"]
        parent = r["kelurahan__parent__name"]
        region = f"{kel} {esc(r['kelurahan__name'])}"
        if parent:
            region += f", {kec} {esc(parent)}"
        n = r["support_count"]
        support = ngettext("%(n)s dukungan", "%(n)s dukungan", n) % {"n": n}
        out.append(
            '<li class="list-group-item mus-item">\n'
            '  <div class="d-flex justify-content-between gap-2 flex-wrap">\n'
            f'    <a class="fw-semibold" href="{esc(url(r["reference"]))}">{esc(r["title"])}</a>\n'
            f'    <span class="badge mus-status mus-{esc(status)}">'
            f"{esc(labels.get(status, status))}</span>\n"
            "  </div>\n"
            '  <div class="small text-body-secondary">\n'
            f"    {esc(r['reference'])} &middot; {region}\n"
            f"    &middot; {esc(category_name(r))}\n"
            "  </div>\n"
            '  <div class="small">\n'
            f'    <i class="bi bi-hand-thumbs-up" aria-hidden="true"></i> {esc(support)}\n'
            f"    &middot; {esc(rupiah(r['estimated_cost']))}\n"
            "  </div>\n"
            "</li>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


# --- the public list's filter form ------------------------------------------------------

_UNBOUND: dict[str | None, tuple[object, SafeString]] = {}


def _fields_html(form) -> SafeString:
    """partials/form.html's markup for a form without errors, help texts or hidden
    fields: each field's label and widget, without a template per field."""
    out = []
    for bf in form.visible_fields():
        css = f"bp-field bp-field--{bf.widget_type}"
        if bf.field.required:
            css += " bp-field--required"
        label = bf.label_tag() if bf.label else ""
        out.append(f'<div class="{css}">\n    {label}\n{bf}\n  </div>\n')
    return mark_safe("".join(out))  # noqa: S308 - label_tag() and widgets escape


def filter_form_unfiltered() -> SafeString:
    """The filter form as an unfiltered visit sees it: the same HTML for every visitor
    of a language while the choices (selectors.proposal_filter_choices(), kept per
    generation) are the same object, built once, without a form each time."""
    from .forms import ProposalFilter  # forms import this app's selectors

    lang = get_language()
    choices = proposal_filter_choices()
    kept = _UNBOUND.get(lang)
    if kept is not None and kept[0] is choices:
        return kept[1]
    html = _fields_html(ProposalFilter(None, queryset=Proposal.objects.none()).form)
    _UNBOUND[lang] = (choices, html)
    return html


def filter_form_html(filterset) -> SafeString:
    """The fields of a bound filter form; one with errors renders through
    partials/form.html, as every other form."""
    form = filterset.form
    if form.errors or form.hidden_fields() or any(bf.help_text for bf in form):
        return render_to_string("partials/form.html", {"form": form})
    return _fields_html(form)


# --- "Usulan saya" ----------------------------------------------------------------------


def render_own(rows) -> SafeString:
    """The citizen's proposals, each with its history: (proposal, entries or None)."""
    esc = conditional_escape
    url = detail_urls()
    labels = choice_labels(Status)
    note_label = esc(gettext("Alasan/catatan:"))
    history = esc(gettext("Riwayat"))
    out = []
    for p, entries in rows:
        note = (
            f'<p class="mb-1"><strong>{note_label}</strong> {esc(p.decision_note)}</p>'
            if p.decision_note
            else ""
        )
        timeline = ""
        if entries is not None:
            timeline = (
                f"\n        <details><summary>{history}</summary>"
                f"{render_timeline(entries)}</details>\n      "
            )
        out.append(
            '\n    <article class="card mb-3"><div class="card-body">\n'
            f'      <h2 class="h5"><a href="{esc(url(p.reference))}">{esc(p.title)}</a></h2>\n'
            f'      <p class="mb-1"><span class="badge mus-status mus-{esc(p.status)}">'
            f"{esc(labels.get(p.status, p.status))}</span> {esc(p.reference)} &middot; "
            f"{esc(p.cycle.plan_year)}</p>\n"
            f"      {note}\n      {timeline}\n    </div></article>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
