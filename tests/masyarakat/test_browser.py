"""In Chromium at 360 px: report with a photo and a point, moderate, resolve, close."""

import io

import pytest
from PIL import Image

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
    page.goto("/masyarakat/petugas/")
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
