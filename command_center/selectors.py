"""Command center reads: who may look, the overview, the wallboard, the map, open data.

Everything is computed through the KPI registry (the apps' metrics.py) by the beat
task and served from the stored copy (command_center.dashboards), so a page costs a
bounded number of queries however many rows the services hold, and a burst of viewers
or a cache flush costs no recomputation.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

import rules
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binjai_portal.core import kpi
from binjai_portal.core.catalog import SERVICES
from binjai_portal.core.regions import kecamatan_list, village_list

from . import dashboards
from .models import Alert, Snapshot, Target

#: Shared capabilities that register figures but are not a service of the header menu.
SHARED_TITLES = {"billing": gettext_lazy("Retribusi daerah")}


def status_against_target(value, target, better: str) -> str:
    """ "good", "near" (within 10 %), "bad", or "" when there is no value or target."""
    if value is None or target is None:
        return ""
    value, target = Decimal(str(value)), Decimal(str(target))
    margin = abs(target) * Decimal("0.1")
    if better == "lower":
        if value <= target:
            return "good"
        return "near" if value <= target + margin else "bad"
    if value >= target:
        return "good"
    return "near" if value >= target - margin else "bad"


def service_title(app: str) -> str:
    return next((s.title for s in SERVICES if s.slug == app), None) or str(
        SHARED_TITLES.get(app, app)
    )


def service_icon(app: str) -> str:
    return next((s.icon for s in SERVICES if s.slug == app), "grid")


# --- overview ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    figure: kpi.Figure
    target: object  # Decimal or None
    status: str  # "good", "near", "bad" or ""


@dataclass(frozen=True)
class ServiceBlock:
    app: str
    title: str
    icon: str
    tiles: tuple[Tile, ...]
    sections: tuple[kpi.Section, ...]


def _by_app(items, app_of):
    order = [s.slug for s in SERVICES]
    apps = sorted(
        {app_of(i) for i in items}, key=lambda a: (order.index(a) if a in order else len(order), a)
    )
    return apps


def _overview_compute(params: dict, registry: kpi.Registry):
    filters = dashboards.params_filters(params)
    return registry.compute_figures(filters), registry.compute_sections(filters)


def overview(*, filters: kpi.Filters, registry: kpi.Registry | None = None) -> list[ServiceBlock]:
    figures, sections = dashboards.served(
        "overview", dashboards.filters_params(filters), registry=registry
    )
    return _blocks(figures, sections)


@dataclass(frozen=True)
class OverviewPage:
    blocks: list[ServiceBlock]
    regions: RegionTables | None
    version: str  # names the stored copies shown: the page's fragments are cached by it


def overview_page(*, filters: kpi.Filters) -> OverviewPage:
    """The overview and the map by region, each stored copy read once. A filter never
    computed before has both copies computed here, sharing their scans (the complaints
    of the period per kelurahan feed the charts and the map: one scan, not two)."""
    registry = kpi.registry
    params = dashboards.filters_params(filters)
    with kpi.sharing():
        found = dashboards.served_copy("overview", params)
        counts = dashboards.served_copy("regions", params) if registry.region_counts else None
    versions = [found.version]
    regions = None
    if counts is not None:
        versions.append(counts.version)
        regions = _region_tables_from(filters, counts.payload, registry)
    return OverviewPage(_blocks(*found.payload), regions, "|".join(versions))


def _blocks(figures, sections) -> list[ServiceBlock]:
    targets = {(t.app, t.key): t.target for t in Target.objects.all()}
    blocks = []
    for app in _by_app([*figures, *sections], lambda x: x.app):
        tiles = tuple(
            Tile(
                f,
                targets.get((f.app, f.key)),
                status_against_target(f.value, targets.get((f.app, f.key)), f.better),
            )
            for f in figures
            if f.app == app
        )
        blocks.append(
            ServiceBlock(
                app,
                service_title(app),
                service_icon(app),
                tiles,
                tuple(s for s in sections if s.app == app),
            )
        )
    return blocks


def figures_table(blocks: list[ServiceBlock]) -> kpi.Table:
    rows = tuple(
        (
            b.title,
            str(t.figure.label),
            t.figure.value,
            t.figure.previous,
            t.figure.change,
            t.figure.unit,
            t.target,
            t.status,
        )
        for b in blocks
        for t in b.tiles
    )
    return kpi.Table(
        _("Indikator utama"),
        (
            _("Layanan"),
            _("Indikator"),
            _("Nilai"),
            _("Periode sebelumnya"),
            _("Perubahan"),
            _("Satuan"),
            _("Target"),
            _("Status target"),
        ),
        rows,
    )


def alert_list_open(*, limit: int = 20):
    return list(
        Alert.objects.exclude(status=Alert.Status.CLOSED)
        .select_related("unit")
        .order_by("-raised_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class AlertSummary:
    """The open alerts in a few lines: counts by severity and by service, and the newest
    serious ones. The overview shows its tiles first and this beneath the filters."""

    total: int
    danger: int
    warning: int
    by_service: tuple[tuple[str, int], ...]  # (service title, open alerts), most first
    newest: tuple[Alert, ...]


def alert_summary(*, newest: int = 3) -> AlertSummary:
    """Two queries: the counts per service and severity, and the newest serious ones."""
    from django.db.models import Count

    open_alerts = Alert.objects.exclude(status=Alert.Status.CLOSED)
    counts = list(open_alerts.values("app", "severity").annotate(n=Count("pk")).order_by())
    per_app: dict[str, int] = {}
    for r in counts:
        per_app[r["app"]] = per_app.get(r["app"], 0) + r["n"]
    total = sum(per_app.values())
    danger = sum(r["n"] for r in counts if r["severity"] == Alert.Severity.DANGER)
    top = list(
        # "danger" sorts before "warning": the serious ones first, then the newest
        open_alerts.select_related("unit").order_by("severity", "-raised_at", "-pk")[:newest]
    )
    return AlertSummary(
        total,
        danger,
        total - danger,
        tuple(
            (service_title(app), n)
            for app, n in sorted(per_app.items(), key=lambda item: (-item[1], item[0]))
        ),
        tuple(top),
    )


def alert_list_visible(*, user):
    """THE rule of who may open an alert, for the lists (the alert page, the overview,
    the wall) and the detail page alike: whoever sees the wall (dashboard viewers and
    the wallboard) every alert; a unit-bound officer their unit's; nobody else any (a
    city-wide role without the wall, e.g. TAPD, sees none). Acting on an alert is the
    workflow's decision (rules.py: ACT_ROLES), not this one."""
    from binjai_portal.accounts.scoping import scope_queryset

    qs = Alert.objects.select_related("unit")
    if rules.has_perm("command_center.view_wall", user):
        return qs
    if not (user.is_authenticated and user.is_staff) or user.is_citywide:
        return qs.none()
    return scope_queryset(qs, user, unit_field="unit")


