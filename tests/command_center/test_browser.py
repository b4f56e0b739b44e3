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
    expect(wall.get_by_test_id("wall-panel").first).to_contain_text("RSUD Djoelham")
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
    phone_page.goto("/command-center/open-data/")
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("Data terbuka")
    assert axe_violations(phone_page) == []
    assert no_horizontal_scroll(phone_page)
