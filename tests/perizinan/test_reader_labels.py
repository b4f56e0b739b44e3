"""Labels an English walk found wrong: the work queue's late count and a levy bill's title."""

import datetime

import pytest
from django.urls import reverse

from perizinan.services.decision import _bill_issue

from . import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected", "wrong"),
    [("en", "working days late", "late (-"), ("id", "terlambat", "terlambat (-")],
)
def test_work_queue_says_how_many_working_days_late(
    client, building, citizen, permit_verifier, language, expected, wrong
):
    factories.submitted(building, citizen, today=datetime.date(2025, 1, 6))
    permit_verifier.language = language
    permit_verifier.save(update_fields=["language"])
    client.force_login(permit_verifier)
    client.cookies["django_language"] = language  # as the language switch sets it
    page = client.get(reverse("perizinan:work-queue"))
    body = page.content.decode()
    assert expected in body
    assert wrong not in body


def test_levy_bill_title_never_says_none(building, citizen, head):
    app = factories.submitted(building, citizen)
    app.number = None
    app.fee = 1000
    bill = _bill_issue(application=app, actor=head)
    assert "None" not in bill.subject_label
    assert bill.subject_label.startswith(f"#{app.pk} ")
