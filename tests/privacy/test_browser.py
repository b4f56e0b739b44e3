import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from binjai_portal.accounts.templatetags.accounts import nik_reveal_token
from conftest import PASSWORD
from tests.browser import axe_violations, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/priv")


def log_in(page, identifier):
    page.context.clear_cookies()
    page.goto("/akun/masuk/")
    page.fill("#id_username", identifier)
    page.fill("#id_password", PASSWORD)
    page.locator("main form.bp-form [type=submit]").first.click()


def test_citizen_accepts_the_new_notice_sees_their_data_and_who_looked(
    phone_page, browser, live_server, citizen, child, booking, notice, permit_verifier
):
    SHOTS.mkdir(exist_ok=True)
    page = phone_page
    log_in(page, citizen.email)
    # The current version needs consent: asked before anything else.
    expect(page).to_have_url(re.compile(r"/privasi/pemberitahuan/\?next="))
    assert no_horizontal_scroll(page)
    page.screenshot(path=SHOTS / "notice-phone.png", full_page=True)
    page.check("#id_agree")
    page.get_by_role("button", name="Setuju dan lanjutkan").click()

    page.goto("/privasi/data-saya/")
    expect(page.get_by_text(booking.code, exact=True)).to_be_visible()
    expect(page.get_by_text("Budi Anak Siti").first).to_be_visible()
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    page.screenshot(path=SHOTS / "my-data-phone.png", full_page=True)

    # An officer unmasks the NIK with a reason (desktop).
    desk = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=live_server.url)
    officer = desk.new_page()
    log_in(officer, permit_verifier.email)
    officer.goto(f"/privasi/nik/{nik_reveal_token(citizen)}/")
    officer.fill("#id_reason", "Verifikasi berkas izin PBG")
    officer.get_by_role("button", name="Buka dan catat").click()
    expect(officer.get_by_text(citizen.nik)).to_be_visible()
    officer.screenshot(path=SHOTS / "nik-reveal-desktop.png", full_page=True)
    desk.close()

    page.goto("/privasi/data-saya/siapa-melihat/")
    expect(page.get_by_text("Verifikasi berkas izin PBG")).to_be_visible()
    assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
    page.screenshot(path=SHOTS / "who-looked-phone.png", full_page=True)


def test_dpo_pages_at_desk_and_phone(browser, live_server, dpo, citizen):
    from binjai_portal.core.privacy import services

    services.rights_request_create(user=citizen, kind="erasure", about="Akun", details="Hapus")
    for name, viewport in (
        ("desktop", {"width": 1366, "height": 900}),
        ("phone", {"width": 360, "height": 740}),
    ):
        context = browser.new_context(viewport=viewport, base_url=live_server.url)
        page = context.new_page()
        log_in(page, dpo.email)
        for path, shot in (
            ("/privasi/pejabat/catatan-pemrosesan/", "records"),
            ("/privasi/pejabat/permintaan/", "requests"),
            ("/privasi/pejabat/insiden/baru/", "incident-new"),
        ):
            page.goto(path)
            assert axe_violations(page) == [], path
            page.screenshot(path=SHOTS / f"{shot}-{name}.png", full_page=True)
        if name == "phone":
            page.goto("/privasi/pejabat/permintaan/")
            assert no_horizontal_scroll(page)
        context.close()
