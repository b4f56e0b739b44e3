"""The bank's side of SNAP BI: a client that signs like a bank (its own RSA key pair for
the access token, the shared client secret for transactions) and calls the biller.

Independent of the portal's code on purpose: the signatures are computed here again,
so a test that passes proves the two sides agree on the published algorithm.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import http.client
import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


def now_timestamp(offset_seconds: int = 0) -> str:
    moment = datetime.datetime.now(JAKARTA) + datetime.timedelta(seconds=offset_seconds)
    return moment.replace(microsecond=0).isoformat()


def generate_key(path: str) -> rsa.RSAPrivateKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with open(path, "wb") as fh:
        fh.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    with open(path + ".pub", "wb") as fh:
        fh.write(public_pem(key).encode())
    return key


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def load_key(path: str) -> rsa.RSAPrivateKey:
    with open(path, "rb") as fh:
        return serialization.load_pem_private_key(fh.read(), password=None)


def hmac_signature(secret: str, method: str, path: str, token: str, body: str, ts: str) -> str:
    digest = hashlib.sha256(body.encode()).hexdigest().lower()
    message = f"{method}:{path}:{token}:{digest}:{ts}"
    raw = hmac.new(secret.encode(), message.encode(), hashlib.sha512).digest()
    return base64.b64encode(raw).decode()


@dataclass
class Answer:
    status: int
    body: dict


class Timeout(Exception):
    pass


class SnapClient:
    def __init__(
        self,
        *,
        base_url: str,
        key: rsa.RSAPrivateKey,
        client_id: str,
        client_secret: str,
        partner_id: str,
        channel_id: str = "95221",
    ):
        self.base_url = base_url.rstrip("/")
        self.key, self.client_id, self.client_secret = key, client_id, client_secret
        self.partner_id, self.channel_id = partner_id, channel_id
        self.token = ""

    def _post(self, path: str, body: str, headers: dict, timeout: float = 10) -> Answer:
        request = urllib.request.Request(  # noqa: S310 (a URL from the command line)
            self.base_url + path, data=body.encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310
                return Answer(resp.status, json.loads(resp.read() or b"{}"))
        except urllib.error.HTTPError as err:
            raw = err.read()
            try:
                return Answer(err.code, json.loads(raw or b"{}"))
            except ValueError:
                return Answer(err.code, {"raw": raw.decode(errors="replace")})
        except (TimeoutError, http.client.HTTPException, urllib.error.URLError) as exc:
            raise Timeout(str(exc)) from exc

    def access_token(self, *, bad_signature: bool = False, ts: str | None = None) -> Answer:
        ts = ts or now_timestamp()
        data = f"{self.client_id}|{ts}".encode()
        signature = base64.b64encode(
            self.key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        ).decode()
        if bad_signature:
            signature = base64.b64encode(b"\x00" * 256).decode()
        body = json.dumps({"grantType": "client_credentials"}, separators=(",", ":"))
        answer = self._post(
            "/v1.0/access-token/b2b",
            body,
            {
                "Content-Type": "application/json",
                "X-TIMESTAMP": ts,
                "X-CLIENT-KEY": self.client_id,
                "X-SIGNATURE": signature,
            },
        )
        self.token = answer.body.get("accessToken", "")
        return answer

    def call(
        self,
        path: str,
        payload: dict,
        *,
        external_id: str | None = None,
        ts: str | None = None,
        bad_signature: bool = False,
        timeout: float = 10,
        token: str | None = None,
    ) -> Answer:
        if not self.token and token is None:
            self.access_token()
        token = self.token if token is None else token
        ts = ts or now_timestamp()
        body = json.dumps(payload, separators=(",", ":"))
        signature = hmac_signature(self.client_secret, "POST", path, token, body, ts)
        if bad_signature:
            signature = hmac_signature("not-the-secret", "POST", path, token, body, ts)
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            "X-TIMESTAMP": ts,
            "X-SIGNATURE": signature,
            "X-PARTNER-ID": self.partner_id,
            "X-EXTERNAL-ID": external_id or str(secrets.randbelow(10**18)).zfill(18),
            "CHANNEL-ID": self.channel_id,
        }
        return self._post(path, body, headers, timeout=timeout)

    # The VA messages, field names as in the SNAP specification.

    @staticmethod
    def split_va(va: str) -> tuple[str, str]:
        return va[:8], va[8:]

    def inquiry(self, va: str, **kw) -> Answer:
        service_id, customer = self.split_va(va)
        return self.call(
            "/v1.0/transfer-va/inquiry",
            {
                "partnerServiceId": service_id,
                "customerNo": customer,
                "virtualAccountNo": va,
                "trxDateInit": now_timestamp(),
                "channelCode": 6011,
                "language": "ID",
                "inquiryRequestId": secrets.token_hex(16),
            },
            **kw,
        )

    def payment(
        self, va: str, amount: str, *, request_id: str, name: str = "", trx: str = "", **kw
    ) -> Answer:
        service_id, customer = self.split_va(va)
        return self.call(
            "/v1.0/transfer-va/payment",
            {
                "partnerServiceId": service_id,
                "customerNo": customer,
                "virtualAccountNo": va,
                "virtualAccountName": name,
                "paymentRequestId": request_id,
                "channelCode": 6011,
                "paidAmount": {"value": amount, "currency": "IDR"},
                "totalAmount": {"value": amount, "currency": "IDR"},
                "trxDateTime": trx or now_timestamp(),
                "referenceNo": request_id[:16].upper(),
                "flagAdvise": "N",
            },
            **kw,
        )

    def status(self, va: str, *, request_id: str = "", **kw) -> Answer:
        service_id, customer = self.split_va(va)
        return self.call(
            "/v1.0/transfer-va/status",
            {
                "partnerServiceId": service_id,
                "customerNo": customer,
                "virtualAccountNo": va,
                "inquiryRequestId": secrets.token_hex(16),
                "paymentRequestId": request_id,
            },
            **kw,
        )

    def qr_notify(self, *, bill_code: str, amount: str, reference: str, **kw) -> Answer:
        return self.call(
            "/v1.0/qr/qr-mpm-notify",
            {
                "originalReferenceNo": reference,
                "originalPartnerReferenceNo": bill_code,
                "latestTransactionStatus": "00",
                "transactionStatusDesc": "Success",
                "amount": {"value": amount, "currency": "IDR"},
                "additionalInfo": {},
            },
            **kw,
        )


def parse_qris(text: str) -> dict[str, str]:
    """Top-level EMVCo data objects, CRC-16/CCITT-FALSE checked (the wallet's side)."""
    import binascii

    if f"{binascii.crc_hqx(text[:-4].encode(), 0xFFFF):04X}" != text[-4:].upper():
        raise ValueError("QRIS CRC mismatch")
    out, i = {}, 0
    while i < len(text):
        tag, n = text[i : i + 2], int(text[i + 2 : i + 4])
        out[tag] = text[i + 4 : i + 4 + n]
        i += 4 + n
    return out
