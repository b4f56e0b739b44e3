import io

import pytest
from PIL import Image

from binjai_portal.core.models import Notification, Urusan
from musrenbang.models import Proposal, Status
from tests.browser import axe_violations, no_horizontal_scroll

from .factories import open_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Rahasia-Binjai-2026"


def login(page, user):
    page.goto("/akun/masuk/")
    page.fill("input[name=username]", user.nik)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def logout(page):
    page.context.clear_cookies()


def png(tmp_path):
    path = tmp_path / "lokasi.png"
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 60)).save(out, format="PNG")
    path.write_bytes(out.getvalue())
    return path


def test_citizen_submits_with_a_photo_officer_verifies_citizen_sees_it(
    phone_page,
    regions,
    citizen,
    kelurahan_officer,
    tmp_path,
):
    from binjai_portal.core.nomenclature import nomenclature_load

    nomenclature_load()
    open_cycle()
    page = phone_page
    login(page, citizen)
    page.goto("/musrenbang/usulan/baru/")
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)
    page.fill("#id_title", "Perbaikan drainase Gang Melati")
    page.fill("#id_problem", "Banjir setiap hujan deras.")
    page.fill("#id_activity", "Normalisasi saluran 120 meter.")
    page.select_option("#id_category", str(Urusan.objects.get(code="1.03").pk))
    page.fill("#id_address", "Gang Melati")
    page.fill("#id_volume", "120")
    page.fill("#id_volume_unit", "meter")
    page.fill("#id_estimated_cost", "90000000")
    page.fill("#id_beneficiaries", "150")
    page.set_input_files("#id_photos_new", str(png(tmp_path)))
    page.get_by_role("button", name="Simpan draf").click()
    page.wait_for_load_state()
    proposal = Proposal.objects.get()
    assert proposal.photos.count() == 1
    asked = []
    page.on("dialog", lambda d: (asked.append(d.message), d.accept()))  # irreversible: asks
    page.get_by_role("button", name="Ajukan ke kelurahan").click()
    page.wait_for_load_state()
    assert asked and "tidak dapat diubah" in asked[0]
    assert page.get_by_test_id("status").inner_text() == "Diajukan"

    logout(page)
    login(page, kelurahan_officer)
    page.goto(f"/musrenbang/usulan/{proposal.reference}/")
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_load_state()
    assert Proposal.objects.get().status == Status.VERIFIED

    logout(page)
    login(page, citizen)
    page.goto("/musrenbang/saya/")
    assert "Terverifikasi kelurahan" in page.content()
    page.goto("/notifikasi/")
    assert "Terverifikasi kelurahan" in page.content()
    assert Notification.objects.filter(recipient=citizen).exists()


def test_public_pages_have_no_serious_accessibility_violations(
    phone_page,
    regions,
    citizen,
    kelurahan,
):
    from binjai_portal.core.nomenclature import nomenclature_load
    from musrenbang import services

    from .factories import proposal_data

    nomenclature_load()
    cycle = open_cycle()
    p = services.proposal_create(
        proposer=citizen,
        cycle=cycle,
        data=proposal_data(kelurahan, latitude="3.600000", longitude="98.485000"),
    )
    services.proposal_submit(proposal=p, actor=citizen)
    for path in [
        "/musrenbang/",
        "/musrenbang/?status=submitted",
        p.get_absolute_url(),
        "/musrenbang/peta/",
    ]:
        phone_page.goto(path)
        assert axe_violations(phone_page) == [], path
        assert no_horizontal_scroll(phone_page), path
    # The map page is usable without tiles: the list is there and markers are drawn.
    assert p.title in phone_page.content()
    phone_page.wait_for_selector(".leaflet-interactive", state="attached")
