"""Billing on the treasurer's desk and on the citizen's "Aktivitas saya"."""

import pytest
from django.utils import timezone

from binjai_portal.core import desk
from binjai_portal.core.billing.models import Difference

from . import factories

pytestmark = pytest.mark.django_db


def test_the_citizen_sees_the_bill_to_pay_with_its_deadline_and_nobody_elses(citizen, make_citizen):
    mine = factories.bill(citizen)
    factories.bill(make_citizen(), subject_id="2")

    items = [i for i in desk.activity_for(citizen) if i.reference.startswith(mine.code[:4])]

    assert [i.reference for i in items] == [mine.code]
    assert items[0].due == timezone.localdate(mine.due_at) and items[0].next_step


def test_reconciliation_differences_wait_on_the_treasurers_desk_only(treasurer, citizen):
    bill = factories.bill(citizen)
    Difference.objects.create(
        day=timezone.localdate(),
        kind=Difference.Kind.AMOUNT,
        bill=bill,
        bank_reference="BANK-1",
        bank_amount=1,
        portal_amount=bill.amount,
    )

    sections = {s.app: s for s in desk.desk_for(treasurer)}
    assert sections["billing"].pile.count == 1
    assert sections["billing"].items[0].reference == bill.code
    assert "billing" not in {p.app for p in desk.desk_for(citizen)}
