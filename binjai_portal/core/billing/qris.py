"""A dynamic QRIS payload: EMVCo Merchant-Presented Mode (QRCPS-MPM v1.1) as Bank
Indonesia's QRIS standard profiles it, with the bill's amount and reference.

Each data object is ID (2) + length (2) + value; the payload ends with tag 63, the
CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over everything before it including "6304".
"""

from __future__ import annotations

import re

from django.conf import settings

from . import snap


def crc16_ccitt_false(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"tag {tag} longer than 99")
    return f"{tag}{len(value):02d}{value}"


def configured() -> bool:
    return bool(settings.BILLING_QRIS_ACQUIRER_DOMAIN and settings.BILLING_QRIS_MERCHANT_PAN)


def payload(*, amount, bill_code: str) -> str:
    merchant = (
        tlv("00", settings.BILLING_QRIS_ACQUIRER_DOMAIN)
        + tlv("01", settings.BILLING_QRIS_MERCHANT_PAN)
        + tlv("02", settings.BILLING_QRIS_MERCHANT_ID or bill_code[:15])
        + tlv("03", settings.BILLING_QRIS_MERCHANT_CRITERIA)
    )
    additional = tlv("01", bill_code) + tlv("05", bill_code)  # bill number, reference label
    body = (
        tlv("00", "01")
        + tlv("01", "12")  # 12: dynamic (one payment), 11: static
        + tlv("26", merchant)
        + tlv("52", settings.BILLING_QRIS_MCC)
        + tlv("53", "360")  # ISO 4217 rupiah
        + tlv("54", snap.amount_value(amount).removesuffix(".00"))
        + tlv("58", "ID")
        + tlv("59", settings.BILLING_QRIS_MERCHANT_NAME[:25])
        + tlv("60", settings.BILLING_QRIS_MERCHANT_CITY[:15])
        + tlv("62", additional)
        + "6304"
    )
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"


def parse(text: str) -> dict[str, str]:
    """Top-level data objects of a payload; raises ValueError on a bad layout or CRC."""
    out, i = {}, 0
    while i < len(text):
        tag, length = text[i : i + 2], text[i + 2 : i + 4]
        if not (re.fullmatch(r"[0-9]{2}", tag) and re.fullmatch(r"[0-9]{2}", length)):
            raise ValueError("bad data object")
        value = text[i + 4 : i + 4 + int(length)]
        if len(value) != int(length):
            raise ValueError("truncated")
        out[tag] = value
        i += 4 + int(length)
    if "63" not in out or not text.endswith(out["63"]):
        raise ValueError("no CRC")
    if f"{crc16_ccitt_false(text[:-4].encode('ascii')):04X}" != out["63"].upper():
        raise ValueError("CRC mismatch")
    return out
