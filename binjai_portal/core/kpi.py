"""Registry of key figures and dashboard sections, filled by each app's metrics.py (and
the scale data generators, by each app's scale.py).

The command center renders whatever is registered and imports no app, as Wagtail's
admin home collects panels. Computations take a Filters value and return frozen
dataclasses, never querysets.

    # dokter/metrics.py
    from binjai_portal.core import kpi

    @kpi.figure("dokter", "avg_wait", label=_("Rata-rata tunggu"), unit="menit", better="lower")
    def avg_wait(filters: kpi.Filters) -> kpi.Value: ...
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)

Number = int | float | Decimal


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    def datetimes(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start, end) as aware datetimes in the portal's time zone: filter timestamps
        with `__gte`/`__lt` on these, which an index on the column serves (`__date` would
        cast every row)."""
        from django.utils import timezone

        tz = timezone.get_current_timezone()
        return (
            datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(
                self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
            ),
        )

    def previous(self) -> Period:
        length = self.end - self.start + datetime.timedelta(days=1)
        return Period(self.start - length, self.start - datetime.timedelta(days=1))


@dataclass(frozen=True)
class Filters:
    period: Period
    kecamatan: str | None = None  # Kemendagri code, e.g. 12.75.02
    agency: str | None = None  # Unit code of an OPD
    # The budget year (APBD) a budget figure is about. None: the newest one planned by the
    # period's end (the year after it while next year's budget is being drawn up).
    fiscal_year: int | None = None


@dataclass(frozen=True)
class Value:
    value: Number | None
    drilldown_url: str = ""


@dataclass(frozen=True)
class Figure:
    app: str
    key: str
    label: str
    unit: str
    better: str  # "higher" or "lower"
    value: Number | None
    previous: Number | None
    drilldown_url: str = ""
    failed: bool = False  # the app's computation raised: shown as "not available"

    @property
    def change(self) -> Number | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[Number, ...]


@dataclass(frozen=True)
class Chart:
    kind: str  # Chart.js type: "bar", "line", "doughnut"
    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]


@dataclass(frozen=True)
class Section:
    app: str
    key: str
    title: str
    charts: tuple[Chart, ...] = ()
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class _FigureSpec:
    app: str
    key: str
    label: object  # str or lazy translation: made a str for each request's language
    unit: object
    better: str
    compute: Callable[[Filters], Value]


@dataclass(frozen=True)
class _SectionSpec:
    app: str
    key: str
    compute: Callable[[Filters], Section]


# --- hooks beyond figures and sections (command center: wallboard, alerts, map, open
# data, scale data). Each app registers what it can; the command center renders what is
# there and never imports an app.


@dataclass(frozen=True)
class AlertCause:
    """One reason to raise an alert, found by an app's alert rule.

    key identifies the cause for good (e.g. "masyarakat:overdue:ADU-2025-00042"): the
    command center raises one alert per key, never a second one for the same key.
    unit_codes are the Unit codes whose officers are responsible (their inbox is told).
    Text must carry no personal data: it goes into e-mails. title and body are a
    `core.notifications.Text` (a message key and its values, shown in each reader's
    language); a plain string is stored as it is.
    """

    key: str
    title: Any
    body: Any = ""
    url: str = ""
    unit_codes: tuple[str, ...] = ()
    severity: str = "warning"  # "warning" or "danger"


@dataclass(frozen=True)
class Dataset:
    """An open dataset's content for a period: aggregates only, never personal data."""

    columns: tuple[str, ...]
    rows: tuple[tuple, ...]


@dataclass(frozen=True)
class _PanelSpec:
    app: str
    key: str
    compute: Callable[[], Table]  # live state, no filters: the wallboard shows "now"


@dataclass(frozen=True)
class _AlertRuleSpec:
    app: str
    key: str
    compute: Callable[[datetime.date], Iterable[AlertCause]]


@dataclass(frozen=True)
class _RegionCountSpec:
    app: str
    key: str
    label: object
    # kelurahan Region code -> count, for the filters' period (and kecamatan/agency)
    compute: Callable[[Filters], dict[str, int]]


@dataclass(frozen=True)
class _DatasetSpec:
    app: str
    key: str
    title: object
    description: object
    compute: Callable[[Period], Dataset]


@dataclass(frozen=True)
class _ScaleGeneratorSpec:
    app: str
    order: int
    # generate(factor, log): factor 1.0 = the full city-scale set of the app's rows
    generate: Callable[[float, Callable[[str], None]], None]


