"""Browser checks of issue 14's e-Dokter walk: the TV fits 1920x1080 and 1366x768 and
pages through the polis; the finished ticket and its star rating at 360 px; the facility
page with its map (no tiles offline) and live queue. Screenshots go to /tmp/dux/."""

import os
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from dokter import services
from dokter.models import VisitRating
from tests.browser import PHONE, axe_violations, no_horizontal_scroll

from .conftest import ON_DAY
from .factories import PoliFactory, every_day
from .test_views import book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("DOKTER_SHOTS", "/tmp/dux")


def shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png")


def logged_in(browser, live_server, user, viewport=PHONE):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport, base_url=live_server.url, locale="id-ID")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


@pytest.fixture
def nine_polis(facility, poli):
    names = ["Poli Gigi", "Poli KIA (Ibu dan Anak)", "Poli Lansia", "Laboratorium"]
    names += ["Apotek", "Poli Gizi", "Poli Kesehatan Jiwa", "Poli Imunisasi"]
    for i, name in enumerate(names):
        every_day(PoliFactory(facility=facility, name=name, code=f"p{i}", letter="BCDEFGHJ"[i]))
    return facility


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_tv_fits_the_screen_and_pages_through_polis(
    browser,
    live_server,
    nine_polis,
    poli,
    schedule,
    citizen,
    make_citizen,
    clinic_clerk,
    on_day,
    size,
):
    for person in [citizen, *[make_citizen() for _ in range(4)]]:
        services.booking_check_in(staff=clinic_clerk, code=book(person, schedule).code, now=ON_DAY)
    services.queue_call_next(staff=clinic_clerk, poli=poli, now=ON_DAY)
    width, height = size
    context = browser.new_context(
        viewport={"width": width, "height": height}, base_url=live_server.url
    )
    page = context.new_page()
    page.goto(f"/dokter/display/{nine_polis.code}/")
    expect(page.get_by_test_id("called-A")).to_have_text("A-1")
    expect(page.locator(".dk-page")).to_have_text("Halaman 1/2")
    doc = page.evaluate(
        "() => ({h: document.documentElement.scrollHeight,"
        " w: document.documentElement.scrollWidth})"
    )
    assert doc["h"] <= height and doc["w"] <= width
    # Everything shown is inside the screen, the update time too: read in one snapshot,
    # since the board turns its page every few seconds (a slow machine turned it between
    # counting the boards and measuring them).
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.dk-board, .dk-updated')]
            .filter(el => el.offsetParent !== null)
            .map(el => { const r = el.getBoundingClientRect();
                         return {cls: el.className, x: r.x, y: r.y, w: r.width, h: r.height}; })"""
    )
    assert len([b for b in boxes if "dk-board" in b["cls"]]) == 6
    assert len([b for b in boxes if "dk-updated" in b["cls"]]) == 1
    for box in boxes:
        assert box["y"] >= 0 and box["y"] + box["h"] <= height
        assert box["x"] >= 0 and box["x"] + box["w"] <= width
    # Large type: the called number at least 1/10 of the screen's height.
    size_px = page.locator("[data-testid=called-A]").evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)"
    )
    assert size_px >= height / 10
    assert axe_violations(page) == []
    shot(page, f"tv-{width}x{height}-page1")
    # The next page shows the other three polis, still inside the screen.
    expect(page.locator(".dk-page")).to_have_text("Halaman 2/2", timeout=12000)
    assert page.locator(".dk-board:visible").count() == 3
    assert page.evaluate("document.documentElement.scrollHeight") <= height
    shot(page, f"tv-{width}x{height}-page2")
    context.close()


def test_finished_ticket_asks_for_a_rating_at_360(
    browser, live_server, citizen, clinic_clerk, poli, schedule, on_day
):
    booking = book(citizen, schedule)
    services.booking_check_in(staff=clinic_clerk, code=booking.code, now=ON_DAY)
    services.queue_call_next(staff=clinic_clerk, poli=poli, now=ON_DAY)
    services.booking_start_service(staff=clinic_clerk, booking=booking, now=ON_DAY)
    services.booking_finish(staff=clinic_clerk, booking=booking, now=ON_DAY)
    context = logged_in(browser, live_server, citizen)
    page = context.new_page()
    page.goto(booking.get_absolute_url())
    expect(page.get_by_test_id("visit-done")).to_contain_text("Kunjungan selesai")
    group = page.get_by_role("radiogroup", name="Nilai layanan")
    expect(group.get_by_role("radio")).to_have_count(5)
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)
    shot(page, "ticket-done-360")
    page.get_by_role("radio", name="4 bintang: baik").check()
    page.get_by_label("Komentar (tidak wajib)").fill("Petugas ramah")
    shot(page, "ticket-rating-chosen-360")
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(page.get_by_test_id("rating-given")).to_be_visible()
    assert VisitRating.objects.get().stars == 4
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)
    shot(page, "ticket-rated-360")
    context.close()


def test_facility_page_map_and_live_queue_at_360(
    browser, live_server, facility, poli, schedule, citizen, clinic_clerk, on_day
):
    facility.address, facility.phone = "Jl. Demo Sudirman No. 1", "0618820000"
    facility.latitude, facility.longitude = "3.600000", "98.485000"
    facility.save()
    services.booking_check_in(staff=clinic_clerk, code=book(citizen, schedule).code, now=ON_DAY)
    services.queue_call_next(staff=clinic_clerk, poli=poli, now=ON_DAY)
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="id-ID")
    context.route("https://**/*", lambda route: route.abort())  # offline: no map tiles
    page = context.new_page()
    page.goto(facility.get_absolute_url())
    expect(page.get_by_test_id("facility-queue")).to_contain_text("A-1")
    expect(page.locator("#dk-map .leaflet-interactive")).to_have_count(1)  # the point
    expect(page.locator("#dk-map")).to_have_class(re.compile(r"\bdk-map-offline\b"), timeout=5000)
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)
    shot(page, "facility-360")
    context.close()
