import pytest
from django.test import Client
from playwright.sync_api import expect

from command_center.models import Alert, Target
from tests.browser import PHONE, axe_violations, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in(browser, live_server, user, viewport=PHONE):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport, base_url=live_server.url, locale="id-ID")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


def test_overview_and_wall_render_with_data(
    browser, live_server, leader, wallboard_user, test_registry, tmp_path, record_property
):
    Target.objects.create(app="masyarakat", key="sla_compliance", target=90)
    Alert.objects.create(
        cause_key="x:1",
        app="masyarakat",
        rule="overdue",
        title="Pengaduan ADU-2026-00001 lewat batas",
        severity="danger",
    )

    overview = logged_in(browser, live_server, leader).new_page()
    overview.goto("/command-center/?periode=year")
    expect(overview.get_by_test_id("tile-masyarakat-sla_compliance")).to_contain_text("82,5")
    expect(overview.get_by_test_id("alerts")).to_contain_text("ADU-2026-00001")
    expect(overview.locator("canvas[data-drawn]").first).to_be_attached()  # Chart.js drew
    assert axe_violations(overview) == []
    assert no_horizontal_scroll(overview)
    shot = tmp_path / "command-center-overview-360.png"
    overview.screenshot(path=str(shot), full_page=True)
    record_property("screenshot_overview", str(shot))
    print(f"screenshot: {shot}")

    wall = logged_in(
        browser, live_server, wallboard_user, viewport={"width": 1920, "height": 1080}
    ).new_page()
    wall.goto("/command-center/wall/")
    expect(wall.locator("[data-slide='dokter-0-1']")).to_contain_text("RSUD Djoelham")
    expect(wall.get_by_test_id("wall-alerts")).to_contain_text("ADU-2026-00001")
    assert axe_violations(wall) == []
    # It refreshes itself: a new alert appears without a reload (htmx polls every 30 s).
    Alert.objects.create(
        cause_key="x:2", app="perizinan", rule="overdue", title="Izin IZN-2026-00007 lewat standar"
    )
    wall.evaluate("htmx.ajax('GET', '/command-center/wall/panel/', '#cc-wall-panels')")
    expect(wall.get_by_test_id("wall-alerts")).to_contain_text("IZN-2026-00007")
    shot = tmp_path / "command-center-wall-1920.png"
    wall.screenshot(path=str(shot))
    record_property("screenshot_wall", str(shot))
    print(f"screenshot: {shot}")


def test_open_data_on_a_phone(phone_page, db, test_registry):
    from binjai_portal.core import kpi

    def wide(period):
        return kpi.Dataset(
            (
                "Kode fasilitas",
                "Fasilitas",
                "Jenis",
                "Antrean",
                "Daring",
                "Di tempat",
                "Rata-rata tunggu (menit)",
            ),
            (
                (
                    "puskesmas-demo-kota",
                    "Puskesmas Demo Binjai Kota",
                    "Puskesmas",
                    120,
                    80,
                    40,
                    12.5,
                ),
            ),
        )

    test_registry.register_dataset("dokter", "visits", title="Kunjungan", compute=wide)
    phone_page.goto("/command-center/open-data/")
    row = phone_page.locator("#od-dokter-visits ~ .od-wrap tbody tr").first
    # the name first, the code last: no sideways scrolling, no code to read first
    assert row.locator("th, td").first.inner_text() == "Puskesmas Demo Binjai Kota"
    assert "puskesmas-demo-kota" in row.locator("td").last.inner_text()
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("Data terbuka")
    assert axe_violations(phone_page) == []
    assert no_horizontal_scroll(phone_page)


WALL_SCREENS = ({"width": 1920, "height": 1080}, {"width": 1366, "height": 768})


