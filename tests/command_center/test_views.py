import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from command_center.models import Alert, Target

INDEX = reverse("command_center:index")
WALL = reverse("command_center:wall")
OPEN_DATA = reverse("command_center:open-data")
MARCH = {"periode": "custom", "mulai": "2026-03-01", "sampai": "2026-03-31"}


def tile(html: str, app: str, key: str) -> str:
    match = re.search(
        rf'data-testid="tile-{app}-{key}".*?data-testid="value"[^>]*>([^<]*)<', html, re.S
    )
    assert match, f"no tile {app}.{key}"
    return match.group(1)


# --- who may look ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["citizen", "opd_officer", "clinic_clerk", "kelurahan_officer", "permit_verifier", "tapd"],
)
def test_citizens_and_agency_officers_get_403(client, request, test_registry, persona):
    client.force_login(request.getfixturevalue(persona))

    for url in (
        INDEX,
        WALL,
        reverse("command_center:wall-panels"),
        reverse("command_center:export", args=["indikator", "csv"]),
    ):
        assert client.get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, db, test_registry):
    for url in (INDEX, WALL):
        response = client.get(url)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "overview", "wall"),
    [
        ("leader", 200, 200),
        ("pengamat", 200, 200),
        ("administrator", 200, 200),
        ("wallboard_user", 403, 200),
    ],
)
def test_leadership_observers_and_the_wall_account(
    client, request, test_registry, persona, overview, wall
):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(INDEX).status_code == overview
    assert client.get(WALL).status_code == wall


# --- tiles and filters -------------------------------------------------------------------


def test_tiles_show_the_hand_computed_figures(client, leader, test_registry, frozen_today):
    Target.objects.create(app="masyarakat", key="sla_compliance", target=Decimal(90))
    client.force_login(leader)

    html = client.get(INDEX, MARCH).content.decode()

    assert tile(html, "masyarakat", "closed") == "111"  # 5 + 6 + 100 in March
    assert "naik 107 dari periode sebelumnya" in html  # previous period: 4
    assert tile(html, "masyarakat", "sla_compliance") == "82,5%"
    assert re.search(r'tile-masyarakat-sla_compliance"[^>]*>', html)
    assert 'class="card cc-tile cc-near" data-testid="tile-masyarakat-sla_compliance"' in html
    assert "hampir" in html
    assert 'href="/masyarakat/?kecamatan="' in html  # drill-down to the owning app


def test_the_kecamatan_filter_reaches_every_figure(client, leader, test_registry, frozen_today):
    client.force_login(leader)

    html = client.get(INDEX, {**MARCH, "kecamatan": "12.75.02"}).content.decode()

    assert tile(html, "masyarakat", "closed") == "11"
    assert "naik 7 dari periode sebelumnya" in html
    assert 'href="/masyarakat/?kecamatan=12.75.02"' in html


def test_period_presets(client, leader, test_registry, frozen_today):
    client.force_login(leader)

    assert (
        tile(client.get(INDEX, {"periode": "month"}).content.decode(), "masyarakat", "closed")
        == "111"
    )
    assert tile(client.get(INDEX, {"periode": "7"}).content.decode(), "masyarakat", "closed") == "0"
    assert (
        tile(client.get(INDEX, {"periode": "year"}).content.decode(), "masyarakat", "closed")
        == "115"
    )


@pytest.mark.parametrize(
    "params",
    [
        {"periode": "zzz"},
        {"periode": "custom"},
        {"periode": "custom", "mulai": "bukan-tanggal", "sampai": "2026-03-01"},
        {"periode": "custom", "mulai": "2026-03-31", "sampai": "2026-03-01"},
        {"periode": "custom", "mulai": "2000-01-01", "sampai": "2026-03-01"},
        {"kecamatan": "99.99"},
        {"opd": "<script>"},
    ],
)
def test_bad_filters_get_a_message_and_the_default_period(
    client, leader, test_registry, frozen_today, params
):
    """A filter the form refuses (period, kecamatan, agency) is named in a message, and
    the figures are those of the default period (the last 30 days)."""
    client.force_login(leader)

    response = client.get(INDEX, params)

    assert response.status_code == 200
    html = response.content.decode()
    errors = [m for ms in response.context["form"].errors.values() for m in ms]
    assert errors, "the form accepted a filter it must refuse"
    for message in errors:
        assert escape(message) in html, f"{message!r} not shown"
    assert tile(html, "masyarakat", "closed") == "111"  # last 30 days


