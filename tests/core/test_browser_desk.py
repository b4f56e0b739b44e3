"""Meja kerja and Aktivitas saya in the browser, at 1366 px (officer) and 360 px (phone)."""

import pytest

from binjai_portal.core.nomenclature import nomenclature_load
from musrenbang import services as musrenbang_services
from tests.browser import PHONE, axe_violations, no_horizontal_scroll
from tests.masyarakat.factories import ticket_assigned
from tests.musrenbang.factories import open_cycle, proposal_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Rahasia-Binjai-2026"
DESKTOP = {"width": 1366, "height": 768}


def login(browser, live_server, user, viewport):
    context = browser.new_context(viewport=viewport, base_url=live_server.url, locale="id-ID")
    page = context.new_page()
    page.goto("/akun/masuk/")
    page.fill("input[name=username]", user.phone)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    return page


@pytest.fixture
def world(citizen, kelurahan, moderator):
    nomenclature_load()
    cycle = open_cycle()
    for title in ("Perbaikan drainase Jalan Gatot Subroto arah Pasar Tavip", "Lampu gang Mawar"):
        p = musrenbang_services.proposal_create(
            proposer=citizen, cycle=cycle, data=proposal_data(kelurahan, title=title)
        )
        musrenbang_services.proposal_submit(proposal=p, actor=citizen)
    ticket_assigned(reporter=citizen, moderator=moderator, title="Jalan berlubang depan SD 5")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "360"])
def test_an_officer_lands_on_the_desk_and_sees_what_waits(
    browser, live_server, world, kelurahan_officer, viewport
):
    page = login(browser, live_server, kelurahan_officer, viewport)
    assert page.url.endswith("/meja-kerja/")
    assert page.get_by_role("heading", name="Meja kerja").is_visible()
    assert page.locator("[data-testid=desk-total]").inner_text().startswith("2 ")
    assert page.get_by_text("Lampu gang Mawar").is_visible()
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    page.screenshot(path=f"/tmp/cux/desk-{viewport['width']}.png", full_page=True)
    page.context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "360"])
def test_a_citizen_sees_all_their_records_on_one_page(
    browser, live_server, world, citizen, viewport
):
    page = login(browser, live_server, citizen, viewport)
    page.goto("/aktivitas-saya/")
    assert page.get_by_role("heading", name="Aktivitas saya").is_visible()
    assert page.get_by_text("Jalan berlubang depan SD 5").is_visible()
    assert page.get_by_text("Lampu gang Mawar").is_visible()
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    page.screenshot(path=f"/tmp/cux/activity-{viewport['width']}.png", full_page=True)
    page.context.close()
