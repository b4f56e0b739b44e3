"""The KPI registry: apps register figures and sections, the command center computes
whatever is registered for a period and filters, as frozen dataclasses."""

import dataclasses
import datetime
import sys
import textwrap

import pytest
from django.utils import translation
from django.utils.functional import lazy

from binjai_portal.core import kpi
from binjai_portal.core.models import Closure

D = datetime.date
MARCH = kpi.Period(D(2025, 3, 1), D(2025, 3, 31))


# --- Period ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (MARCH, kpi.Period(D(2025, 1, 29), D(2025, 2, 28))),  # 31 days back
        (kpi.Period(D(2025, 3, 31), D(2025, 3, 31)), kpi.Period(D(2025, 3, 30), D(2025, 3, 30))),
        (kpi.Period(D(2025, 3, 24), D(2025, 3, 30)), kpi.Period(D(2025, 3, 17), D(2025, 3, 23))),
        (kpi.Period(D(2024, 3, 1), D(2024, 3, 31)), kpi.Period(D(2024, 1, 30), D(2024, 2, 29))),
        (kpi.Period(D(2026, 1, 1), D(2026, 1, 10)), kpi.Period(D(2025, 12, 22), D(2025, 12, 31))),
    ],
)
def test_the_previous_period_has_the_same_length_and_ends_the_day_before(period, expected):
    previous = period.previous()

    assert previous == expected
    assert previous.end - previous.start == period.end - period.start
    assert previous.end + datetime.timedelta(days=1) == period.start


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        kpi.Period(D(2025, 3, 31), D(2025, 3, 1))


# --- a registry of its own ---------------------------------------------------------------


@pytest.fixture
def registry():
    return kpi.Registry()


def complaints_closed(filters: kpi.Filters) -> kpi.Value:
    """Closed complaints per day, by kecamatan, as an app's selector would count them."""
    per_day = {
        ("12.75.02", D(2025, 2, 10)): 4,
        ("12.75.02", D(2025, 3, 3)): 5,
        ("12.75.02", D(2025, 3, 20)): 6,
        ("12.75.01", D(2025, 3, 5)): 100,
        ("12.75.02", D(2025, 1, 15)): 50,  # before the previous period: never counted
    }
    total = sum(
        count
        for (kec, day), count in per_day.items()
        if filters.period.start <= day <= filters.period.end and filters.kecamatan in (None, kec)
    )
    return kpi.Value(total, drilldown_url=f"/masyarakat/?kec={filters.kecamatan or ''}")


def test_compute_figures_returns_this_and_the_previous_period(registry):
    registry.register_figure(
        "masyarakat",
        "closed",
        label="Pengaduan selesai",
        unit="pengaduan",
        better="higher",
        compute=complaints_closed,
    )

    [figure] = registry.compute_figures(kpi.Filters(MARCH, kecamatan="12.75.02"))

    assert figure == kpi.Figure(
        app="masyarakat",
        key="closed",
        label="Pengaduan selesai",
        unit="pengaduan",
        better="higher",
        value=11,
        previous=4,
        drilldown_url="/masyarakat/?kec=12.75.02",
    )
    assert figure.change == 7


def test_the_filters_reach_both_periods(registry):
    seen = []

    def compute(filters):
        seen.append(filters)
        return kpi.Value(len(seen))

    registry.register_figure("dokter", "wait", label="Tunggu", better="lower", compute=compute)
    filters = kpi.Filters(MARCH, kecamatan="12.75.03", agency="dinkes")

    [figure] = registry.compute_figures(filters)

    assert seen == [filters, kpi.Filters(MARCH.previous(), "12.75.03", "dinkes")]
    assert (figure.value, figure.previous, figure.change, figure.better) == (1, 2, -1, "lower")


def test_a_figure_counted_from_the_database(db, registry):
    def closures(filters):
        return kpi.Value(
            Closure.objects.filter(date__range=(filters.period.start, filters.period.end)).count()
        )

    registry.register_figure("core", "closures", label="Hari libur lokal", compute=closures)
    Closure.objects.create(date=D(2025, 3, 28), name="Cuti bersama Nyepi")
    Closure.objects.create(date=D(2025, 2, 10), name="Banjir")
    Closure.objects.create(date=D(2025, 2, 11), name="Banjir")

    [figure] = registry.compute_figures(kpi.Filters(MARCH))

    assert (figure.value, figure.previous, figure.change) == (1, 2, -1)


def test_change_is_none_when_a_period_has_no_value(registry):
    registry.register_figure(
        "budgeting",
        "absorption",
        label="Serapan",
        unit="%",
        compute=lambda f: kpi.Value(None if f.period == MARCH.previous() else 42.5),
    )

    [figure] = registry.compute_figures(kpi.Filters(MARCH))

    assert (figure.value, figure.previous, figure.change) == (42.5, None, None)