@pytest.mark.parametrize("tren", ["x.y", ".....", "masyarakat.", "masyarakat.tidak_ada"])
def test_an_unknown_trend_falls_back_to_the_first_figure_without_a_message(
    client, leader, test_registry, frozen_today, tren
):
    """The trend picker is not a filter: a figure nobody registered shows the trend of the
    first figure of the page, with no error, and the period filter stays valid."""
    client.force_login(leader)

    response = client.get(INDEX, {"tren": tren})

    assert response.status_code == 200
    assert not response.context["form"].errors
    html = response.content.decode()
    assert 'class="invalid-feedback"' not in html and "alert alert-danger" not in html
    assert response.context["trend_key"] == "masyarakat.closed"
    assert tile(html, "masyarakat", "closed") == "111"


def test_sections_charts_tables_and_regions_are_shown(
    client, leader, test_registry, kelurahan, frozen_today
):
    client.force_login(leader)

    html = client.get(INDEX, MARCH).content.decode()

    assert "Pengaduan per kecamatan" in html and 'data-chart="' in html
    assert "ADU-2026-00001" in html
    # Ranked by region: Binjai Kota (9 + 2) above Binjai Selatan (4).
    kota = html.index("Binjai Kota</th>")
    selatan = html.index("Binjai Selatan</th>")
    assert kota < selatan


def test_the_overview_costs_a_bounded_number_of_queries(
    client, leader, test_registry, frozen_today, django_assert_max_num_queries
):
    from binjai_portal.core import kpi
    from binjai_portal.core.models import Closure

    def closures(filters):
        return kpi.Value(
            Closure.objects.filter(date__range=(filters.period.start, filters.period.end)).count()
        )

    test_registry.register_figure("core", "closures", label="Libur", compute=closures)
    client.force_login(leader)
    Closure.objects.bulk_create([Closure(date=f"2026-03-{d:02d}", name="x") for d in range(1, 29)])
    # cold: the overview, the map and the monthly trend of the first figure (twelve months
    # of it, each one query here) computed and stored once
    with django_assert_max_num_queries(36):
        assert client.get(INDEX, MARCH).status_code == 200
    with django_assert_max_num_queries(12):  # cached figures: only the page's own reads
        assert client.get(INDEX, MARCH).status_code == 200


def test_the_real_overview_costs_the_same_queries_for_few_or_many_rows(
    client, leader, citizen, make_citizen
):
    """With the apps' own metrics: the page served from its stored copy costs only its
    own reads (at most 12), and computing it afresh costs as many queries for nine
    complaints as for one: no figure reads row by row."""
    from django.test.utils import CaptureQueriesContext

    from command_center.models import StoredDashboard
    from tests.masyarakat.factories import category_make, ticket_make

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(INDEX).status_code == 200
        return len(queries)

    category = category_make()
    ticket_make(reporter=citizen, category=category)
    client.force_login(leader)
    cold_few = cost()
    warm = cost()
    assert warm <= 12 < cold_few  # from the stored copy; the first view computed it
    StoredDashboard.objects.all().delete()
    cache.clear()
    for _ in range(8):
        ticket_make(reporter=make_citizen(), category=category)
    cold_many = cost()

    assert cold_many == cold_few  # computed afresh again, whatever the number of rows
    assert cost() == warm


# --- exports -----------------------------------------------------------------------------


def test_exports_hold_the_same_numbers_as_the_page(client, leader, test_registry, frozen_today):
    client.force_login(leader)

    html = client.get(INDEX, MARCH).content.decode()
    response = client.get(reverse("command_center:export", args=["indikator", "csv"]), MARCH)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert response["Content-Type"].startswith("text/csv")
    closed = next(r for r in rows if r[1] == "Pengaduan selesai")
    assert closed[2:5] == ["111", "4", "107"]
    assert tile(html, "masyarakat", "closed") == closed[2]

    response = client.get(
        reverse("command_center:export", args=["masyarakat-overview-0", "xlsx"]), MARCH
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Nomor", "Umur (hari)"],
        ["ADU-2026-00001", 12],
        ["ADU-2026-00002", 9],
    ]

    response = client.get(
        reverse("command_center:export", args=["wilayah-kecamatan", "csv"]), MARCH
    )
    assert "Binjai Kota,11" in response.content.decode("utf-8-sig")


def test_unknown_exports_are_404(client, leader, test_registry):
    client.force_login(leader)

    assert client.get(reverse("command_center:export", args=["nope", "csv"])).status_code == 404
    assert (
        client.get(reverse("command_center:export", args=["indikator", "doc"])).status_code == 404
    )
    # PDF is the indicators' format only
    slug = "masyarakat-overview-0"
    assert client.get(reverse("command_center:export", args=[slug, "csv"])).status_code == 200
    assert client.get(reverse("command_center:export", args=[slug, "pdf"])).status_code == 404