def alert_list_for_user(*, user, limit: int = 50):
    qs = alert_list_visible(user=user)
    if rules.has_perm("command_center.view_wall", user):
        qs = qs.exclude(status=Alert.Status.CLOSED).order_by("-raised_at", "-pk")
    else:
        qs = qs.order_by("status", "-raised_at")
    return list(qs[:limit])


def alert_get_for_user(*, user, pk: int) -> Alert:
    from django.http import Http404

    alert = alert_list_visible(user=user).filter(pk=pk).first()
    if alert is None:
        raise Http404
    return alert


def trend(*, app: str, key: str, end: datetime.date, days: int = 365) -> kpi.Chart | None:
    spec = kpi.registry.figures.get((app, key))
    if spec is None:
        return None
    start = end - datetime.timedelta(days=days - 1)
    rows = list(
        Snapshot.objects.filter(app=app, key=key, date__range=(start, end))
        .order_by("date")
        .values_list("date", "value")
    )
    return kpi.Chart(
        "line",
        _("Tren harian: %(label)s") % {"label": spec.label},
        tuple(d.isoformat() for d, _v in rows),
        (kpi.Series(str(spec.label), tuple(v for _d, v in rows)),),
    )


def _trend_compute(params: dict, registry: kpi.Registry) -> kpi.Chart | None:
    """The figure for each of the twelve months up to the filters' end, computed by the
    app for that month (a count is the month's count, a rate the month's rate). Daily
    snapshots of a flow figure were mostly 0 ("Tren setahun" flat at 0 although 40
    proposals came in that month), and never showed the current month."""
    spec = registry.figures.get((params["app"], params["key"]))
    if spec is None:
        return None
    filters = dashboards.params_filters(params)
    end = filters.period.end
    months = []
    year, month = end.year, end.month
    for _i in range(12):
        months.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    labels, values = [], []
    for year, month in reversed(months):
        first = datetime.date(year, month, 1)
        nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
        last = min(nxt - datetime.timedelta(days=1), end)
        found = registry._isolated(  # a failing month is a gap, not a broken page
            spec,
            kpi.Filters(
                kpi.Period(first, last), filters.kecamatan, filters.agency, filters.fiscal_year
            ),
        )
        value = found.value if found is not None else None
        labels.append(formats_month(first))
        values.append(value)
    return kpi.Chart(
        "line",
        _("Tren bulanan: %(label)s") % {"label": spec.label},
        tuple(labels),
        (
            kpi.Series(
                f"{spec.label} ({spec.unit})" if str(spec.unit) else str(spec.label), tuple(values)
            ),
        ),
    )


