import pytest

from budgeting import services
from budgeting.models import Budget, Line
from tests.browser import axe_violations, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Rahasia-Binjai-2026"


def login(page, user):
    page.context.clear_cookies()
    page.goto("/akun/masuk/")
    page.fill("input[name=username]", user.nik)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_officer_adds_submits_tapd_returns_officer_fixes(
    phone_page,
    activity,
    opd_officer,
    tapd,
    atk,
    items,
):
    page = phone_page
    login(page, opd_officer)
    page.goto(f"/budgeting/kegiatan/{activity.pk}/")
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)
    page.select_option("#id_account", str(atk.pk))
    page.select_option("#id_price_item", str(items["pen"].pk))
    page.fill("#id_qty1", "2")
    page.fill("#id_unit1", "orang")
    page.fill("#id_qty2", "3")
    page.fill("#id_unit2", "hari")
    page.get_by_role("button", name="Tambah rincian").click()
    page.wait_for_load_state()
    assert page.locator("#activity-total").inner_text() == "Rp\xa021.000"
    page.goto(f"/budgeting/rka/{activity.budget_id}/")
    page.get_by_role("button", name="Ajukan ke TAPD").click()
    page.wait_for_load_state()
    assert Budget.objects.get().status == Budget.Status.SUBMITTED

    login(page, tapd)
    line = Line.objects.get()
    page.goto(f"/budgeting/kegiatan/{activity.pk}/")
    page.fill(f"#note-{line.pk}", "Volume terlalu besar")
    page.get_by_role("button", name="Simpan catatan").click()
    page.wait_for_load_state()
    page.goto(f"/budgeting/rka/{activity.budget_id}/")
    page.fill("#note-return", "Perbaiki rincian bertanda")
    page.get_by_role("button", name="Kembalikan ke OPD").click()
    page.wait_for_load_state()
    assert Budget.objects.get().status == Budget.Status.RETURNED

    login(page, opd_officer)
    page.goto(f"/budgeting/kegiatan/{activity.pk}/")
    assert "Volume terlalu besar" in page.locator(".line-note").inner_text()
    page.goto(f"/budgeting/rincian/{line.pk}/ubah/")
    page.fill("#id_qty1", "1")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    assert page.locator("#activity-total").inner_text() == "Rp\xa010.500"
    page.goto(f"/budgeting/rka/{activity.budget_id}/")
    page.get_by_role("button", name="Ajukan ulang ke TAPD").click()
    page.wait_for_load_state()
    assert Budget.objects.get().status == Budget.Status.SUBMITTED


def test_public_page_is_accessible(phone_page, activity, opd_officer, tapd, atk, items):
    services.line_add(
        activity=activity,
        actor=opd_officer,
        account=atk,
        price_item_id=items["pen"].pk,
        factors=[("2", "buah")],
    )
    services.budget_act(budget=activity.budget, action="submit", actor=opd_officer)
    for action in ("verify", "approve"):
        services.budget_act(budget=activity.budget, action=action, actor=tapd)
    page = phone_page
    page.goto("/budgeting/")
    page.get_by_role("link", name="Lihat APBD terbuka").click()
    page.wait_for_load_state()
    assert "7.000" in page.content()
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)