def test_the_indicators_as_pdf(client, leader, test_registry, frozen_today):
    import pikepdf

    Target.objects.create(app="masyarakat", key="sla_compliance", target=90)
    client.force_login(leader)
    response = client.get(reverse("command_center:export", args=["indikator", "pdf"]), MARCH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "bcc-indikator-2026-03-01-2026-03-31.pdf" in response["Content-Disposition"]
    pdf = pikepdf.open(io.BytesIO(response.content))
    text = b"".join(
        pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page)) for page in pdf.pages
    )
    # the figures formatted as on the page: 11 closed, 82,5% against a 90% target
    for expected in (b"Pengaduan selesai", b"82,5%", b"90%", b"hampir", b"1 Maret 2026"):
        assert expected in text, expected


# --- wallboard ---------------------------------------------------------------------------


def test_the_wall_shows_live_panels_figures_and_alerts(
    client, wallboard_user, test_registry, frozen_today
):
    Alert.objects.create(
        cause_key="x:1",
        app="masyarakat",
        rule="overdue",
        title="Pengaduan ADU-2026-00001 lewat batas",
    )
    client.force_login(wallboard_user)

    page = client.get(WALL).content.decode()
    panels = client.get(reverse("command_center:wall-panels")).content.decode()

    assert 'hx-trigger="every 30s"' in page
    for html in (page, panels):
        assert "RSUD Djoelham" in html and "Pengaduan selesai" in html
        assert "Pengaduan ADU-2026-00001 lewat batas" in html
    assert "<html" not in panels


# --- alerts ------------------------------------------------------------------------------


@pytest.fixture
def alert(db, test_registry, regions):
    from binjai_portal.accounts.models import Unit
    from binjai_portal.core.workflow import workflow_start
    from command_center import workflows as wf

    a = Alert.objects.create(
        cause_key="x:2",
        app="masyarakat",
        rule="overdue",
        title="Pengaduan lewat batas",
        unit=Unit.objects.get(code="dpupr"),
    )
    workflow_start(a, workflow=wf.ALERT, state="open", actor=None)
    return a


def test_pimpinan_closes_an_alert_with_a_note(client, leader, alert):
    client.force_login(leader)
    url = alert.get_absolute_url()

    assert client.post(url, {"action": "close", "note": ""}).status_code == 400
    assert Alert.objects.get().status == "open"
    response = client.post(url, {"action": "close", "note": "Sudah diperbaiki"})
    assert response.status_code == 302
    assert Alert.objects.get().status == "closed"
    assert "Sudah diperbaiki" in client.get(url).content.decode()


def test_the_observer_reads_but_cannot_act(client, pengamat, alert):
    client.force_login(pengamat)
    url = alert.get_absolute_url()

    assert 'value="close"' not in client.get(url).content.decode()
    assert client.post(url, {"action": "close", "note": "x"}).status_code == 400
    assert client.post(url, {"action": "hapus"}).status_code == 400
    assert Alert.objects.get().status == "open"


def test_officers_reach_only_their_units_alerts(client, opd_officer, make_staff, citizen, alert):
    client.force_login(opd_officer)
    assert client.get(alert.get_absolute_url()).status_code == 200
    client.force_login(make_staff("petugas_opd", "dlh"))
    assert client.get(alert.get_absolute_url()).status_code == 404
    client.force_login(citizen)
    assert client.get(alert.get_absolute_url()).status_code == 404
    assert client.get(reverse("command_center:alert-detail", args=[999999])).status_code == 404


# --- open data ---------------------------------------------------------------------------


def test_open_data_is_public_aggregate_and_has_no_personal_data(
    client, citizen, test_registry, frozen_today
):
    from binjai_portal.core import kpi

    test_registry.register_dataset(
        "masyarakat",
        "per-kategori",
        title="Pengaduan per kategori",
        compute=lambda period: kpi.Dataset(("Kategori", "Jumlah"), (("Jalan rusak", 12),)),
    )

    html = client.get(OPEN_DATA, {"tahun": 2026, "bulan": 3}).content.decode()
    downloads = [
        client.get(
            reverse("command_center:open-data-download", args=[slug]), {"tahun": 2026, "bulan": 3}
        ).content.decode("utf-8-sig")
        for slug in ("indikator-layanan", "jumlah-per-wilayah", "masyarakat-per-kategori")
    ]

    assert "Pengaduan selesai" in html and "Jalan rusak" in html
    assert "masyarakat.closed,Pengaduan selesai,tiket,111,2026-03-01,2026-03-31" in downloads[0]
    assert "Binjai Kota,Berngam,9" in downloads[1]
    for text in (html, *downloads):
        for personal in (
            citizen.nik,
            citizen.full_name,
            citizen.phone,
            citizen.phone[3:],
            "Jl. Uji No. 1",
            citizen.email,
        ):
            assert personal not in text
        assert not re.search(r"\b\d{16}\b", text)  # nothing shaped like a NIK


