"""BPJS request signature and response decryption (Katalog WS BPJS, "Signature" and
"Dekripsi Response").

- `X-timestamp`: seconds since 1970-01-01 UTC; `X-signature`: base64 of
  HMAC-SHA256(key=secret, message="<cons-id>&<timestamp>").
- A response's encrypted `response`: base64 of AES-256-CBC, key = SHA-256 of
  cons-id + secret + timestamp (the request's timestamp), IV = the key's first 16 bytes,
  PKCS#7 padding; the plain text is LZ-string compressed (`decompressFromEncodedURIComponent`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import lzstring
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def timestamp(now: float | None = None) -> str:
    return str(int(now if now is not None else time.time()))


def signature(*, cons_id: str, secret: str, stamp: str) -> str:
    digest = hmac.new(secret.encode(), f"{cons_id}&{stamp}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def headers(*, cons_id: str, secret: str, user_key: str, now: float | None = None) -> dict:
    stamp = timestamp(now)
    return {
        "X-cons-id": cons_id,
        "X-timestamp": stamp,
        "X-signature": signature(cons_id=cons_id, secret=secret, stamp=stamp),
        "user_key": user_key,
    }


def _key(cons_id: str, secret: str, stamp: str) -> bytes:
    return hashlib.sha256(f"{cons_id}{secret}{stamp}".encode()).digest()


def decrypt(text: str, *, cons_id: str, secret: str, stamp: str) -> str:
    """The plain text of an encrypted response; ValueError if it does not decrypt."""
    key = _key(cons_id, secret, stamp)
    try:
        data = base64.b64decode(text, validate=True)
        decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
        padded = decryptor.update(data) + decryptor.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        plain = (unpadder.update(padded) + unpadder.finalize()).decode()
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError("response does not decrypt") from exc
    result = lzstring.LZString().decompressFromEncodedURIComponent(plain)
    if not result:
        raise ValueError("response does not decompress")
    return result
