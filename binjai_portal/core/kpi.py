"""Registry of key figures and dashboard sections, filled by each app's metrics.py.

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
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.module_loading import autodiscover_modules

Number = int | float | Decimal


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    def previous(self) -> Period:
        length = self.end - self.start + datetime.timedelta(days=1)
        return Period(self.start - length, self.start - datetime.timedelta(days=1))


@dataclass(frozen=True)
class Filters:
    period: Period
    kecamatan: str | None = None  # Kemendagri code, e.g. 12.75.02
    agency: str | None = None  # Unit code of an OPD


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


@dataclass
class Registry:
    figures: dict[tuple[str, str], _FigureSpec] = field(default_factory=dict)
    sections: dict[tuple[str, str], _SectionSpec] = field(default_factory=dict)

    def register_figure(self, app, key, *, label, unit="", better="higher", compute) -> None:
        if better not in ("higher", "lower"):
            raise ValueError("better must be 'higher' or 'lower'")
        self.figures[(app, key)] = _FigureSpec(app, key, label, unit, better, compute)

    def register_section(self, app, key, *, compute) -> None:
        self.sections[(app, key)] = _SectionSpec(app, key, compute)

    def compute_figures(self, filters: Filters) -> list[Figure]:
        out = []
        previous = dataclasses.replace(filters, period=filters.period.previous())
        for spec in self.figures.values():
            now, before = spec.compute(filters), spec.compute(previous)
            # Labels are registered in ready(), before any request has a language.
            out.append(Figure(spec.app, spec.key, str(spec.label), str(spec.unit),
                              spec.better, now.value, before.value, now.drilldown_url))
        return out

    def compute_sections(self, filters: Filters) -> list[Section]:
        return [spec.compute(filters) for spec in self.sections.values()]


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


def autodiscover() -> None:
    """Import every installed app's metrics module (called from CoreConfig.ready)."""
    autodiscover_modules("metrics")
