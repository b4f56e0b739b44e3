"""The bank simulator, a process of its own, pays bills over real HTTP and misbehaves."""

import json
import urllib.request

import pytest
from django.utils import timezone

from binjai_portal.core.billing import selectors, services
from binjai_portal.core.billing import workflows as wf
from binjai_portal.core.billing.models import BankEvent, Bill, Difference, Payment

from . import factories

pytestmark = pytest.mark.django_db(transaction=True)


def pay(sim, bill, channel="va", mode="ok"):
    view = selectors.bill_view(bill=bill)
    body = json.dumps(
        {
            "channel": channel,
            "virtualAccountNo": bill.virtual_account_no,
            "qrisPayload": view.qris_payload,
            "mode": mode,
        }
    ).encode()
    req = urllib.request.Request(sim + "/simulate/pay", data=body, method="POST")
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def test_va_qris_repeats_timeouts_and_faults(bank_simulator, citizen):
    va_bill = factories.bill(citizen, subject_id="1")
    answer = pay(bank_simulator, va_bill, mode="repeat")
    assert answer["responseCode"] == "2002500", answer
    assert [s[2] for s in answer["steps"]][-2:] == ["2002500", "2002500"]
    assert Payment.objects.filter(bill=va_bill).count() == 1

    qr_bill = factories.bill(citizen, subject_id="2")
    answer = pay(bank_simulator, qr_bill, channel="qris", mode="repeat")
    assert answer["responseCode"] == "2005200", answer
    assert Bill.objects.get(pk=qr_bill.pk).channel == "qris"

    late = factories.bill(citizen, subject_id="3")
    answer = pay(bank_simulator, late, mode="timeout")
    steps = {s[0]: s[2] for s in answer["steps"]}
    assert steps["payment"] == "timeout" and steps["status"] == "2002600"
    assert Payment.objects.filter(bill=late).count() == 1

    bad = factories.bill(citizen, subject_id="4")
    assert pay(bank_simulator, bad, mode="bad_signature")["responseCode"] == "4012400"
    assert pay(bank_simulator, bad, mode="stale")["responseCode"] == "4012400"
    assert pay(bank_simulator, bad, mode="wrong_amount")["responseCode"] == "4042513"
    assert (
        pay(bank_simulator, bad, channel="qris", mode="wrong_amount")["responseCode"] == "4045213"
    )
    assert Bill.objects.get(pk=bad.pk).status == wf.ISSUED
    assert BankEvent.objects.filter(http_status__gte=400).count() >= 4

    # The simulator's settlement file agrees with the portal: no differences.
    assert not services.reconciliation_run(day=timezone.localdate())
    req = urllib.request.Request(
        bank_simulator + "/_settlement_extra",
        data=json.dumps(
            {
                "tanggal_transaksi": timezone.localdate().isoformat(),
                "jam_transaksi": "10:00:00",
                "no_referensi": "LOST1",
                "no_virtual_account": bad.virtual_account_no.strip(),
                "kode_bayar": bad.code,
                "saluran": "va",
                "keterangan": "PEMBAYARAN",
                "kredit": "150000.00",
            }
        ).encode(),
        method="POST",
    )
    urllib.request.urlopen(req, timeout=10).read()
    diffs = services.reconciliation_run(day=timezone.localdate())
    assert [(d.kind, d.bill_id) for d in diffs] == [(Difference.Kind.NOT_IN_PORTAL, bad.pk)]
    assert Bill.objects.get(pk=bad.pk).status == wf.ISSUED
