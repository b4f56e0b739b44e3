"""Bank Indonesia's SNAP (Standar Nasional Open API Pembayaran): signatures, response
codes and the virtual account number, as published on the ASPI developer site
(apidevportal.aspi-indonesia.or.id, "Standar Teknis dan Keamanan SNAP", API Virtual
Account service codes 24–26 version 1.0, Access Token B2B service code 73).

- Access token B2B: the bank signs ``<X-CLIENT-KEY>|<X-TIMESTAMP>`` with its private key,
  SHA256withRSA (PKCS#1 v1.5), base64; we verify with its registered public key.
- Transactions: ``X-SIGNATURE = base64(HMAC-SHA512(client secret, <METHOD>:<path>:<token>:
  lowercase(hex(SHA-256(minified body))):<X-TIMESTAMP>))``.
- ``responseCode`` = HTTP status (3) + service code (2) + case (2), e.g. 2002400.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
from dataclasses import dataclass
from decimal import Decimal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings

# Service codes (ASPI SNAP).
ACCESS_TOKEN, VA_INQUIRY, VA_PAYMENT, VA_STATUS, QR_MPM_NOTIFY = "73", "24", "25", "26", "52"


@dataclass(frozen=True)
class Case:
    http: int
    case: str
    message: str

    def code(self, service: str) -> str:
        return f"{self.http}{service}{self.case}"


SUCCESS = Case(200, "00", "Successful")
BAD_REQUEST = Case(400, "00", "Bad Request")
INVALID_FORMAT = Case(400, "01", "Invalid Field Format")
INVALID_MANDATORY = Case(400, "02", "Invalid Mandatory Field")
UNAUTHORIZED = Case(401, "00", "Unauthorized")
INVALID_TOKEN = Case(401, "01", "Invalid Token (B2B)")
BILL_NOT_FOUND = Case(404, "12", "Invalid Bill/Virtual Account")
INVALID_AMOUNT = Case(404, "13", "Invalid Amount")
PAID_BILL = Case(404, "14", "Paid Bill")
BILL_EXPIRED = Case(404, "19", "Invalid Bill/Virtual Account")
CONFLICT = Case(409, "00", "Conflict")
GENERAL_ERROR = Case(500, "00", "General Error")


class SnapError(Exception):
    def __init__(self, case: Case, detail: str = ""):
        super().__init__(detail or case.message)
        self.case, self.detail = case, detail

    def message(self) -> str:
        return f"{self.case.message} [{self.detail}]" if self.detail else self.case.message


# ------------------------------------------------------------------ the body's hash


def minify(body: str) -> str:
    """The body without whitespace outside JSON strings (SNAP signs the minified body)."""
    out, in_string, escaped = [], False, False
    for ch in body:
        if in_string:
            out.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
            out.append(ch)
        elif ch not in " \t\r\n":
            out.append(ch)
    return "".join(out)


def body_hash(body: str) -> str:
    return hashlib.sha256(minify(body).encode("utf-8")).hexdigest().lower()


def string_to_sign(*, method: str, path: str, token: str, body: str, timestamp: str) -> str:
    return f"{method.upper()}:{path}:{token}:{body_hash(body)}:{timestamp}"


def symmetric_signature(
    *, secret: str, method: str, path: str, token: str, body: str, timestamp: str
) -> str:
    message = string_to_sign(method=method, path=path, token=token, body=body, timestamp=timestamp)
    digest = hmac.new(secret.encode(), message.encode("utf-8"), hashlib.sha512).digest()
    return base64.b64encode(digest).decode()


def symmetric_verify(signature: str, **kwargs) -> bool:
    expected = symmetric_signature(**kwargs)
    return hmac.compare_digest(expected.encode(), (signature or "").encode("utf-8", "replace"))


# ------------------------------------------------------------------ the asymmetric signature


def load_public_key(pem: str) -> rsa.RSAPublicKey | None:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError):
        return None
    return key if isinstance(key, rsa.RSAPublicKey) else None


def asymmetric_sign(private_key: rsa.RSAPrivateKey, *, client_id: str, timestamp: str) -> str:
    data = f"{client_id}|{timestamp}".encode()
    return base64.b64encode(private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())).decode()


def asymmetric_verify(
    public_key: rsa.RSAPublicKey, signature: str, *, client_id: str, timestamp: str
) -> bool:
    try:
        raw = base64.b64decode((signature or "").encode("ascii"), validate=True)
        public_key.verify(
            raw, f"{client_id}|{timestamp}".encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except (InvalidSignature, ValueError, UnicodeEncodeError):
        return False
    return True


# ------------------------------------------------------------------ timestamps


def parse_timestamp(value: str) -> datetime.datetime | None:
    """ISO-8601 with an offset, e.g. 2026-12-02T12:00:00+07:00 (SNAP's X-TIMESTAMP)."""
    if not value or len(value) > 35:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def timestamp_now() -> str:
    tz = datetime.timezone(datetime.timedelta(hours=7))
    return datetime.datetime.now(tz).replace(microsecond=0).isoformat()


def is_fresh(moment: datetime.datetime, now: datetime.datetime) -> bool:
    return abs((now - moment).total_seconds()) <= settings.BILLING_SNAP_TIMESTAMP_TOLERANCE


# ------------------------------------------------------------------ numbers


def partner_service_id() -> str:
    """The biller code, 8 characters left-padded with spaces (SNAP partnerServiceId)."""
    return settings.BILLING_SNAP_PARTNER_SERVICE_ID.strip().rjust(8)[:8]


def virtual_account_no(code: str) -> str:
    """virtualAccountNo = partnerServiceId + customerNo (the bill's kode bayar)."""
    return partner_service_id() + code


def virtual_account_display(code: str) -> str:
    return partner_service_id().strip() + code


def amount_value(amount) -> str:
    """SNAP's amount value: "150000.00"."""
    return f"{Decimal(amount):.2f}"