def formats_month(day: datetime.date) -> str:
    from django.utils import formats

    return formats.date_format(day, "M Y", use_l10n=True)


def trend_monthly(*, app: str, key: str, filters: kpi.Filters) -> kpi.Chart | None:
    if (app, key) not in kpi.registry.figures:
        return None
    params = {**dashboards.filters_params(filters), "app": app, "key": key}
    return dashboards.served("trend", params)


# --- map by region -------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionTables:
    labels: tuple[str, ...]
    kecamatan: kpi.Table
    kelurahan: kpi.Table


def _regions_compute(params: dict, registry: kpi.Registry):
    filters = dashboards.params_filters(params)
    return [spec.compute(filters) for spec in registry.region_counts.values()]


def region_tables(
    *, filters: kpi.Filters, registry: kpi.Registry | None = None
) -> RegionTables | None:
    registry = registry or kpi.registry
    if not registry.region_counts:
        return None
    counts = dashboards.served("regions", dashboards.filters_params(filters), registry=registry)
    return _region_tables_from(filters, counts, registry)


def _region_tables_from(
    filters: kpi.Filters, counts: list[dict[str, int]], registry: kpi.Registry
) -> RegionTables | None:
    if not registry.region_counts:
        return None
    specs = list(registry.region_counts.values())
    labels = tuple(str(s.label) for s in specs)
    villages = list(village_list())
    if filters.kecamatan:
        villages = [v for v in villages if v.parent.code == filters.kecamatan]
    kel_rows, per_kec = [], {}
    for v in villages:
        values = tuple(int(c.get(v.code, 0)) for c in counts)
        kel_rows.append((v.parent.name, v.name, *values))
        acc = per_kec.setdefault(v.parent.name, [0] * len(values))
        for i, n in enumerate(values):
            acc[i] += n
    kel_rows.sort(key=lambda r: (-sum(r[2:]), r[0], r[1]))
    kec_rows = sorted(
        ((name, *vals) for name, vals in per_kec.items()), key=lambda r: (-sum(r[1:]), r[0])
    )
    return RegionTables(
        labels,
        kpi.Table(_("Peringkat kecamatan"), (_("Kecamatan"), *labels), tuple(kec_rows)),
        kpi.Table(
            _("Peringkat kelurahan"), (_("Kecamatan"), _("Kelurahan"), *labels), tuple(kel_rows)
        ),
    )


