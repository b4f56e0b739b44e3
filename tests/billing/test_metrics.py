import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from binjai_portal.core import kpi
from binjai_portal.core.billing import services
from binjai_portal.core.billing.models import Bill

from . import factories

pytestmark = pytest.mark.django_db


def test_levy_figures(citizen, treasurer):
    paid = factories.bill(citizen, subject_id="1")
    late = factories.bill(citizen, subject_id="2", amount="50000")
    gone = factories.bill(citizen, subject_id="3", amount="999")
    services.bill_cancel(bill=gone, actor=treasurer, reason="salah")
    Bill.objects.filter(pk=late.pk).update(due_at=timezone.now() - datetime.timedelta(days=1))
    services.bill_pay(bill=paid, channel="va", amount=paid.amount, reference="R1")
    today = timezone.localdate()
    filters = kpi.Filters(period=kpi.Period(today - datetime.timedelta(days=6), today))
    values = kpi.registry.compute_values(filters)
    assert values[("billing", "levy_billed")].value == Decimal("200000")
    assert values[("billing", "levy_paid")].value == Decimal("150000")
    assert values[("billing", "levy_overdue")].value == 1
    assert values[("billing", "levy_days_to_pay")].value == Decimal("0.0")
    section = next(s for s in kpi.registry.compute_sections(filters) if s.app == "billing")
    per_type = section.tables[0]
    assert per_type.rows[0][0] == "Retribusi uji" and per_type.rows[0][3] == 1
