import pytest

from tests.browser import axe_violations, no_horizontal_scroll, phone_page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/", "/akun/daftar/", "/akun/masuk/"])
def test_no_serious_accessibility_violations_on_a_phone(phone_page, regions, path):  # noqa: F811
    phone_page.goto(path)
    assert axe_violations(phone_page) == []
    assert no_horizontal_scroll(phone_page)


def test_no_serious_accessibility_violations_on_a_desktop(page, live_server, regions):
    page.set_viewport_size({"width": 1280, "height": 800})
    for path in ["/", "/akun/daftar/", "/akun/masuk/"]:
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