@pytest.mark.parametrize("screen", WALL_SCREENS, ids=lambda s: f"{s['width']}x{s['height']}")
def test_the_wall_fits_the_screen_and_rotates(
    browser, live_server, wallboard_user, test_registry, screen, tmp_path
):
    """Issue 14: the wall was 5,081 px tall with no rotation and numbers broke mid-digit.
    Every slide fits the screen (nothing clipped inside it either), the slides rotate,
    and a long table is paged rather than cut."""
    from binjai_portal.core import kpi

    def many_rows():
        return kpi.Table(
            "Pengaduan lewat batas",
            ("Nomor", "Kategori", "Kelurahan", "Terlambat (hari kerja)"),
            tuple(
                (f"ADU-2026-{i:06d}", "Pohon tumbang atau rawan tumbang", "Bandar Senembah", i)
                for i in range(20)
            ),
        )

    def money(filters):
        return kpi.Value(1_905_000_000)

    test_registry.register_panel("masyarakat", "overdue", compute=many_rows)
    test_registry.register_figure(
        "musrenbang", "cost", label="Perkiraan biaya usulan diterima", unit="Rp", compute=money
    )
    for i in range(12):
        Alert.objects.create(
            cause_key=f"w:{i}",
            app="perizinan",
            rule="overdue",
            title=f"Izin melewati standar pelayanan: IZN-2026-{i:06d} (Sertifikat Laik Fungsi)",
            severity="danger",
        )
    context = logged_in(browser, live_server, wallboard_user, viewport=screen)
    page = context.new_page()
    page.clock.install()
    page.goto("/command-center/wall/")
    count = page.evaluate("window.ccWall.count()")
    # alerts, musrenbang's figures, e-Dokter's live panel, the 20 rows in pages of 6
    assert count == 1 + 1 + 1 + 4
    seen = []
    for n in range(count):
        visible = page.locator(".cc-slide:not([hidden])")
        expect(visible).to_have_count(1)
        seen.append(visible.get_attribute("data-slide"))
        fits = page.evaluate(
            """() => {
              const d = document.documentElement, box = document.querySelector('.cc-slides');
              const slide = document.querySelector('.cc-slide:not([hidden])');
              const overflowing = [...slide.querySelectorAll('*')].filter(e => {
                const r = e.getBoundingClientRect(), b = box.getBoundingClientRect();
                return r.bottom > b.bottom + 1 || r.right > b.right + 1;
              }).length;
              return [d.scrollHeight <= innerHeight, d.scrollWidth <= innerWidth, overflowing];
            }"""
        )
        assert fits == [True, True, 0], (n, fits)
        if n in (0, 1):
            page.screenshot(path=str(tmp_path / f"wall-{screen['width']}-{n}.png"))
        page.clock.run_for(12_000)  # the rotation steps every 12 s
    assert len(set(seen)) == count  # every slide came round once
    money_text = page.locator("[data-testid=wall-figures] .v").first.inner_text()
    assert money_text.startswith("Rp") and "\n" not in money_text
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_figure_fits_its_tile_at_the_officers_width(
    browser, live_server, leader, test_registry, language
):
    """A long rupiah figure ("Rp 566,07 juta" / "Rp 566.07 million") stays inside its tile
    on the officer's 1366 px screen, in both languages (it overflowed in English)."""
    from binjai_portal.core import kpi

    for key in ("rka", "levies", "paid", "funded"):
        test_registry.register_figure(
            "budgeting",
            key,
            label="Total RKA",
            unit="Rp",
            compute=lambda f: kpi.Value(566_070_000_000 - 1, "/budgeting/"),
        )
    context = logged_in(browser, live_server, leader, viewport={"width": 1366, "height": 768})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto("/command-center/?periode=year")
    expect(page.get_by_test_id("tile-budgeting-rka")).to_be_visible()
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('.cc-tile')].filter(tile => {
            const box = tile.getBoundingClientRect();
            return [...tile.querySelectorAll('.cc-value > *')].some(
                el => el.getBoundingClientRect().right > box.right - 1);
        }).map(tile => tile.innerText.split('\\n').slice(0, 2).join(' '))"""
    )
    assert overflowing == []
    assert no_horizontal_scroll(page)
