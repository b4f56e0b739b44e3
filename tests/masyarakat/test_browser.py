"""In Chromium at 360 px: report with a photo and a point, moderate, resolve, close."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from conftest import PASSWORD
from masyarakat.models import Ticket
from tests.browser import PHONE, axe_violations, no_horizontal_scroll

from .factories import category_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, live_server, user, password):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="id-ID")
    page = context.new_page()
    page.goto("/akun/masuk/")
    page.fill("input[name=username]", user.nik)
    page.fill("input[name=password]", password)
    page.click("#main button[type=submit]")
    page.wait_for_load_state()
    return page


def act(page, action, fill=None):
    page.locator(f"details:has(form[action$='/aksi/{action}/']) summary").click()
    form = page.locator(f"form[action$='/aksi/{action}/']")
    for selector, value in (fill or {}).items():
        if value is True:
            form.locator(selector).check()
        else:
            form.locator(selector).fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def jpeg_bytes():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(out, format="JPEG")
    return out.getvalue()


def test_report_moderate_resolve_close_on_a_phone(
    browser, live_server, citizen, moderator, opd_officer
):
    category_make()
    page = log_in(browser, live_server, citizen, PASSWORD)
    page.goto("/masyarakat/lapor/")
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)
    page.select_option("#id_category", "jalan-rusak")
    page.fill("#id_title", "Jalan berlubang di Jl. Gatot Subroto")
    page.fill("#id_description", "Lubang sedalam 20 cm, sudah dua motor jatuh.")
    page.select_option("#id_kelurahan", "12.75.02.1001")
    page.set_input_files(
        "#id_photos",
        files=[{"name": "lubang.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}],
    )
    page.locator("#mas-pick").click(position={"x": 120, "y": 120})
    assert page.input_value("#id_lat") != ""
    page.click("button:has-text('Kirim laporan')")
    page.wait_for_url("**/masyarakat/tiket/ADU-*/")
    ticket = Ticket.objects.get()
    assert ticket.photos.count() == 1 and ticket.lat is not None
    page.context.close()

    page = log_in(browser, live_server, moderator, PASSWORD)
    page.goto(ticket.get_absolute_url())
    act(page, "verify")
    act(page, "assign")
    assert Ticket.objects.get().status == "assigned"
    page.context.close()

    page = log_in(browser, live_server, opd_officer, PASSWORD)
    page.goto("/masyarakat/antrean-kerja/")
    page.click(f"text={ticket.title}")
    act(page, "resolve", {"textarea[name='resolve-note']": "Lubang sudah ditambal aspal."})
    assert Ticket.objects.get().status == "resolved"
    page.context.close()

    page = log_in(browser, live_server, citizen, PASSWORD)
    page.goto(ticket.get_absolute_url())
    act(
        page,
        "close",
        {
            "input[name='close-rating'][value='5']": True,
            "textarea[name='close-note']": "Terima kasih, cepat.",
        },
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rating) == ("closed", 5)
    assert "Lubang sudah ditambal aspal." in page.content()
    assert no_horizontal_scroll(page)
    page.context.close()


def test_public_feed_and_map_are_accessible_on_a_phone(phone_page, regions):
    for path in ("/masyarakat/", "/masyarakat/peta/"):
        phone_page.goto(path)
        assert axe_violations(phone_page) == [], path
        assert no_horizontal_scroll(phone_page)


# --- issue 14 ------------------------------------------------------------------------------


def test_report_without_an_account_and_follow_it_on_a_phone(
    phone_page, live_server, regions, tmp_path
):
    category_make(location_required=False)
    page = phone_page
    page.goto("/masyarakat/")
    page.get_by_role("link", name="Lapor tanpa akun").click()
    page.select_option("select[name=category]", index=1)
    page.fill("input[name=title]", "Lampu jalan mati")
    page.fill("textarea[name=description]", "Gelap sejak seminggu.")
    page.select_option("select[name=kelurahan]", "12.75.02.1001")
    page.get_by_role("button", name="Kirim laporan").click()
    number = page.get_by_test_id("receipt-number").inner_text()
    secret = page.get_by_test_id("receipt-secret").inner_text()
    assert no_horizontal_scroll(page) and axe_violations(page) == []
    page.screenshot(path=str(tmp_path / "anonymous-receipt-360.png"), full_page=True)
    ticket = Ticket.objects.get(number=number)
    assert ticket.reporter is None
    page.get_by_role("link", name="Pantau laporan").click()
    page.fill("input[name=number]", number)
    page.fill("input[name=secret]", secret)
    page.get_by_role("button", name="Tampilkan laporan").click()
    assert "Lampu jalan mati" in page.get_by_test_id("follow-ticket").inner_text()
    assert secret not in page.url
    assert no_horizontal_scroll(page) and axe_violations(page) == []


def test_the_public_map_has_distinct_markers_a_legend_and_filters(
    phone_page, live_server, citizen, moderator, regions, tmp_path
):
    from .factories import ticket_assigned, ticket_public

    road = category_make()
    rubbish = category_make(code="sampah", name="Sampah tidak diangkut", agency_code="dlh")
    ticket_public(reporter=citizen, moderator=moderator, category=road)
    ticket_assigned(reporter=citizen, moderator=moderator, category=rubbish)
    ticket_assigned(reporter=citizen, moderator=moderator, category=road)
    page = phone_page
    # no tiles reachable: the markers and the legend still show
    page.route("**/*.tile.openstreetmap.org/**", lambda route: route.abort())
    page.goto("/masyarakat/peta/")
    pins = page.locator("#mas-map .mas-pin")
    expect(pins).to_have_count(3)
    states = {pins.nth(i).get_attribute("class").split()[-1] for i in range(3)}
    assert {"mas-pin-new", "mas-pin-working"} <= states
    legend = page.get_by_test_id("map-legend")
    expect(legend).to_contain_text("Sedang ditangani")
    expect(legend).to_contain_text("Sampah tidak diangkut")
    assert no_horizontal_scroll(page) and axe_violations(page) == []
    page.screenshot(path=str(tmp_path / "map-360.png"), full_page=True)
    page.select_option("select[name=category]", "sampah")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.locator("#mas-map .mas-pin")).to_have_count(1)
    expect(page.locator("#mas-map .mas-pin i.bi-trash")).to_have_count(1)


def test_an_officer_sees_the_ticket_wide_with_its_map(
    browser, live_server, citizen, moderator, opd_officer, regions, tmp_path
):
    from django.test import Client

    from .factories import ticket_assigned

    ticket = ticket_assigned(reporter=citizen, moderator=moderator, category=category_make())
    client = Client()
    client.force_login(opd_officer)
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, base_url=live_server.url, locale="id-ID"
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    context.route("**/*.tile.openstreetmap.org/**", lambda route: route.abort())
    page = context.new_page()
    page.goto(ticket.get_absolute_url())
    main = page.locator("#main .col-lg-7").first.bounding_box()
    assert main["width"] > 600  # not the narrow column of a citizen's form
    expect(page.locator("#mas-ticket-map path.leaflet-interactive")).to_have_count(1)
    label = page.locator(".bp-dl dt").first.bounding_box()
    assert label["height"] < 30  # "Nomor tiket" on one line
    assert page.get_by_role("button", name="Saya juga mengalami").count() == 0
    assert axe_violations(page) == []
    page.screenshot(path=str(tmp_path / "ticket-officer-1366.png"), full_page=True)
    context.close()
