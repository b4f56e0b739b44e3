import re

import pytest
from playwright.sync_api import expect

from binjai_portal.accounts.models import Dependant, User
from tests.browser import no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NIK = "1275025708950077"  # synthetic: woman born 17-08-1995
PASSWORD = "Binjai-Maju-2026"


def submit(page):
    page.locator("main form.bp-form [type=submit]").first.click()


def log_in(page, identifier):
    page.context.clear_cookies()
    page.goto("/akun/masuk/")
    page.fill("#id_username", identifier)
    page.fill("#id_password", PASSWORD)
    submit(page)
    expect(page).to_have_url(re.compile(r"/$|/akun/profil/$"))


def test_citizen_registers_logs_in_edits_profile_adds_family_and_switches_language(
    phone_page,
    regions,
):
    page = phone_page
    page.goto("/akun/daftar/")
    assert no_horizontal_scroll(page)

    # A first try with a birth date that does not match the NIK: a clear message.
    page.fill("#id_nik", NIK)
    page.fill("#id_full_name", "Rina Marlina")
    page.fill("#id_birth_date", "1995-08-18")
    page.check("input[name=sex][value=P]")
    page.fill("#id_phone", "0813 7000 1234")
    page.fill("#id_email", "rina.marlina.binjai@example.org")
    page.select_option("#id_kelurahan", label="Berngam — Binjai Kota")
    page.fill("#id_address", "Jl. Sudirman No. 10")
    page.fill("#id_rt", "003")
    page.fill("#id_rw", "001")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.check("#id_consent")
    submit(page)
    expect(page.get_by_text("Tanggal lahir tidak sesuai dengan NIK")).to_be_visible()
    assert not User.objects.filter(nik=NIK).exists()

    page.fill("#id_birth_date", "1995-08-17")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    submit(page)
    # The same answer as for a NIK that already has an account: then log in.
    expect(page).to_have_url(re.compile(r"/akun/daftar/terkirim/$"))
    expect(page.get_by_text("Periksa e-mail dan HP Anda untuk melanjutkan.")).to_be_visible()
    assert no_horizontal_scroll(page)
    log_in(page, NIK)
    page.goto("/akun/profil/")
    expect(page.get_by_text("1275**********77")).to_be_visible()
    assert NIK not in page.content()
    assert no_horizontal_scroll(page)

    log_in(page, NIK)
    log_in(page, "0813-7000-1234")
    log_in(page, "Rina.Marlina.Binjai@example.org")

    page.goto("/akun/profil/ubah/")
    page.fill("#id_address", "Jl. Gatot Subroto No. 5")
    submit(page)
    expect(page.get_by_text("Jl. Gatot Subroto No. 5")).to_be_visible()

    page.goto("/akun/keluarga/tambah/")
    page.fill("#id_nik", "1275020302150501")
    page.fill("#id_full_name", "Andi Pratama")
    page.fill("#id_birth_date", "2015-02-03")
    page.check("input[name=sex][value=L]")
    page.select_option("#id_relation", "anak")
    submit(page)
    expect(page.get_by_text("Andi Pratama").first).to_be_visible()
    assert Dependant.objects.filter(guardian__nik=NIK, full_name="Andi Pratama").exists()

    page.goto("/")
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.locator("button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto("/akun/profil/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("profile", re.I))
