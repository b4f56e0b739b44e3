"""The portal as biller on SNAP BI: the bank calls these endpoints.

Every answer is a SNAP body (`responseCode`, `responseMessage`, ...) with the HTTP status
the response code begins with; every request, accepted or refused, is recorded as a
BankEvent for the treasurer.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import re
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.http.request import RawPostDataException
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services, snap
from . import workflows as wf
from .models import AccessToken, BankEvent, Bill, ExternalId
from .settings_check import public_key_pem
from .snap import SnapError

logger = logging.getLogger(__name__)
EXTERNAL_ID_RE = re.compile(r"^[A-Za-z0-9\-]{1,36}$")
CHANNEL_ID_RE = re.compile(r"^[0-9]{1,5}$")
AMOUNT_RE = re.compile(r"^[0-9]{1,14}\.[0-9]{2}$")
MAX_BODY = 16 * 1024


def _answer(service: str, case: snap.Case, detail: str = "", **extra) -> tuple[int, dict]:
    message = f"{case.message} [{detail}]" if detail else case.message
    return case.http, {"responseCode": case.code(service), "responseMessage": message, **extra}


CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def _clean(value, length: int) -> str:
    """What the bank sent, safe to store (PostgreSQL refuses NUL) and bounded."""
    return CONTROL_RE.sub("", str(value if value is not None else ""))[:length]


def _record(request, service, status, body, *, bill=None, data=None, duplicate=False) -> None:
    data = data if isinstance(data, dict) else {}
    amount = data.get("paidAmount") or data.get("amount") or {}
    try:
        with transaction.atomic():
            BankEvent.objects.create(
                service=service,
                partner_id=_clean(request.headers.get("X-PARTNER-ID"), 36),
                external_id=_clean(request.headers.get("X-EXTERNAL-ID"), 36),
                virtual_account_no=_clean(data.get("virtualAccountNo"), 40),
                bill=bill,
                amount=_clean(amount.get("value") if isinstance(amount, dict) else "", 40),
                http_status=status,
                response_code=body["responseCode"],
                response_message=_clean(body["responseMessage"], 200),
                duplicate=duplicate,
            )
    except Exception:  # the record must never turn an answer into a 500
        logger.exception("bank event not recorded")


def _body_text(request) -> str:
    if request.content_type != "application/json":
        raise SnapError(snap.BAD_REQUEST, "Content-Type must be application/json")
    try:
        raw = request.body
    except RawPostDataException:  # a form body, already read by a middleware
        raise SnapError(snap.BAD_REQUEST, "Content-Type must be application/json") from None
    if len(raw) > MAX_BODY:
        raise SnapError(snap.BAD_REQUEST, "Body too large")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SnapError(snap.BAD_REQUEST, "Body is not UTF-8") from None


def _json(text: str) -> dict:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise SnapError(snap.BAD_REQUEST, "Body is not JSON") from None
    if not isinstance(data, dict):
        raise SnapError(snap.BAD_REQUEST, "Body is not a JSON object")
    return data


def _header(request, name: str, pattern: re.Pattern | None = None) -> str:
    value = request.headers.get(name, "")
    if not value:
        raise SnapError(snap.INVALID_MANDATORY, name)
    if pattern is not None and not pattern.match(value):
        raise SnapError(snap.INVALID_FORMAT, name)
    return value


def _timestamp(request) -> str:
    value = _header(request, "X-TIMESTAMP")
    moment = snap.parse_timestamp(value)
    if moment is None:
        raise SnapError(snap.INVALID_FORMAT, "X-TIMESTAMP")
    if not snap.is_fresh(moment, timezone.now()):
        raise SnapError(snap.UNAUTHORIZED, "Timestamp")
    return value


def _field(data: dict, name: str, *, max_length: int = 64, required: bool = True) -> str:
    value = data.get(name)
    if value in (None, ""):
        if required:
            raise SnapError(snap.INVALID_MANDATORY, name)
        return ""
    if not isinstance(value, str) or len(value) > max_length:
        raise SnapError(snap.INVALID_FORMAT, name)
    return value


def _amount(data: dict, name: str) -> Decimal:
    value = data.get(name)
    if not isinstance(value, dict) or value.get("value") in (None, ""):
        raise SnapError(snap.INVALID_MANDATORY, f"{name}.value")
    text, currency = value.get("value"), value.get("currency")
    if not isinstance(text, str) or not AMOUNT_RE.match(text):
        raise SnapError(snap.INVALID_FORMAT, f"{name}.value")
    if currency != "IDR":
        raise SnapError(snap.INVALID_FORMAT, f"{name}.currency")
    return Decimal(text)


def _money(amount) -> dict:
    return {"value": snap.amount_value(amount), "currency": "IDR"}


# ------------------------------------------------------------------ access token


@csrf_exempt
@require_POST
def access_token(request):
    service = snap.ACCESS_TOKEN
    data = None
    try:
        timestamp = _timestamp(request)
        client_key = _header(request, "X-CLIENT-KEY")
        signature = _header(request, "X-SIGNATURE")
        data = _json(_body_text(request))
        if data.get("grantType") != "client_credentials":
            raise SnapError(snap.INVALID_FORMAT, "grantType")
        key = snap.load_public_key(public_key_pem())
        if not settings.BILLING_SNAP_CLIENT_ID or key is None:
            raise SnapError(snap.UNAUTHORIZED, "Unknown client")
        if not secrets.compare_digest(
            client_key.encode("utf-8", "replace"), settings.BILLING_SNAP_CLIENT_ID.encode()
        ):
            raise SnapError(snap.UNAUTHORIZED, "Unknown client")
        if not snap.asymmetric_verify(key, signature, client_id=client_key, timestamp=timestamp):
            raise SnapError(snap.UNAUTHORIZED, "Signature")
        token = secrets.token_urlsafe(32)
        AccessToken.objects.create(
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            client_id=client_key,
            expires_at=timezone.now()
            + datetime.timedelta(seconds=settings.BILLING_SNAP_TOKEN_SECONDS),
        )
        status, body = _answer(
            service,
            snap.SUCCESS,
            accessToken=token,
            tokenType="Bearer",
            expiresIn=str(settings.BILLING_SNAP_TOKEN_SECONDS),
        )
    except SnapError as exc:
        status, body = _answer(service, exc.case, exc.detail)
    _record(request, service, status, body, data=data)
    return JsonResponse(body, status=status)


# ------------------------------------------------------------------ transactions


def _authenticate(request, body_text: str) -> None:
    timestamp = _timestamp(request)
    signature = _header(request, "X-SIGNATURE")
    partner = _header(request, "X-PARTNER-ID")
    _header(request, "X-EXTERNAL-ID", EXTERNAL_ID_RE)
    _header(request, "CHANNEL-ID", CHANNEL_ID_RE)
    auth = request.headers.get("Authorization", "")
    token = auth[7:] if auth.startswith("Bearer ") else ""
    if not token or len(token) > 200:
        raise SnapError(snap.INVALID_TOKEN)
    found = AccessToken.objects.filter(
        token_hash=hashlib.sha256(token.encode("utf-8", "replace")).hexdigest(),
        expires_at__gt=timezone.now(),
    ).exists()
    if not found:
        raise SnapError(snap.INVALID_TOKEN)
    if not settings.BILLING_SNAP_PARTNER_ID or not secrets.compare_digest(
        partner.encode("utf-8", "replace"), settings.BILLING_SNAP_PARTNER_ID.encode()
    ):
        raise SnapError(snap.UNAUTHORIZED, "Unknown partner")
    if not settings.BILLING_SNAP_CLIENT_SECRET or not snap.symmetric_verify(
        signature,
        secret=settings.BILLING_SNAP_CLIENT_SECRET,
        method=request.method,
        path=request.path,
        token=token,
        body=body_text,
        timestamp=timestamp,
    ):
        raise SnapError(snap.UNAUTHORIZED, "Signature")


def _find_bill(data: dict) -> Bill:
    service_id = _field(data, "partnerServiceId", max_length=8)
    customer_no = _field(data, "customerNo", max_length=20)
    va = _field(data, "virtualAccountNo", max_length=28)
    if service_id.strip() != snap.partner_service_id().strip():
        raise SnapError(snap.BILL_NOT_FOUND, "Unknown partnerServiceId")
    if va.replace(" ", "") != (service_id + customer_no).replace(" ", ""):
        raise SnapError(snap.INVALID_FORMAT, "virtualAccountNo")
    code = customer_no.strip()
    bill = Bill.objects.filter(code=code).first() if services.code_is_valid(code) else None
    if bill is None:
        raise SnapError(snap.BILL_NOT_FOUND, "Bill not found")
    return bill


def _va_data(bill: Bill, data: dict) -> dict:
    return {
        "partnerServiceId": snap.partner_service_id(),
        "customerNo": bill.code,
        "virtualAccountNo": bill.virtual_account_no,
        "virtualAccountName": bill.payer_name[:255],
    }


def _refuse_state(bill: Bill) -> None:
    if bill.status == wf.PAID:
        raise SnapError(snap.PAID_BILL)
    if bill.status == wf.EXPIRED or (bill.status == wf.ISSUED and bill.due_at < timezone.now()):
        raise SnapError(snap.BILL_EXPIRED, "Bill expired")
    if bill.status == wf.CANCELLED:
        raise SnapError(snap.BILL_NOT_FOUND, "Bill cancelled")


def _inquiry(request, data: dict) -> tuple[snap.Case, dict, Bill | None]:
    inquiry_id = _field(data, "inquiryRequestId", max_length=128)
    bill = _find_bill(data)
    _refuse_state(bill)
    va = _va_data(bill, data)
    va.update(
        {
            "inquiryStatus": "00",
            "inquiryReason": {"english": "Success", "indonesia": "Sukses"},
            "inquiryRequestId": inquiry_id,
            "totalAmount": _money(bill.amount),
            "virtualAccountTrxType": "C",  # closed amount: exactly the bill
            "billDetails": [
                {
                    "billCode": "01",
                    "billNo": bill.code,
                    "billName": bill.category_label[:20] or "Retribusi",
                    "billShortName": "Retribusi",
                    "billDescription": {
                        "english": "Regional levy",
                        "indonesia": bill.description[:18],
                    },
                    "billAmount": _money(bill.amount),
                }
            ],
            "freeTexts": [
                {
                    "english": f"{settings.REGION_NAME} levy"[:32],
                    "indonesia": f"Retribusi {settings.REGION_NAME}"[:32],
                }
            ],
        }
    )
    return snap.SUCCESS, {"virtualAccountData": va}, bill


def _pay(
    request,
    data: dict,
    channel: str,
    bill: Bill,
    amount: Decimal,
    *,
    request_id: str,
    reference: str,
    paid_at=None,
):
    try:
        outcome = services.bill_pay(
            bill=bill,
            channel=channel,
            amount=amount,
            reference=reference,
            paid_at=paid_at,
            partner_id=request.headers.get("X-PARTNER-ID", ""),
            external_id=request.headers.get("X-EXTERNAL-ID", ""),
            payment_request_id=request_id,
        )
    except services.PaymentRefused as exc:
        case = {
            "paid": (snap.PAID_BILL, ""),
            "expired": (snap.BILL_EXPIRED, "Bill expired"),
            "amount": (snap.INVALID_AMOUNT, ""),
        }.get(exc.reason, (snap.BILL_NOT_FOUND, "Bill cancelled"))
        raise SnapError(*case) from None
    return outcome


def _payment(request, data: dict) -> tuple[snap.Case, dict, Bill | None]:
    request_id = _field(data, "paymentRequestId", max_length=128)
    amount = _amount(data, "paidAmount")
    reference = _field(data, "referenceNo", max_length=64, required=False) or request_id
    trx = _field(data, "trxDateTime", max_length=35, required=False)
    paid_at = snap.parse_timestamp(trx) if trx else None
    if trx and paid_at is None:
        raise SnapError(snap.INVALID_FORMAT, "trxDateTime")
    bill = _find_bill(data)
    try:
        outcome = _pay(
            request,
            data,
            Bill.Channel.VA,
            bill,
            amount,
            request_id=request_id,
            reference=reference,
            paid_at=paid_at,
        )
    except SnapError as exc:
        exc.bill = bill
        raise
    bill, payment = outcome.bill, outcome.payment
    va = _va_data(bill, data)
    va.update(
        {
            "paymentFlagReason": {"english": "Success", "indonesia": "Sukses"},
            "paymentRequestId": payment.payment_request_id,
            "paidAmount": _money(payment.amount),
            "totalAmount": _money(bill.amount),
            "trxDateTime": timezone.localtime(payment.paid_at).isoformat(timespec="seconds"),
            "referenceNo": payment.reference,
            "paymentFlagStatus": "00",
        }
    )
    return snap.SUCCESS, {"virtualAccountData": va, "_repeated": outcome.repeated}, bill


def _status(request, data: dict) -> tuple[snap.Case, dict, Bill | None]:
    inquiry_id = _field(data, "inquiryRequestId", max_length=128)
    request_id = _field(data, "paymentRequestId", max_length=128, required=False)
    bill = _find_bill(data)
    payment = getattr(bill, "payment", None) if bill.status == wf.PAID else None
    va = _va_data(bill, data)
    flag = "00" if payment else ("02" if bill.status == wf.ISSUED else "01")
    reason = {
        "00": ("Success", "Sukses"),
        "01": ("Bill is not payable", "Tagihan tidak dapat dibayar"),
        "02": ("Not paid yet", "Belum dibayar"),
    }[flag]
    va.update(
        {
            "paymentFlagReason": {"english": reason[0], "indonesia": reason[1]},
            "inquiryRequestId": inquiry_id,
            "paymentRequestId": payment.payment_request_id if payment else request_id,
            "paidAmount": _money(payment.amount if payment else 0),
            "totalAmount": _money(bill.amount),
            "transactionDate": (
                timezone.localtime(payment.paid_at).isoformat(timespec="seconds") if payment else ""
            ),
            "referenceNo": payment.reference if payment else "",
            "paymentFlagStatus": flag,
        }
    )
    return snap.SUCCESS, {"virtualAccountData": va}, bill


def _qr_notify(request, data: dict) -> tuple[snap.Case, dict, Bill | None]:
    """QRIS MPM payment notification: the bill reference is the QR's tag 62 (kode bayar)."""
    code = _field(data, "originalPartnerReferenceNo", max_length=64).strip()
    reference = _field(data, "originalReferenceNo", max_length=64)
    status = _field(data, "latestTransactionStatus", max_length=2)
    amount = _amount(data, "amount")
    bill = Bill.objects.filter(code=code).first() if services.code_is_valid(code) else None
    if bill is None:
        raise SnapError(snap.BILL_NOT_FOUND, "Bill not found")
    if status != "00":  # not a successful payment: acknowledged, nothing to record
        return snap.SUCCESS, {}, bill
    try:
        _pay(
            request,
            data,
            Bill.Channel.QRIS,
            bill,
            amount,
            request_id=reference,
            reference=reference,
        )
    except SnapError as exc:
        exc.bill = bill
        raise
    return snap.SUCCESS, {}, bill


