"""Crafted SNAP requests (one header or body field at a time, signed or not) never get a
5xx, always a SNAP error body whose code starts with the HTTP status, and never pay."""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from binjai_portal.core.billing.models import Payment
from simulators.bank.client import hmac_signature, now_timestamp

from . import factories
from .conftest import SECRET

pytestmark = pytest.mark.django_db

VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "\x00", "²", "١٢٣", "1e309", "-1", "NaN", "9" * 40, " 12751", "{}"]),
    st.integers(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)
HEADERS = [
    "X-TIMESTAMP",
    "X-SIGNATURE",
    "X-PARTNER-ID",
    "X-EXTERNAL-ID",
    "CHANNEL-ID",
    "Authorization",
]
FIELDS = [
    "partnerServiceId",
    "customerNo",
    "virtualAccountNo",
    "inquiryRequestId",
    "paymentRequestId",
    "paidAmount",
    "originalPartnerReferenceNo",
    "latestTransactionStatus",
    "amount",
]
PATHS = [
    "/v1.0/transfer-va/inquiry",
    "/v1.0/transfer-va/payment",
    "/v1.0/transfer-va/status",
    "/v1.0/qr/qr-mpm-notify",
]


@pytest.fixture
def world(bank, citizen):
    bill = factories.bill(citizen)
    c = Client()
    ts = now_timestamp()
    body = json.dumps({"grantType": "client_credentials"})
    from binjai_portal.core.billing import snap

    sig = snap.asymmetric_sign(bank.key, client_id="BANKSUMUT-SIM", timestamp=ts)
    token = c.post(
        "/v1.0/access-token/b2b",
        body,
        content_type="application/json",
        headers={"X-TIMESTAMP": ts, "X-CLIENT-KEY": "BANKSUMUT-SIM", "X-SIGNATURE": sig},
    ).json()["accessToken"]
    return c, bill, token


def _payload(bill):
    va = bill.virtual_account_no
    return {
        "partnerServiceId": va[:8],
        "customerNo": va[8:],
        "virtualAccountNo": va,
        "inquiryRequestId": "INQ1",
        "paymentRequestId": "PAY1",
        "paidAmount": {"value": "150000.00", "currency": "IDR"},
        "originalPartnerReferenceNo": bill.code,
        "originalReferenceNo": "QR1",
        "latestTransactionStatus": "00",
        "amount": {"value": "150000.00", "currency": "IDR"},
    }


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    path=st.sampled_from(PATHS),
    where=st.sampled_from(["header", "body", "raw"]),
    name=st.sampled_from(HEADERS),
    field=st.sampled_from(FIELDS),
    value=VALUES,
    sign=st.booleans(),
    raw=st.binary(max_size=60),
)
def test_no_crafted_request_causes_a_5xx(world, path, where, name, field, value, sign, raw):
    c, bill, token = world
    data = _payload(bill)
    if where == "body":
        data[field] = value
    body = json.dumps(data, separators=(",", ":"))
    if where == "raw":
        body = raw.decode("latin-1")
    ts = now_timestamp()
    headers = {
        "Authorization": f"Bearer {token}",
        "X-TIMESTAMP": ts,
        "X-PARTNER-ID": "BSUMUT",
        "X-EXTERNAL-ID": str(abs(hash((path, where, name, field, str(value), sign))))[:18],
        "CHANNEL-ID": "95221",
    }
    headers["X-SIGNATURE"] = hmac_signature(SECRET, "POST", path, token, body, ts) if sign else "x"
    if where == "header" and name in headers:
        headers[name] = str(value).replace("\n", "").replace("\r", "")[:200]
    response = c.post(
        path, body.encode("latin-1", "replace"), content_type="application/json", headers=headers
    )
    assert response.status_code < 500, response.content
    answer = response.json()
    assert answer["responseCode"][:3] == str(response.status_code)
    if where != "body" or field not in ("paidAmount", "amount"):
        return
    for p in Payment.objects.all():  # whatever was paid, it was the bill's exact amount
        assert p.amount == bill.amount