# --- exports -------------------------------------------------------------------------------


def export_tables(*, filters: kpi.Filters) -> dict[str, kpi.Table]:
    """Every table the overview shows, by a stable slug (the same numbers as the page)."""
    blocks = overview(filters=filters)
    tables = {"indikator": figures_table(blocks)}
    for b in blocks:
        for s in b.sections:
            for i, t in enumerate(s.tables):
                tables[f"{s.app}-{s.key}-{i}"] = t
    regions = region_tables(filters=filters)
    if regions is not None:
        tables["wilayah-kecamatan"] = regions.kecamatan
        tables["wilayah-kelurahan"] = regions.kelurahan
    return tables


def filter_choices():
    from binjai_portal.accounts.models import Unit

    kecamatan = [(r.code, r.name) for r in kecamatan_list().order_by("code")]
    agencies = [
        (u.code, u.short_name or u.name)
        for u in Unit.objects.filter(kind=Unit.Kind.OPD, is_active=True).order_by("name")
    ]
    return kecamatan, agencies


# --- wallboard -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Wall:
    panels: tuple[tuple[str, str, kpi.Table], ...]  # (app, service title, table)
    figures: tuple[kpi.Figure, ...]
    alerts: tuple[Alert, ...]
    at: datetime.datetime
    alert_total: int = 0

    @property
    def slides(self) -> list[WallSlide]:
        return wall_slides(self)


def _wall_compute(params: dict, registry: kpi.Registry):
    today = timezone.localdate()
    filters = kpi.Filters(kpi.Period(today, today))
    panels = [
        (spec.app, service_title(spec.app), spec.compute()) for spec in registry.panels.values()
    ]
    # Until an app registers live panels, its dashboard tables for today stand in.
    with_panels = {spec.app for spec in registry.panels.values()}
    panels += [
        (s.app, service_title(s.app), t)
        for s in registry.compute_sections(filters)
        if s.app not in with_panels
        for t in s.tables
    ]
    figures = tuple(registry.compute_figures(filters))
    return tuple(panels), figures, timezone.now()


WALL_ALERTS = 8  # alerts on the wall's alert panel, in large type


def wall(*, registry: kpi.Registry | None = None) -> Wall:
    panels, figures, at = dashboards.served("wall", {}, registry=registry)
    alerts = Alert.objects.exclude(status=Alert.Status.CLOSED)
    return Wall(
        panels,
        figures,
        tuple(
            alerts.select_related("unit").order_by("severity", "-raised_at", "-pk")[:WALL_ALERTS]
        ),
        at,
        alerts.count(),
    )


# The wall rotates through slides that each fit one screen (1920x1080 and 1366x768 at
# the same 16:9): a service's figures of today with one page of one of its tables.
WALL_ROWS = 6
WALL_FIGURES = 8


@dataclass(frozen=True)
class WallSlide:
    key: str  # stable across refreshes: the rotation keeps its place after a swap
    kind: str  # "alerts" or "service"
    title: str
    figures: tuple[kpi.Figure, ...] = ()
    table: kpi.Table | None = None
    page: int = 1
    pages: int = 1
    more: int = 0  # figures left off (shown on the dashboard)


def wall_slides(wall: Wall) -> list[WallSlide]:
    slides = [WallSlide("alerts", "alerts", _("Peringatan aktif"))]
    apps = _by_app([*wall.figures, *[p[0] for p in wall.panels]], lambda x: getattr(x, "app", x))
    for app in apps:
        figures = tuple(f for f in wall.figures if f.app == app)
        shown, more = figures[:WALL_FIGURES], max(0, len(figures) - WALL_FIGURES)
        tables = [t for a, _title, t in wall.panels if a == app]
        if not tables:
            slides.append(WallSlide(f"{app}", "service", service_title(app), shown, more=more))
            continue
        for n, table in enumerate(tables):
            chunks = [table.rows[i : i + WALL_ROWS] for i in range(0, len(table.rows), WALL_ROWS)]
            chunks = chunks or [()]
            for page, rows in enumerate(chunks, start=1):
                slides.append(
                    WallSlide(
                        f"{app}-{n}-{page}",
                        "service",
                        f"{service_title(app)}: {table.title}",
                        shown,
                        kpi.Table(table.title, table.columns, rows),
                        page,
                        len(chunks),
                        more,
                    )
                )
    return slides


