"""The proposal form's map picker and "similar" hint, the proposal's map, and the
officer's bulk step, in Chromium (360 px for the citizen, 1366 px for the officer). The
test machine has no internet: the map works without tiles, as the picker promises."""

import pytest

from musrenbang.models import Proposal, Status
from tests.browser import no_horizontal_scroll

from .test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_picker_sets_coordinates_by_click_and_hint_shows_under_the_title(
    phone_page, make_proposal, citizen
):
    other = make_proposal(Status.SUBMITTED, title="Perbaikan drainase Gang Melati")
    page = phone_page
    login(page, citizen)
    page.goto("/musrenbang/usulan/baru/")
    page.fill("#id_title", "Perbaikan drainase Gang")
    page.keyboard.type(" Melati")
    hint = page.locator("#similar")
    hint.get_by_text(other.reference, exact=False).wait_for()
    title_box = page.locator("#id_title").bounding_box()
    hint_box = hint.bounding_box()
    assert 0 <= hint_box["y"] - (title_box["y"] + title_box["height"]) < 60  # right under it
    picker = page.locator("#mus-picker-map")
    picker.scroll_into_view_if_needed()
    assert page.locator("#mus-picker").is_visible()
    box = picker.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    lat, lng = page.input_value("#id_latitude"), page.input_value("#id_longitude")
    assert 3.5 < float(lat) < 3.7 and 98.4 < float(lng) < 98.6
    assert "Titik lokasi:" in page.locator("#mus-picker-status").inner_text()
    page.click("#mus-picker-clear")
    assert page.input_value("#id_latitude") == ""
    page.fill("#id_latitude", "3.612345")  # the boxes stay usable and move the point
    page.fill("#id_longitude", "98.471234")
    page.locator("#id_longitude").dispatch_event("change")
    assert no_horizontal_scroll(page)
    page.screenshot(path="/tmp/mp/test_picker.png", full_page=True)


def test_detail_map_shows_the_point_without_tiles(phone_page, make_proposal):
    from decimal import Decimal

    p = make_proposal(Status.SUBMITTED, latitude=Decimal("3.6012"), longitude=Decimal("98.4876"))
    page = phone_page
    page.goto(p.get_absolute_url())
    page.locator("#mus-detail-map .leaflet-interactive").wait_for()
    assert no_horizontal_scroll(page)


def test_officer_selects_all_and_verifies_with_confirmation(
    browser, live_server, make_proposal, kelurahan_officer
):
    make_proposal(Status.SUBMITTED)
    make_proposal(Status.SUBMITTED)
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, base_url=live_server.url, locale="id-ID"
    )
    page = context.new_page()
    asked = []
    page.on("dialog", lambda d: (asked.append(d.message), d.accept()))
    login(page, kelurahan_officer)
    page.goto("/musrenbang/antrean-kerja/?status=submitted")
    page.check("#mus-select-all")
    assert page.locator(".mus-pick:checked").count() == 2
    page.select_option("#bulk-action", "verify")
    page.locator("#mus-bulk button[type=submit]").click()
    page.wait_for_load_state()
    assert asked and "tidak dapat dibatalkan" in asked[0]
    assert "2 usulan berhasil" in page.locator(".alert").first.inner_text()
    assert set(Proposal.objects.values_list("status", flat=True)) == {Status.VERIFIED}
    assert no_horizontal_scroll(page)
    context.close()