def _transaction_view(service: str, handler):
    @csrf_exempt
    @require_POST
    def view(request):
        data, bill, duplicate = None, None, False
        try:
            text = _body_text(request)
            _authenticate(request, text)
            data = _json(text)
            status, body, bill, duplicate = _idempotent(request, service, handler, text, data)
        except SnapError as exc:
            status, body = _answer(service, exc.case, exc.detail)
            bill = getattr(exc, "bill", None)
        _record(request, service, status, body, bill=bill, data=data, duplicate=duplicate)
        return JsonResponse(body, status=status)

    view.__name__ = f"snap_{handler.__name__.strip('_')}"
    view.guard_refusal = _guard_refusal(service)
    return view


def _guard_refusal(service: str):
    """The request guard (control characters, oversized body) refuses in SNAP's shape."""

    def refuse(request, status: int, message: str) -> JsonResponse:
        case = snap.BAD_REQUEST
        _status, body = _answer(service, case, "Invalid characters or size")
        _record(request, service, case.http, body)
        return JsonResponse(body, status=case.http)

    return refuse


def _idempotent(request, service, handler, text, data):
    """X-EXTERNAL-ID is unique per partner and day: the same request again gets the first
    answer; another request with the same id is a conflict (SNAP 409xx00)."""
    key = {
        "partner_id": request.headers["X-PARTNER-ID"][:36],
        "external_id": request.headers["X-EXTERNAL-ID"][:36],
        "day": timezone.localdate(),
    }
    digest = services.request_hash(text)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = ExternalId.objects.create(request_hash=digest, **key)
        except IntegrityError:
            record = ExternalId.objects.get(**key)
            if record.request_hash != digest:
                raise SnapError(
                    snap.CONFLICT, "Cannot use same X-EXTERNAL-ID in same day"
                ) from None
            bill = Bill.objects.filter(pk=record.response.get("_bill")).first()
            body = {k: v for k, v in record.response.items() if not k.startswith("_")}
            return record.http_status, body, bill, True
        bill = None
        try:
            case, extra, bill = handler(request, data)
            repeated = bool(extra.pop("_repeated", False))
            status, body = _answer(service, case, **extra)
        except SnapError as exc:
            repeated = False
            bill = getattr(exc, "bill", None)
            status, body = _answer(service, exc.case, exc.detail)
        record.http_status = status
        record.response = {**body, "_bill": bill.pk if bill else None}
        record.save(update_fields=["http_status", "response"])
    return status, body, bill, repeated


va_inquiry = _transaction_view(snap.VA_INQUIRY, _inquiry)
va_payment = _transaction_view(snap.VA_PAYMENT, _payment)
va_status = _transaction_view(snap.VA_STATUS, _status)
qr_mpm_notify = _transaction_view(snap.QR_MPM_NOTIFY, _qr_notify)
access_token.guard_refusal = _guard_refusal(snap.ACCESS_TOKEN)
