"""Command center pages: thin views over selectors and services."""

from __future__ import annotations

import functools
import json

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from binjai_portal.core import kpi, pagecache
from binjai_portal.core.actions import FORM, Action, Actions, run_action
from binjai_portal.core.ratelimits import limit
from binjai_portal.core.workflow import timeline

from . import dashboards, exports, selectors, services
from . import workflows as wf
from .forms import AlertActionForm, AlertCloseForm, AlertNoteForm, FiltersForm, OpenDataForm

FORMATS = ("csv", "xlsx", "pdf")


def _busy_is_503(view):
    """A dashboard nobody had computed yet, still being computed by another process
    after dashboards.WAIT_SECONDS: ask the visitor to reload instead of piling up."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except dashboards.DashboardBusy:
            return HttpResponse(
                _("Dasbor sedang dihitung. Muat ulang halaman ini dalam beberapa detik."),
                status=503,
                headers={"Retry-After": "5"},
                content_type="text/plain; charset=utf-8",
            )

    return wrapped


def _dashboard_user(request):
    if not rules.has_perm("command_center.view_dashboard", request.user):
        raise PermissionDenied


def _filters_form(request) -> FiltersForm:
    kecamatan, agencies = selectors.filter_choices()
    return FiltersForm(request.GET or None, kecamatan=kecamatan, agencies=agencies)


def _chart_json(chart: kpi.Chart) -> str:
    return json.dumps(
        {
            "type": chart.kind,
            "labels": list(chart.labels),
            "datasets": [
                {"label": str(s.label), "data": [None if v is None else float(v) for v in s.values]}
                for s in chart.series
            ],
        }
    )


def _chart_table(chart: kpi.Chart) -> kpi.Table:
    """The chart's numbers as a table: the accessible, offline-proof copy."""
    return kpi.Table(
        chart.title,
        (_("Bulan"), *(str(s.label) for s in chart.series)),
        tuple(
            (label, *(s.values[i] for s in chart.series)) for i, label in enumerate(chart.labels)
        ),
    )


@login_required
@require_GET
@_busy_is_503
def index(request):
    _dashboard_user(request)
    form = _filters_form(request)
    filters = form.filters()
    page = selectors.overview_page(filters=filters)
    blocks = page.blocks
    figure_keys = [
        (t.figure.app, t.figure.key, f"{b.title} · {t.figure.label}")
        for b in blocks
        for t in b.tiles
    ]
    wanted = request.GET.get("tren", "")
    app, _sep, key = wanted.partition(".")
    if (app, key) not in kpi.registry.figures and figure_keys:
        app, key = figure_keys[0][0], figure_keys[0][1]
    trend = selectors.trend_monthly(app=app, key=key, filters=filters) if figure_keys else None
    # Per service: its sections, each with (chart, json) for Chart.js and (slug, table).
    services_shown = [
        (
            b,
            [
                (
                    s,
                    [(c, _chart_json(c)) for c in s.charts],
                    [(f"{s.app}-{s.key}-{i}", t) for i, t in enumerate(s.tables)],
                )
                for s in b.sections
            ],
        )
        for b in blocks
        if b.sections
    ]
    return render(
        request,
        "command_center/index.html",
        {
            "form": form,
            "filters": filters,
            "blocks": blocks,
            "services_shown": services_shown,
            "alerts": selectors.alert_summary(),
            "regions": page.regions,
            "version": page.version,
            "trend": trend,
            "trend_json": _chart_json(trend) if trend and trend.labels else "",
            "trend_table": _chart_table(trend) if trend else None,
            "trend_key": f"{app}.{key}",
            "figure_keys": figure_keys,
            "query": request.GET.urlencode(),
            "can_act": rules.has_perm("command_center.act_on_alerts", request.user),
        },
    )


