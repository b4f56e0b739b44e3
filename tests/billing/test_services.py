import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from binjai_portal.core.billing import services
from binjai_portal.core.billing import workflows as wf
from binjai_portal.core.billing.models import Bill, Difference, Payment
from binjai_portal.core.models import StatusChange

from . import factories

pytestmark = pytest.mark.django_db


def test_code_has_a_check_digit(citizen):
    bill = factories.bill(citizen)
    assert services.code_is_valid(bill.code)
    wrong = bill.code[:-1] + str((int(bill.code[-1]) + 1) % 10)
    assert not services.code_is_valid(wrong)
    assert StatusChange.objects.filter(workflow="billing.bill", to_state="issued").count() == 1


def test_amount_is_immutable_in_the_database(citizen):
    bill = factories.bill(citizen)
    with pytest.raises(DatabaseError), transaction.atomic():
        Bill.objects.filter(pk=bill.pk).update(amount=Decimal("1"))
    assert Bill.objects.get(pk=bill.pk).amount == Decimal("150000")


def test_amount_must_be_positive(citizen):
    with pytest.raises(ValidationError):
        factories.bill(citizen, amount="0")


def test_one_open_bill_per_record(citizen):
    factories.bill(citizen)
    with pytest.raises(ValidationError):
        factories.bill(citizen)


def test_correction_cancels_and_reissues_both_visible(citizen, treasurer):
    bill = factories.bill(citizen)
    new = services.bill_correct(
        bill=bill, actor=treasurer, amount=Decimal("120000"), reason="tarif"
    )
    bill.refresh_from_db()
    assert bill.status == wf.CANCELLED and bill.cancel_reason == "tarif"
    assert new.replaces == bill and new.amount == 120000 and new.status == wf.ISSUED
    assert Bill.objects.filter(subject_kind="test.levy").count() == 2


def test_cancel_needs_the_treasurer(citizen):
    from binjai_portal.core.workflow import TransitionRefused

    bill = factories.bill(citizen)
    with pytest.raises(TransitionRefused):
        services.bill_cancel(bill=bill, actor=citizen, reason="x")
    assert Bill.objects.get(pk=bill.pk).status == wf.ISSUED


def test_cashier_payment_with_spaces_in_the_receipt_number(citizen, treasurer):
    bill = factories.bill(citizen)
    outcome = services.bill_record_cash(
        bill=bill, actor=treasurer, receipt_number="  kw 2026 00123 ", note="Tunai di loket"
    )
    assert outcome.bill.status == wf.PAID and outcome.bill.receipt_number == "KW202600123"
    change = StatusChange.objects.filter(workflow="billing.bill", action="record_cash").get()
    assert change.actor == treasurer and change.note == "Tunai di loket"
    assert outcome.payment.recorded_by == treasurer


def test_cashier_only_for_the_treasurer(citizen, permit_verifier):
    bill = factories.bill(citizen)
    with pytest.raises(ValidationError):
        services.bill_record_cash(bill=bill, actor=permit_verifier, receipt_number="KW1", note="x")
    with pytest.raises(ValidationError):
        services.bill_record_cash(bill=bill, actor=citizen, receipt_number="KW1", note="x")
    assert not Payment.objects.exists()


def test_expire(citizen):
    bill = factories.bill(citizen)
    Bill.objects.filter(pk=bill.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    assert services.bill_expire_due() == 1
    assert Bill.objects.get(pk=bill.pk).status == wf.EXPIRED
    with pytest.raises(services.PaymentRefused):
        services.bill_pay(bill=bill, channel="va", amount=bill.amount, reference="R")


def _settle(path, rows):
    header = ",".join(services.SETTLEMENT_COLUMNS)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "\n" + "\n".join(",".join(r) for r in rows) + "\n")


def test_reconciliation_lists_differences_and_never_pays(citizen, bank):
    today = timezone.localdate()
    paid_ok = factories.bill(citizen, subject_id="1")
    paid_no_bank = factories.bill(citizen, subject_id="2")
    unpaid = factories.bill(citizen, subject_id="3")
    wrong = factories.bill(citizen, subject_id="4")
    for b in (paid_ok, paid_no_bank, wrong):
        services.bill_pay(bill=b, channel="va", amount=b.amount, reference=f"R{b.pk}")
    d = today.isoformat()
    _settle(
        services.settlement_path(today),
        [
            (d, "09:00:00", "REF1", "", paid_ok.code, "va", "x", "150000.00"),
            (d, "09:01:00", "REF2", "", unpaid.code, "va", "x", "150000.00"),
            (d, "09:02:00", "REF3", "", wrong.code, "va", "x", "140000.00"),
            (d, "09:03:00", "REF4", "", "26999999990", "va", "x", "5000.00"),
            (d, "09:04:00", "REF5", "", paid_ok.code, "va", "x", "150000.00"),
        ],
    )
    services.reconciliation_run(day=today)
    kinds = {(x.kind, x.bill_id) for x in Difference.objects.filter(day=today)}
    assert kinds == {
        (Difference.Kind.NOT_IN_PORTAL, unpaid.pk),
        (Difference.Kind.NOT_IN_BANK, paid_no_bank.pk),
        (Difference.Kind.AMOUNT, wrong.pk),
        (Difference.Kind.UNKNOWN_BILL, None),
        (Difference.Kind.DUPLICATE, paid_ok.pk),
    }
    assert Bill.objects.get(pk=unpaid.pk).status == wf.ISSUED  # never marked paid
    services.reconciliation_run(day=today)  # a second run replaces, not adds
    assert Difference.objects.filter(day=today).count() == 5