def test_open_data_with_every_real_app_registered(client, db, citizen):
    """The apps' own figures render too (whatever is registered today)."""
    response = client.get(OPEN_DATA)

    assert response.status_code == 200
    assert citizen.full_name not in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"tahun": "abc"}, {"tahun": "3000"}, {"bulan": "13"}, {"tahun": "1900", "bulan": "x"}],
)
def test_bad_open_data_params_get_a_message(client, db, test_registry, params):
    response = client.get(OPEN_DATA, params)

    assert response.status_code == 200
    assert "alert alert-danger" in response.content.decode()
    assert (
        client.get(reverse("command_center:open-data-download", args=["nope"])).status_code == 404
    )


def test_the_real_overview_shows_every_registered_figure_and_counts_real_rows(
    client, leader, citizen
):
    """With the apps' own metrics (no test registry): every registered figure has its
    tile, and a figure reads the rows the services wrote (three complaints just sent are
    three open complaints)."""
    from binjai_portal.core import kpi
    from tests.masyarakat.factories import category_make, ticket_make

    category = category_make()
    for _ in range(3):
        ticket_make(reporter=citizen, category=category)
    client.force_login(leader)

    response = client.get(INDEX)

    assert response.status_code == 200
    html = response.content.decode()
    for app, key in kpi.registry.figures:
        tile(html, app, key)  # asserts the tile is there
    assert tile(html, "masyarakat", "open_backlog") == "3"


# --- issue 14: tiles first, alerts summarised, a monthly trend ---------------------------


def test_tiles_come_before_a_summary_of_the_alerts(client, leader, test_registry, frozen_today):
    for i in range(25):
        Alert.objects.create(
            cause_key=f"x:{i}",
            app="masyarakat",
            rule="overdue",
            title=f"Pengaduan ADU-2026-{i:05d} lewat batas",
            severity="danger" if i % 5 == 0 else "warning",
        )
    client.force_login(leader)
    html = client.get(INDEX, MARCH).content.decode()
    assert html.index('data-testid="tile-') < html.index('data-testid="alerts"')
    summary = html[html.index('data-testid="alerts"') :]
    summary = summary[: summary.index("</section>")]
    assert "25 peringatan terbuka: 5 gawat, 20 perhatian." in summary
    assert summary.count('class="list-group-item') == 3  # the newest serious ones only
    assert "ADU-2026-00020" in summary  # danger first, newest first


def test_the_trend_is_the_figure_of_each_month(client, leader, test_registry, frozen_today):
    client.force_login(leader)
    response = client.get(INDEX, {**MARCH, "tren": "masyarakat.closed"})
    trend = response.context["trend"]
    assert len(trend.labels) == 12 and trend.labels[-1] == "Mar 2026"
    values = dict(zip(trend.labels, trend.series[0].values, strict=True))
    # every day of March and February counted, not one day's snapshot
    assert values["Mar 2026"] == 111 and values["Feb 2026"] == 4 and values["Jan 2026"] == 0


def test_open_data_shows_names_first_and_codes_last():
    from binjai_portal.core import kpi
    from command_center.selectors import OpenDataset

    d = OpenDataset(
        "x",
        "X",
        "",
        kpi.Dataset(
            ("Kode fasilitas", "Fasilitas", "Antrean", "Kode"),
            (
                ("puskesmas-demo-kota", "Puskesmas Binjai Kota", 7, "12.75.02"),
                ("rsud", "RSUD", 3, None),
            ),
        ),
    )
    assert d.code_columns() == {0, 3}
    columns, rows = d.for_reading()
    assert [c for c, _code in columns] == ["Fasilitas", "Antrean", "Kode fasilitas", "Kode"]
    assert rows[0][0] == ("Fasilitas", "Puskesmas Binjai Kota", False)
    assert rows[0][2] == ("Kode fasilitas", "puskesmas-demo-kota", True)


def test_the_default_period_is_the_one_the_filter_shows(
    client, leader, test_registry, frozen_today
):
    """Without a choice the page reads the last 30 days: the period box says so too (it
    showed "7 hari terakhir" over figures of 30 days)."""
    client.force_login(leader)
    html = client.get(INDEX).content.decode()
    selected = re.search(r'<option value="([^"]*)" selected>', html.split('name="periode"')[1])
    assert selected and selected.group(1) == "30"