# --- open data -----------------------------------------------------------------------------


CODE_VALUE = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")


@dataclass(frozen=True)
class OpenDataset:
    slug: str
    title: str
    description: str
    data: kpi.Dataset

    def code_columns(self) -> set[int]:
        """Columns of machine codes (``dokter.avg_wait``, ``12.75.02``, ``submitted``): every
        value an identifier, none a number. The CSV keeps them where they are; a reader of
        the page sees the names first and the codes last."""
        codes = set()
        for i in range(len(self.data.columns)):
            values = [row[i] for row in self.data.rows if row[i] not in (None, "")]
            if values and all(isinstance(v, str) and CODE_VALUE.match(v) for v in values):
                codes.add(i)
        return codes if len(codes) < len(self.data.columns) else set()

    def for_reading(self, limit: int = 50) -> tuple[tuple, tuple]:
        """(columns, rows) for the page: names first, codes last, the first `limit` rows;
        each cell a (column, value, is_code) triple so a phone can label it."""
        codes = self.code_columns()
        order = [i for i in range(len(self.data.columns)) if i not in codes] + sorted(codes)
        columns = tuple((self.data.columns[i], i in codes) for i in order)
        rows = tuple(
            tuple((self.data.columns[i], row[i], i in codes) for i in order)
            for row in self.data.rows[:limit]
        )
        return columns, rows


def open_datasets(*, period: kpi.Period, registry: kpi.Registry | None = None) -> list[OpenDataset]:
    """Aggregates only: figures without drill-down links, counts per region, and what
    the apps registered as datasets. Never a row about a person."""
    params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    return dashboards.served("opendata", params, registry=registry)


def _opendata_compute(params: dict, registry: kpi.Registry) -> list[OpenDataset]:
    period = kpi.Period(
        datetime.date.fromisoformat(params["start"]), datetime.date.fromisoformat(params["end"])
    )
    filters = kpi.Filters(period)
    values = registry.compute_values(filters)
    rows = tuple(
        (
            service_title(app),
            f"{app}.{key}",
            str(registry.figures[(app, key)].label),
            str(registry.figures[(app, key)].unit),
            v.value,
            period.start.isoformat(),
            period.end.isoformat(),
        )
        for (app, key), v in values.items()
    )
    out = [
        OpenDataset(
            "indikator-layanan",
            _("Indikator kinerja layanan"),
            _("Nilai indikator utama tiap layanan untuk periode yang dipilih."),
            kpi.Dataset(
                (
                    _("Layanan"),
                    _("Kode"),
                    _("Indikator"),
                    _("Satuan"),
                    _("Nilai"),
                    _("Awal periode"),
                    _("Akhir periode"),
                ),
                rows,
            ),
        )
    ]
    regions = _region_tables_from(
        filters, _regions_compute(dashboards.filters_params(filters), registry), registry
    )
    if regions is not None:
        out.append(
            OpenDataset(
                "jumlah-per-wilayah",
                _("Jumlah per kelurahan"),
                _("Jumlah pengaduan, usulan dan layanan lain per kecamatan dan kelurahan."),
                kpi.Dataset(regions.kelurahan.columns, regions.kelurahan.rows),
            )
        )
    for spec in registry.datasets.values():
        out.append(
            OpenDataset(
                f"{spec.app}-{spec.key}",
                str(spec.title),
                str(spec.description),
                spec.compute(period),
            )
        )
    return out


dashboards.COMPUTE.update(
    {
        "overview": _overview_compute,
        "regions": _regions_compute,
        "wall": _wall_compute,
        "opendata": _opendata_compute,
        "trend": _trend_compute,
    }
)
