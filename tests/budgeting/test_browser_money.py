"""Browser checks of issue 19 and issue 14's e-Budgeting items at 360 px, in Indonesian
and English: no page wider than the phone, the line form's non-standard fields, the
delete confirmation; screenshots go to /tmp/money/."""

from pathlib import Path

import pytest

from budgeting import services
from budgeting.models import FundedProposal, Line
from musrenbang.models import Status
from tests.browser import no_horizontal_scroll
from tests.musrenbang.factories import photo

from .test_browser import login
from .test_services import lock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/money")


@pytest.fixture
def story(make_proposal, activity, budget, opd_officer, tapd, atk, items):
    """A proposal funded, realised and completed; an approved, locked budget."""
    services.line_add(
        activity=activity,
        actor=opd_officer,
        account=atk,
        price_item_id=items["pen"].pk,
        factors=[("400", "buah"), ("3", "hari")],
    )
    p = make_proposal(Status.ACCEPTED)
    services.activity_fund_proposal(activity=activity, proposal_id=p.pk, actor=tapd)
    lock(budget, opd_officer, tapd)
    for month, amount in ((2, "1.200.000"), (3, "2.000.000"), (4, "900.000")):
        services.realisation_set(activity=activity, month=month, amount=amount, actor=tapd)
    services.funded_proposal_complete(
        funded=FundedProposal.objects.get(proposal_id=p.pk),
        actor=opd_officer,
        photo=photo(),
        note="Pekerjaan selesai dan diperiksa bersama warga.",
    )
    return p


@pytest.mark.parametrize("lang", ["id", "en"])
def test_public_pages_fit_a_phone_in_both_languages(phone_page, story, lang):
    page = phone_page
    page.goto("/")
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": page.url}])
    SHOTS.mkdir(exist_ok=True)
    year = story.cycle.plan_year
    for name, url in (
        ("apbd", "/budgeting/apbd/"),
        ("janji", f"/musrenbang/janji/?tahun={year}"),
        ("janji-list", f"/musrenbang/janji/?tahun={year}&wilayah=12.75.02&daftar=funded"),
        ("usulan", story.get_absolute_url()),
    ):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang").startswith(lang)
        page.screenshot(path=str(SHOTS / f"browser-{name}-{lang}.png"), full_page=True)
        assert no_horizontal_scroll(page), (url, lang)
    page.goto(story.get_absolute_url())
    assert page.get_by_test_id("realisation").is_visible()
    assert page.get_by_test_id("completion").is_visible()


def test_line_form_shows_non_standard_fields_only_when_chosen_and_delete_asks(
    phone_page, activity, opd_officer, atk, items
):
    line = services.line_add(
        activity=activity,
        actor=opd_officer,
        account=atk,
        price_item_id=items["pen"].pk,
        factors=[("2", "buah")],
    )
    page = phone_page
    login(page, opd_officer)
    page.goto(f"/budgeting/kegiatan/{activity.pk}/")
    assert no_horizontal_scroll(page)
    assert page.get_by_test_id("ceiling-left").inner_text() == "Rp\xa09.993.000"
    assert not page.locator("#id_justification").is_visible()
    page.select_option("#id_price_item", "non-standar")
    assert page.locator("#id_justification").is_visible()
    page.select_option("#id_price_item", str(items["pen"].pk))
    assert not page.locator("#id_justification").is_visible()

    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.get_by_role("button", name="Hapus").first.click()
    page.wait_for_timeout(300)
    assert asked and "Hapus rincian" in asked[0]
    assert Line.objects.filter(pk=line.pk).exists()  # dismissed: nothing deleted
