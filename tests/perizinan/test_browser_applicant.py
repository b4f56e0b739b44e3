"""The applicant's business fields and the withdrawal, in Chromium at 360 px."""

import pytest

from perizinan import workflows as wf
from perizinan.models import Application
from tests.browser import no_horizontal_scroll

from . import factories
from .test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_business_fields_only_for_a_business_applicant(phone_page, building, citizen):
    app = factories.draft(building, citizen)
    page = phone_page
    login(page, citizen)
    page.goto(f"/perizinan/permohonan/{app.pk}/ubah/")
    page.check("input[name=applicant_kind][value=person]")
    assert not page.locator("[name=nib]").is_visible()
    assert not page.locator("[name=npwp]").is_visible()
    page.check("input[name=applicant_kind][value=business]")
    assert page.locator("[name=nib]").is_visible() and page.locator("[name=npwp]").is_visible()
    assert no_horizontal_scroll(page)


def test_withdrawal_is_tucked_away_and_asks_first(phone_page, practice, citizen):
    app = factories.submitted(practice, citizen)
    page = phone_page
    login(page, citizen)
    page.goto(app.get_absolute_url())
    button = page.get_by_role("button", name="Cabut permohonan ini")
    assert not button.is_visible()  # closed until the applicant opens it
    page.get_by_text("Cabut permohonan…").click()
    answers = iter([False, True])
    page.on("dialog", lambda d: d.accept() if next(answers) else d.dismiss())
    button.click()  # dismissed: nothing happens
    page.wait_for_timeout(300)
    assert Application.objects.get(pk=app.pk).status == wf.SUBMITTED
    button.click()
    page.wait_for_load_state()
    assert Application.objects.get(pk=app.pk).status == wf.WITHDRAWN
    assert no_horizontal_scroll(page)
