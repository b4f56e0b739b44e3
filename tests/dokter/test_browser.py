import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from dokter.models import Booking
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


def test_book_check_in_call_and_display(
    browser, live_server, citizen, clinic_clerk, facility, poli, schedule, on_day
):
    # The waiting-room TV is open before anything happens.
    tv = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=live_server.url)
    display = tv.new_page()
    display.goto(f"/dokter/display/{facility.code}/")
    assert axe_violations(display) == []

    # A citizen books from a phone.
    citizen_ctx = logged_in(browser, live_server, citizen)
    phone = citizen_ctx.new_page()
    phone.goto(facility.get_absolute_url())
    phone.get_by_role("link", name=re.compile("Pesan antrean Poli Umum")).click()
    assert axe_violations(phone) == []
    assert no_horizontal_scroll(phone)
    phone.locator("input[name=session]").first.check()
    phone.get_by_label("Umum (bayar sendiri)").check()
    phone.get_by_label("Keluhan").fill("Demam dan batuk")
    phone.get_by_role("button", name="Pesan nomor antrean").click()
    expect(phone.get_by_test_id("queue-number")).to_have_text("A-1")
    code = phone.get_by_test_id("booking-code").inner_text()
    assert Booking.objects.get().code == code
    assert axe_violations(phone) == []
    assert no_horizontal_scroll(phone)

    # The clerk checks the patient in and calls the number.
    clerk_ctx = logged_in(
        browser, live_server, clinic_clerk, viewport={"width": 1280, "height": 800}
    )
    console = clerk_ctx.new_page()
    console.goto(f"/dokter/petugas/{poli.code}/")
    console.get_by_label("Kode booking").fill(code)
    console.get_by_role("button", name="Tandai hadir").click()
    expect(console.locator("#dk-queue")).to_contain_text("A-1 hadir")
    console.get_by_test_id("call-next").click()
    expect(console.locator("#dk-queue")).to_contain_text("Memanggil A-1")

    # The TV shows it within 3 seconds, without a reload.
    expect(display.get_by_test_id("called-A")).to_have_text("A-1", timeout=3000)
    phone.reload()
    expect(phone.get_by_test_id("ticket-status")).to_have_text("Dipanggil")
    for context in (tv, citizen_ctx, clerk_ctx):
        context.close()