def test_figures_are_frozen(registry):
    registry.register_figure(
        "musrenbang", "proposals", label="Usulan", compute=lambda f: kpi.Value(3)
    )
    [figure] = registry.compute_figures(kpi.Filters(MARCH))

    with pytest.raises(dataclasses.FrozenInstanceError):
        figure.value = 99


@pytest.mark.parametrize("better", ["up", "Higher", "", None])
def test_an_unknown_better_is_refused(registry, better):
    with pytest.raises(ValueError):
        registry.register_figure(
            "dokter", "wait", label="Tunggu", better=better, compute=lambda f: kpi.Value(1)
        )
    assert registry.figures == {}


def test_sections_are_computed_for_the_filters(registry):
    def permits_by_kind(filters):
        return kpi.Section(
            app="perizinan",
            key="by-kind",
            title=f"Izin {filters.kecamatan}",
            charts=(
                kpi.Chart("bar", "Izin terbit", ("PBG", "SIP"), (kpi.Series("Terbit", (12, 5)),)),
            ),
            tables=(kpi.Table("Terlambat", ("Jenis", "Hari"), (("PBG", 3),)),),
        )

    registry.register_section("perizinan", "by-kind", compute=permits_by_kind)

    [section] = registry.compute_sections(kpi.Filters(MARCH, kecamatan="12.75.04"))

    assert section.title == "Izin 12.75.04"
    assert section.charts[0].series[0].values == (12, 5)
    assert section.tables[0].rows == (("PBG", 3),)
    with pytest.raises(dataclasses.FrozenInstanceError):
        section.title = "lain"


def test_an_empty_registry_computes_nothing(registry):
    assert registry.compute_figures(kpi.Filters(MARCH)) == []
    assert registry.compute_sections(kpi.Filters(MARCH)) == []


def test_labels_follow_the_language_of_the_request_not_of_startup(registry):
    """metrics.py registers in ready(), with gettext_lazy labels, before any request."""
    language_label = lazy(lambda: f"label-{translation.get_language()}", str)()
    with translation.override("id"):
        registry.register_figure(
            "dokter",
            "wait",
            label=language_label,
            unit=language_label,
            compute=lambda f: kpi.Value(1),
        )

    with translation.override("en"):
        [figure] = registry.compute_figures(kpi.Filters(MARCH))

    assert (figure.label, figure.unit) == ("label-en", "label-en")
    assert isinstance(figure.label, str)


# --- the global registry -------------------------------------------------------------


@pytest.fixture
def global_registry():
    """The process-wide registry, put back as it was after the test."""
    figures, sections = dict(kpi.registry.figures), dict(kpi.registry.sections)
    yield kpi.registry
    kpi.registry.figures.clear()
    kpi.registry.figures.update(figures)
    kpi.registry.sections.clear()
    kpi.registry.sections.update(sections)


@pytest.mark.django_db  # the apps' own figures are computed too
def test_the_decorators_register_on_the_global_registry(global_registry):
    before = len(global_registry.figures)

    @kpi.figure("uji", "queue_served", label="Antrean dilayani", unit="pasien")
    def served(filters):
        return kpi.Value(30 if filters.period == MARCH else 24)

    @kpi.section("uji", "queue")
    def queue(filters):
        return kpi.Section("uji", "queue", "Antrean")

    assert served(kpi.Filters(MARCH)) == kpi.Value(30)  # the function itself is unchanged
    assert len(global_registry.figures) == before + 1
    figure = next(
        f
        for f in global_registry.compute_figures(kpi.Filters(MARCH))
        if (f.app, f.key) == ("uji", "queue_served")
    )
    assert (figure.value, figure.previous, figure.change) == (30, 24, 6)
    assert kpi.Section("uji", "queue", "Antrean") in global_registry.compute_sections(
        kpi.Filters(MARCH)
    )


@pytest.fixture
def metrics_app(tmp_path, monkeypatch):
    """A throwaway installed app whose metrics.py registers a figure and a section."""
    package = tmp_path / "uji_kpi_app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "metrics.py").write_text(
        textwrap.dedent("""
        from binjai_portal.core import kpi


        @kpi.figure("uji_kpi_app", "requests", label="Permohonan", unit="berkas")
        def requests(filters):
            return kpi.Value(9 if filters.kecamatan == "12.75.02" else 2)


        @kpi.section("uji_kpi_app", "summary")
        def summary(filters):
            return kpi.Section("uji_kpi_app", "summary", "Ringkasan uji")
    """)
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "uji_kpi_app"
    for name in [m for m in sys.modules if m.split(".")[0] == "uji_kpi_app"]:
        del sys.modules[name]


