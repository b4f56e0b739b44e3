"""SNAP signatures and the QRIS CRC against vectors computed outside the code under test
(OpenSSL's command line, Python's binascii, the published CRC check value)."""

import base64
import binascii
import hashlib
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from binjai_portal.core.billing import qris, snap
from binjai_portal.core.billing.terbilang import terbilang

BODY = '{"partnerServiceId":"   12751","customerNo":"26000000017","paidAmount":{"value":"150000.00","currency":"IDR"}}'  # noqa: E501
PRETTY = (
    '{\n  "partnerServiceId": "   12751",\n  "customerNo": "26000000017",\n'
    '  "paidAmount": {"value": "150000.00", "currency": "IDR"}\n}'
)
TS = "2026-12-02T10:15:30+07:00"
TOKEN = "gp9HjjEj813Y9JGoqwOeOPWbnt4CupvIJbU1Mmu4a11MNDZ7Sg5u9a"
SECRET = "sim-client-secret-0123456789abcdef"


def openssl(*args, data: bytes) -> bytes:
    return subprocess.run(["openssl", *args], input=data, capture_output=True, check=True).stdout


def test_hmac_signature_matches_openssl():
    body_hash = openssl("dgst", "-sha256", "-hex", "-r", data=BODY.encode()).split()[0].decode()
    message = f"POST:/v1.0/transfer-va/payment:{TOKEN}:{body_hash.lower()}:{TS}"
    expected = base64.b64encode(
        openssl("dgst", "-sha512", "-hmac", SECRET, "-binary", data=message.encode())
    ).decode()
    kw = {"secret": SECRET, "method": "POST", "path": "/v1.0/transfer-va/payment", "token": TOKEN}
    assert snap.symmetric_signature(body=BODY, timestamp=TS, **kw) == expected
    # The bank may send the body pretty-printed: SNAP signs the minified body.
    assert snap.symmetric_signature(body=PRETTY, timestamp=TS, **kw) == expected
    assert snap.symmetric_verify(expected, body=BODY, timestamp=TS, **kw)
    assert not snap.symmetric_verify(
        expected, body=BODY.replace("150000", "150001"), timestamp=TS, **kw
    )
    assert not snap.symmetric_verify(
        expected, body=BODY, timestamp=TS.replace("15:30", "15:31"), **kw
    )


def test_body_hash_of_the_empty_object():
    # sha256("{}"), the published digest; whitespace outside strings does not count.
    digest = hashlib.sha256(b"{}").hexdigest()
    assert digest == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    assert snap.body_hash("{ }") == digest


def test_rsa_signature_both_ways_with_openssl(tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    priv, pub = tmp_path / "k.pem", tmp_path / "k.pub"
    priv.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    pub.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    data = f"BANKSUMUT-SIM|{TS}".encode()
    # Ours, checked by OpenSSL.
    ours = snap.asymmetric_sign(key, client_id="BANKSUMUT-SIM", timestamp=TS)
    sig = tmp_path / "sig"
    sig.write_bytes(base64.b64decode(ours))
    out = openssl("dgst", "-sha256", "-verify", str(pub), "-signature", str(sig), data=data)
    assert b"Verified OK" in out
    # OpenSSL's, checked by ours.
    theirs = base64.b64encode(openssl("dgst", "-sha256", "-sign", str(priv), data=data)).decode()
    public = snap.load_public_key(pub.read_text())
    assert snap.asymmetric_verify(public, theirs, client_id="BANKSUMUT-SIM", timestamp=TS)
    assert not snap.asymmetric_verify(public, theirs, client_id="OTHER", timestamp=TS)
    assert not snap.asymmetric_verify(
        public, "not base64!", client_id="BANKSUMUT-SIM", timestamp=TS
    )


def test_crc16_ccitt_false_check_value():
    # The catalogue check value of CRC-16/CCITT-FALSE over "123456789" is 0x29B1.
    assert qris.crc16_ccitt_false(b"123456789") == 0x29B1
    assert binascii.crc_hqx(b"123456789", 0xFFFF) == 0x29B1


def test_qris_payload(settings):
    settings.BILLING_QRIS_ACQUIRER_DOMAIN = "ID.CO.DEMO.WWW"
    settings.BILLING_QRIS_MERCHANT_PAN = "9360000000000000001"
    settings.BILLING_QRIS_MERCHANT_ID = "DEMO0001"
    text = qris.payload(amount="150000.00", bill_code="26000000017")
    assert text.startswith("000201010212")
    tags = qris.parse(text)
    assert tags["54"] == "150000" and tags["53"] == "360" and tags["58"] == "ID"
    assert "26000000017" in tags["62"] and tags["26"].startswith("0014ID.CO.DEMO.WWW")
    # CRC computed independently (binascii) agrees.
    assert f"{binascii.crc_hqx(text[:-4].encode(), 0xFFFF):04X}" == text[-4:]
    broken = text[:-5] + ("0" if text[-5] != "0" else "1") + text[-4:]
    with pytest.raises(ValueError):  # a changed payload must fail its CRC
        qris.parse(broken)


def test_terbilang():
    assert terbilang(150000) == "seratus lima puluh ribu rupiah"
    assert terbilang(1) == "satu rupiah"
    assert terbilang(11) == "sebelas rupiah"
    assert terbilang(1000) == "seribu rupiah"
    assert terbilang(2650000) == "dua juta enam ratus lima puluh ribu rupiah"
    assert terbilang(1_001_000_115) == "satu miliar satu juta seratus lima belas rupiah"
    assert terbilang(0) == "nol rupiah"


def test_minify_keeps_strings():
    assert snap.minify('{ "a" : "x y\\" z" }') == '{"a":"x y\\" z"}'