@login_required
@require_GET
@_busy_is_503
def export(request, slug: str, fmt: str):
    _dashboard_user(request)
    if fmt not in FORMATS:
        raise Http404
    filters = _filters_form(request).filters()
    if fmt == "pdf":  # the indicators only: the other tables are long lists
        if slug != "indikator":
            raise Http404
        return exports.indicators_pdf(
            blocks=selectors.overview(filters=filters),
            filters=filters,
            generated_at=timezone.now(),
        )
    table = selectors.export_tables(filters=filters).get(slug)
    if table is None:
        raise Http404
    name = f"bcc-{slug}-{filters.period.start}-{filters.period.end}"
    return exports.table_csv(table, name) if fmt == "csv" else exports.table_xlsx(table, name)


@login_required
@never_cache
@require_GET
@_busy_is_503
def wall(request):
    if not rules.has_perm("command_center.view_wall", request.user):
        raise PermissionDenied
    return render(request, "command_center/wall.html", {"wall": selectors.wall()})


@login_required
@never_cache
@require_GET
@_busy_is_503
def wall_panels(request):
    if not rules.has_perm("command_center.view_wall", request.user):
        raise PermissionDenied
    return render(request, "command_center/_wall_panels.html", {"wall": selectors.wall()})


@login_required
def alert_list(request):
    wall = rules.has_perm("command_center.view_wall", request.user)
    alerts = selectors.alert_list_for_user(user=request.user, limit=100 if wall else 50)
    if not alerts and not wall and not request.user.is_staff:
        raise PermissionDenied
    return render(request, "command_center/alert_list.html", {"alerts": alerts})


# A form per step, each with its note (core/_actions.html); the step is posted as "action".
ALERT_ACTIONS = Actions(
    wf.ALERT,
    Action(
        "acknowledge",
        _lazy("Tandai diketahui"),
        AlertNoteForm,
        lambda alert, user, form: services.alert_acknowledge(
            alert=alert, actor=user, note=form.cleaned_data["note"]
        ),
        success=_lazy("Peringatan ditandai diketahui."),
        button="outline-primary",
    ),
    Action(
        "close",
        _lazy("Tutup peringatan"),
        AlertCloseForm,
        lambda alert, user, form: services.alert_close(
            alert=alert, actor=user, note=form.cleaned_data["note"]
        ),
        success=_lazy("Peringatan ditutup."),
    ),
    prefix=False,
    unavailable=FORM,
)


@login_required
@require_http_methods(["GET", "POST"])
def alert_detail(request, pk: int):
    alert = selectors.alert_get_for_user(user=request.user, pk=pk)

    def page(*, forms_by_name=None, error="", status=200):
        items = ALERT_ACTIONS.items(
            request.user, alert, url=lambda a: request.path, forms_by_name=forms_by_name
        )
        return render(
            request,
            "command_center/alert_detail.html",
            {
                "alert": alert,
                "action_items": items,
                "error": error,
                "entries": timeline(alert, workflow=wf.ALERT, viewer=request.user),
            },
            status=status,
        )

    if request.method != "POST":
        return page()
    chosen = AlertActionForm(request.POST)
    if not chosen.is_valid():
        return page(error=_("Tindakan tidak dikenal."), status=400)

    def render_form(outcome):
        # The refused step's form with its errors; a step this user may not take (not on
        # the page) says why above the others.
        if outcome.action in ALERT_ACTIONS.available(request.user, alert):
            return page(forms_by_name={outcome.action.name: outcome.form}, status=400)
        return page(error=outcome.message, status=400)

    return run_action(
        request, alert, ALERT_ACTIONS, chosen.cleaned_data["action"], render_form=render_form
    )


@require_GET
@pagecache.public_page(*pagecache.SCOPES)
@_busy_is_503
def open_data(request):
    form = OpenDataForm(request.GET or None)
    period = form.period()
    datasets = selectors.open_datasets(period=period)
    return render(
        request,
        "command_center/open_data.html",
        {
            "form": form,
            "period": period,
            "datasets": datasets,
            "query": request.GET.urlencode(),
        },
    )


@require_GET
@limit("open_data", methods=("GET", "HEAD"))
@_busy_is_503
def open_data_download(request, slug: str):
    form = OpenDataForm(request.GET or None)
    period = form.period()
    found = next((d for d in selectors.open_datasets(period=period) if d.slug == slug), None)
    if found is None:
        raise Http404
    return exports.table_csv(found.data, f"{slug}-{period.start}-{period.end}")
