import pytest

from tests.browser import axe_violations, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/", "/akun/daftar/", "/akun/masuk/"])
def test_no_serious_accessibility_violations_on_a_phone(phone_page, regions, path):
    phone_page.goto(path)
    assert axe_violations(phone_page) == []
    assert no_horizontal_scroll(phone_page)


def test_no_serious_accessibility_violations_on_a_desktop(page, live_server, regions):
    page.set_viewport_size({"width": 1280, "height": 800})
    for path in ["/", "/akun/daftar/", "/akun/masuk/"]:
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path


def test_the_csp_guard_catches_an_inline_script(phone_page, csp_guard, regions):
    phone_page.goto("/")
    phone_page.evaluate("""() => { const s = document.createElement("script");
        s.textContent = "window.__ran = true"; document.body.append(s); }""")
    phone_page.wait_for_timeout(200)
    assert phone_page.evaluate("window.__ran === undefined")  # the policy blocked it
    assert any("script-src" in v for v in csp_guard.violations), csp_guard.violations
    csp_guard.violations.clear()  # caught on purpose


def test_the_admin_works_under_the_policy(page, live_server, make_citizen):
    from conftest import PASSWORD

    admin = make_citizen(full_name="Admin Portal")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    page.goto(live_server.url + "/admin/")
    page.fill("input[name=username]", admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    for path in [
        "/admin/accounts/user/",
        f"/admin/accounts/user/{admin.pk}/change/",
        "/admin/accounts/user/add/",
    ]:
        page.goto(live_server.url + path)
        assert page.locator("#content").count() == 1, path