@dataclass
class Registry:
    figures: dict[tuple[str, str], _FigureSpec] = field(default_factory=dict)
    sections: dict[tuple[str, str], _SectionSpec] = field(default_factory=dict)
    panels: dict[tuple[str, str], _PanelSpec] = field(default_factory=dict)
    alert_rules: dict[tuple[str, str], _AlertRuleSpec] = field(default_factory=dict)
    region_counts: dict[tuple[str, str], _RegionCountSpec] = field(default_factory=dict)
    datasets: dict[tuple[str, str], _DatasetSpec] = field(default_factory=dict)
    scale_generators: dict[str, _ScaleGeneratorSpec] = field(default_factory=dict)

    def register_figure(self, app, key, *, label, unit="", better="higher", compute) -> None:
        if better not in ("higher", "lower"):
            raise ValueError("better must be 'higher' or 'lower'")
        self.figures[(app, key)] = _FigureSpec(app, key, label, unit, better, compute)

    def register_section(self, app, key, *, compute) -> None:
        self.sections[(app, key)] = _SectionSpec(app, key, compute)

    @staticmethod
    def _isolated(spec, filters):
        """One app's broken figure or section must not take the whole dashboard (or the
        snapshot job) down: log it, and let the caller show it as not available."""
        try:
            return spec.compute(filters)
        except Exception:
            logger.exception("KPI %s.%s failed", spec.app, spec.key)
            return None

    def compute_figures(self, filters: Filters) -> list[Figure]:
        """Each figure for this period and the previous one (for the change shown on the
        tile): each computation once and isolated (a failed one is logged and shown as not
        available; its previous period is not computed), and what figures have in common
        computed once for all of them (`sharing`)."""
        previous = dataclasses.replace(filters, period=filters.period.previous())
        with sharing():
            return [self._figure(spec, filters, previous) for spec in self.figures.values()]

    def _figure(self, spec: _FigureSpec, filters: Filters, previous: Filters) -> Figure:
        now = self._isolated(spec, filters)
        before = self._isolated(spec, previous) if now is not None else None
        # Labels are registered in ready(), before any request has a language.
        return Figure(
            spec.app,
            spec.key,
            str(spec.label),
            str(spec.unit),
            spec.better,
            now.value if now is not None else None,
            before.value if before is not None else None,
            now.drilldown_url if now is not None else "",
            failed=now is None,
        )

    def compute_sections(self, filters: Filters) -> list[Section]:
        with sharing():
            sections = [self._isolated(spec, filters) for spec in self.sections.values()]
        return [s for s in sections if s is not None]

    def compute_values(self, filters: Filters) -> dict[tuple[str, str], Value]:
        """Each figure for this period only (no previous period): for daily snapshots and
        open data. A figure whose computation failed is left out (and logged)."""
        with sharing():
            values = [(k, self._isolated(spec, filters)) for k, spec in self.figures.items()]
        return {k: v for k, v in values if v is not None}

    def register_panel(self, app, key, *, compute) -> None:
        self.panels[(app, key)] = _PanelSpec(app, key, compute)

    def register_alert_rule(self, app, key, *, compute) -> None:
        self.alert_rules[(app, key)] = _AlertRuleSpec(app, key, compute)

    def register_region_count(self, app, key, *, label, compute) -> None:
        self.region_counts[(app, key)] = _RegionCountSpec(app, key, label, compute)

    def register_dataset(self, app, key, *, title, description="", compute) -> None:
        self.datasets[(app, key)] = _DatasetSpec(app, key, title, description, compute)

    def register_scale_generator(self, app, *, generate, order=50) -> None:
        self.scale_generators[app] = _ScaleGeneratorSpec(app, order, generate)


registry = Registry()


def figure(app: str, key: str, *, label, unit="", better="higher"):
    """Decorator form of registry.register_figure."""

    def decorator(func: Callable[[Filters], Value]):
        registry.register_figure(app, key, label=label, unit=unit, better=better, compute=func)
        return func

    return decorator


def section(app: str, key: str):
    def decorator(func: Callable[[Filters], Section]):
        registry.register_section(app, key, compute=func)
        return func

    return decorator


def panel(app: str, key: str):
    """A live wallboard panel: func() -> Table of the state right now."""

    def decorator(func: Callable[[], Table]):
        registry.register_panel(app, key, compute=func)
        return func

    return decorator


def alert_rule(app: str, key: str):
    """func(today) -> iterable of AlertCause; evaluated by the command center's beat task."""

    def decorator(func: Callable[[datetime.date], Iterable[AlertCause]]):
        registry.register_alert_rule(app, key, compute=func)
        return func

    return decorator


def region_count(app: str, key: str, *, label):
    """func(filters) -> {kelurahan code: count}, for the command center's map by region."""

    def decorator(func: Callable[[Filters], dict[str, int]]):
        registry.register_region_count(app, key, label=label, compute=func)
        return func

    return decorator


def dataset(app: str, key: str, *, title, description=""):
    """An open dataset: func(period) -> Dataset of aggregates (no personal data)."""

    def decorator(func: Callable[[Period], Dataset]):
        registry.register_dataset(app, key, title=title, description=description, compute=func)
        return func

    return decorator


def scale_generator(app: str, *, order: int = 50):
    """func(factor, log) writing the app's share of the city-scale data set."""

    def decorator(func):
        registry.register_scale_generator(app, generate=func, order=order)
        return func

    return decorator


_shared: ContextVar[dict | None] = ContextVar("kpi_shared", default=None)


@contextmanager
def sharing():
    """Within this block, `shared(key, compute)` computes each key once: two figures of
    one scan (a median and a rate of the same rows), a figure whose previous period is the
    same computation (the budget year of both periods), or the overview and the map of
    one period refreshed back to back. Outside it, every call computes afresh. A block
    inside another shares the outer one's values. What is shared must not depend on the
    language (numbers, codes, names from the database): the beat task shares one block
    across the copies of every language."""
    if _shared.get() is not None:
        yield
        return
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def shared(key, compute: Callable[[], object]):
    memo = _shared.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def autodiscover() -> None:
    """Import every installed app's metrics module (its figures, sections and hooks) and
    scale module (its scale data generator), called from CoreConfig.ready."""
    autodiscover_modules("metrics", "scale")
