"""A KPI registry of hand-computed test figures, swapped in for the apps' own."""

import datetime

import pytest

from binjai_portal.core import kpi

D = datetime.date
HOOKS = (
    "figures",
    "sections",
    "panels",
    "alert_rules",
    "region_counts",
    "datasets",
    "scale_generators",
)

# Complaints closed per (kecamatan, day): the hand-computed fixture behind the tiles.
CLOSED = {
    ("12.75.02", D(2026, 3, 3)): 5,
    ("12.75.02", D(2026, 3, 20)): 6,
    ("12.75.01", D(2026, 3, 5)): 100,
    ("12.75.02", D(2026, 2, 10)): 4,
}
TODAY = D(2026, 3, 31)


def closed_count(filters: kpi.Filters) -> kpi.Value:
    total = sum(
        n
        for (kec, day), n in CLOSED.items()
        if filters.period.start <= day <= filters.period.end and filters.kecamatan in (None, kec)
    )
    return kpi.Value(total, f"/masyarakat/?kecamatan={filters.kecamatan or ''}")


def sla_rate(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(82.5 if filters.period.end >= D(2026, 3, 1) else 91.0, "/masyarakat/")


def overview_section(filters: kpi.Filters) -> kpi.Section:
    return kpi.Section(
        "masyarakat",
        "overview",
        "e-Masyarakat",
        charts=(
            kpi.Chart(
                "bar",
                "Pengaduan per kecamatan",
                ("Binjai Kota", "Binjai Timur"),
                (kpi.Series("Pengaduan", (11, 100)),),
            ),
        ),
        tables=(
            kpi.Table(
                "Pengaduan lewat batas",
                ("Nomor", "Umur (hari)"),
                (("ADU-2026-00001", 12), ("ADU-2026-00002", 9)),
            ),
        ),
    )


def wait_panel() -> kpi.Table:
    return kpi.Table(
        "Antrean langsung",
        ("Fasilitas", "Menunggu"),
        (("Puskesmas Binjai Kota", 7), ("RSUD Djoelham", 12)),
    )


def complaints_by_village(filters: kpi.Filters) -> dict[str, int]:
    return {"12.75.02.1001": 9, "12.75.02.1002": 2, "12.75.01.1001": 4}


@pytest.fixture
def test_registry():
    """The process-wide registry holding only the test hooks; put back afterwards."""
    saved = {name: dict(getattr(kpi.registry, name)) for name in HOOKS}
    for name in HOOKS:
        getattr(kpi.registry, name).clear()
    r = kpi.registry
    r.register_figure(
        "masyarakat", "closed", label="Pengaduan selesai", unit="tiket", compute=closed_count
    )
    r.register_figure(
        "masyarakat", "sla_compliance", label="Selesai tepat waktu", unit="%", compute=sla_rate
    )
    r.register_section("masyarakat", "overview", compute=overview_section)
    r.register_panel("dokter", "live", compute=wait_panel)
    r.register_region_count(
        "masyarakat", "complaints", label="Pengaduan", compute=complaints_by_village
    )
    yield r
    for name in HOOKS:
        getattr(kpi.registry, name).clear()
        getattr(kpi.registry, name).update(saved[name])


@pytest.fixture
def frozen_today(monkeypatch):
    """Pin 'today' for the command center's forms and selectors."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


@pytest.fixture
def pengamat(make_staff):
    return make_staff("pengamat", full_name="Wati Pengamat")


@pytest.fixture
def wallboard_user(make_staff):
    return make_staff("wallboard", "diskominfo", full_name="Operator Wallboard")


@pytest.fixture
def administrator(make_staff):
    return make_staff("administrator", "diskominfo", full_name="Admin Portal")
