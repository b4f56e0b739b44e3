"""Issue 14: one way to show numbers and money on every e-Budgeting and e-Musrenbang page:
no scientific notation ("4E+1 rim"), money always "Rp 1.234.567" (no "521.440.000 Rp",
no "Rp 300000")."""

import re

import pytest
from django.urls import reverse

from budgeting import services
from musrenbang.models import Status

from .test_services import lock

pytestmark = pytest.mark.django_db

# "Rp" is either a column unit "(Rp)" or the prefix of a grouped whole amount.
GOOD_RP = re.compile(r"\(Rp\)|Rp\u00a0\d{1,3}(\.\d{3})*(?!\d)")


def bad_money(html: str) -> list[str]:
    text = re.sub(r"<[^>]+>", " | ", html)  # cells stay apart
    found = []
    for m in re.finditer(r"Rp", text):
        window = text[max(0, m.start() - 1) : m.end() + 20]
        if not GOOD_RP.match(text, m.start()) and not GOOD_RP.match(text, max(0, m.start() - 1)):
            found.append(window)
    # an amount followed by "Rp" ("521.440.000 Rp")
    found += re.findall(r"\d[\d.]*\s*Rp\b", text)
    return found


def test_no_page_shows_scientific_notation_or_money_in_another_form(
    make_proposal, activity, budget, opd_officer, tapd, atk, items, client
):
    line = services.line_add(
        activity=activity,
        actor=opd_officer,
        account=atk,
        price_item_id=items["pen"].pk,
        factors=[("40", "rim")],
    )
    assert line.factors == [{"qty": "40", "unit": "rim"}]
    p = make_proposal(Status.ACCEPTED)
    services.activity_fund_proposal(activity=activity, proposal_id=p.pk, actor=tapd)
    lock(budget, opd_officer, tapd)
    services.realisation_set(activity=activity, month=1, amount="30000", actor=opd_officer)
    client.force_login(opd_officer)
    urls = [
        reverse("budgeting:budget-list"),
        budget.get_absolute_url(),
        activity.get_absolute_url(),
        reverse("budgeting:budget-history", args=[budget.pk]),
        reverse("budgeting:index"),
        reverse("budgeting:transparency"),
        p.get_absolute_url(),
        reverse("musrenbang:index"),
        reverse("musrenbang:promises") + f"?tahun={p.cycle.plan_year}&daftar=funded",
    ]
    for url in urls:
        r = client.get(url)
        if r.status_code != 200:
            continue
        html = r.content.decode()
        assert "E+" not in html, url
        assert bad_money(html) == [], (url, bad_money(html))
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "40 rim" in page and "Rp\u00a0140.000" in page  # 40 × 3.500


def test_the_checker_catches_the_old_forms():
    assert bad_money("<td>521.440.000 Rp</td>")
    assert bad_money("<p>Rp 300000</p>")
    assert bad_money("<p>Rp 180.000.000</p>")  # a plain space: may break across lines
    assert not bad_money("<p>Rp\u00a0180.000.000</p><th>Jumlah (Rp)</th>")