@pytest.mark.django_db  # the apps' own figures are computed too
def test_an_apps_metrics_module_is_loaded_from_ready(settings, global_registry, metrics_app):
    assert ("uji_kpi_app", "requests") not in global_registry.figures

    # Installing the app runs every AppConfig.ready() again, CoreConfig's included.
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, metrics_app]

    assert ("uji_kpi_app", "requests") in global_registry.figures
    figures = global_registry.compute_figures(kpi.Filters(MARCH, kecamatan="12.75.02"))
    figure = next(f for f in figures if f.app == "uji_kpi_app")
    assert (figure.label, figure.unit, figure.value, figure.previous) == (
        "Permohonan",
        "berkas",
        9,
        9,
    )
    sections = global_registry.compute_sections(kpi.Filters(MARCH))
    assert kpi.Section("uji_kpi_app", "summary", "Ringkasan uji") in sections


# --- one app's error never breaks the dashboard ------------------------------------------


def broken(filters: kpi.Filters) -> kpi.Value:
    raise RuntimeError("the app's database view is missing")


def test_a_failing_figure_is_shown_as_not_available_and_the_others_still_compute(registry):
    registry.register_figure("uji", "broken", label="Rusak", compute=broken)
    registry.register_figure("uji", "closed", label="Selesai", compute=complaints_closed)

    figures = {f.key: f for f in registry.compute_figures(kpi.Filters(MARCH))}

    assert figures["broken"].failed and figures["broken"].value is None
    assert not figures["closed"].failed and figures["closed"].value == 111
    assert figures["closed"].previous == 4


def test_a_failing_section_is_left_out_and_the_others_stay(registry):
    registry.register_section("uji", "broken", compute=broken)
    registry.register_section("uji", "queue", compute=lambda f: kpi.Section("uji", "queue", "A"))

    assert [s.key for s in registry.compute_sections(kpi.Filters(MARCH))] == ["queue"]


def test_values_for_snapshots_and_open_data_leave_a_failing_figure_out(registry):
    registry.register_figure("uji", "broken", label="Rusak", compute=broken)
    registry.register_figure("uji", "closed", label="Selesai", compute=complaints_closed)

    values = registry.compute_values(kpi.Filters(MARCH))

    assert list(values) == [("uji", "closed")] and values[("uji", "closed")].value == 111


# Units written the same in both languages.
SAME_IN_ENGLISH = {"", "%", "Rp", "/5"}


def test_every_registered_figure_reads_in_english():
    """The apps' own labels and units (registered in ready()) have English: an Indonesian
    tile on the English dashboard means a string the catalogue never received."""
    still_indonesian = []
    for (app, key), spec in kpi.registry.figures.items():
        with translation.override("id"):
            indonesian = (str(spec.label), str(spec.unit))
        with translation.override("en"):
            english = (str(spec.label), str(spec.unit))
        if english[0] == indonesian[0]:
            still_indonesian.append(f"{app}.{key} label {indonesian[0]!r}")
        if english[1] == indonesian[1] and indonesian[1] not in SAME_IN_ENGLISH:
            still_indonesian.append(f"{app}.{key} unit {indonesian[1]!r}")
    assert len(kpi.registry.figures) >= 20
    assert still_indonesian == []


# --- each computation once -----------------------------------------------------------------


def test_each_figure_runs_once_per_period_and_what_figures_share_runs_once(registry):
    """A median and a rate of the same rows (perizinan's working days, e-Masyarakat's
    resolved tickets, e-Budgeting's line totals) are one scan: kpi.shared computes it
    once per period for every figure that reads it, inside compute_figures."""
    calls = {"scan": [], "median": 0, "rate": 0}

    def scan(filters):
        def compute():
            calls["scan"].append(filters.period)
            return {"median": 3, "total": 4, "within": 2}

        return kpi.shared(("uji:scan", filters), compute)

    def median(filters):
        calls["median"] += 1
        return kpi.Value(scan(filters)["median"])

    def rate(filters):
        calls["rate"] += 1
        row = scan(filters)
        return kpi.Value(100 * row["within"] / row["total"])

    registry.register_figure("uji", "median", label="Median", compute=median)
    registry.register_figure("uji", "rate", label="Tepat", compute=rate)

    figures = registry.compute_figures(kpi.Filters(MARCH))

    assert [(f.value, f.previous) for f in figures] == [(3, 3), (50.0, 50.0)]
    assert calls["median"] == calls["rate"] == 2  # this period and the previous one
    assert calls["scan"] == [MARCH, MARCH.previous()]  # once each, not once per figure
    # Outside a computation of the registry nothing is kept: the next one reads afresh.
    registry.compute_values(kpi.Filters(MARCH))
    assert calls["scan"] == [MARCH, MARCH.previous(), MARCH]


def test_a_sharing_block_inside_another_shares_the_outer_values():
    seen = []
    with kpi.sharing():
        kpi.shared("k", lambda: seen.append(1))
        with kpi.sharing():
            kpi.shared("k", lambda: seen.append(2))
        kpi.shared("k", lambda: seen.append(3))
    kpi.shared("k", lambda: seen.append(4))  # outside: computed every time
    assert seen == [1, 4]
