"""Defaults that follow from the region code alone, read before Django is set up.

A region deploys the portal by setting REGION_CODE: its name ("Kota Semarang") and the
portal's name ("Semarang Smart City") come from the national Kemendagri file shipped in
``core/data``; each can still be set explicitly (REGION_NAME, SITE_NAME).
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

KABKOTA_FILE = Path(__file__).resolve().parent / "core" / "data" / "regions_indonesia_kabkota.csv"
PREFIXES = ("Kota Administrasi ", "Kabupaten Administrasi ", "Kota ", "Kabupaten ")


@lru_cache(maxsize=8)
def region_name(code: str) -> str:
    """The official name of a regency or city ("Kota Binjai"); "" for an unknown code."""
    with KABKOTA_FILE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["code"] == code and row["level"] in ("kota", "kabupaten"):
                return row["name"]
    return ""


def short_name(name: str) -> str:
    """ "Kota Binjai" -> "Binjai", "Kabupaten Langkat" -> "Langkat"."""
    for prefix in PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


# ISO 3166-2:ID code of each province, keyed by the province part of the Kemendagri code.
# Source: ISO 3166-2:ID as published by the ISO 3166 Maintenance Agency (Online Browsing
# Platform, iso.org/obp/ui/#iso:code:3166:ID): the 34 older provinces as shipped in Debian's
# iso-codes 4.15 (data/iso_3166-2.json, matched by name to the Kemendagri provinces); ID-PE,
# ID-PS, ID-PT added by ISO on 2022-11-29 and ID-PD on 2023-11-23 (OBP change history).
# tests/core/test_region_settings.py checks the table against the installed iso-codes file.
PROVINCE_ISO_3166_2 = {
    "11": "ID-AC",  # Aceh
    "12": "ID-SU",  # Sumatera Utara
    "13": "ID-SB",  # Sumatera Barat
    "14": "ID-RI",  # Riau
    "15": "ID-JA",  # Jambi
    "16": "ID-SS",  # Sumatera Selatan
    "17": "ID-BE",  # Bengkulu
    "18": "ID-LA",  # Lampung
    "19": "ID-BB",  # Kepulauan Bangka Belitung
    "21": "ID-KR",  # Kepulauan Riau
    "31": "ID-JK",  # Daerah Khusus Ibukota Jakarta (ISO: Jakarta Raya)
    "32": "ID-JB",  # Jawa Barat
    "33": "ID-JT",  # Jawa Tengah
    "34": "ID-YO",  # Daerah Istimewa Yogyakarta
    "35": "ID-JI",  # Jawa Timur
    "36": "ID-BT",  # Banten
    "51": "ID-BA",  # Bali
    "52": "ID-NB",  # Nusa Tenggara Barat
    "53": "ID-NT",  # Nusa Tenggara Timur
    "61": "ID-KB",  # Kalimantan Barat
    "62": "ID-KT",  # Kalimantan Tengah
    "63": "ID-KS",  # Kalimantan Selatan
    "64": "ID-KI",  # Kalimantan Timur
    "65": "ID-KU",  # Kalimantan Utara
    "71": "ID-SA",  # Sulawesi Utara
    "72": "ID-ST",  # Sulawesi Tengah
    "73": "ID-SN",  # Sulawesi Selatan
    "74": "ID-SG",  # Sulawesi Tenggara
    "75": "ID-GO",  # Gorontalo
    "76": "ID-SR",  # Sulawesi Barat
    "81": "ID-MA",  # Maluku
    "82": "ID-MU",  # Maluku Utara
    "91": "ID-PA",  # Papua
    "92": "ID-PB",  # Papua Barat
    "93": "ID-PS",  # Papua Selatan
    "94": "ID-PT",  # Papua Tengah
    "95": "ID-PE",  # Papua Pegunungan
    "96": "ID-PD",  # Papua Barat Daya
}


def iso_3166_2(code: str) -> str:
    """ISO 3166-2 code of the region's province ("12.75" -> "ID-SU"); "" if unknown."""
    return PROVINCE_ISO_3166_2.get(code.split(".")[0], "")


def is_kota(code: str) -> bool:
    """Kemendagri: a regency/city code whose second part is 71 or more is a kota."""
    parts = code.split(".")
    return len(parts) > 1 and re.fullmatch(r"[0-9]+", parts[1]) is not None and int(parts[1]) >= 71


def slug(name: str) -> str:
    """ "Kota Semarang" -> "kota-semarang" (ASCII letters and digits, for file names)."""
    out = "".join(c if c.isascii() and c.isalnum() else "-" for c in name.lower())
    return "-".join(p for p in out.split("-") if p)


def domain(code: str, name: str) -> str:
    """The region's usual government domain: <name>kota.go.id or <name>kab.go.id.

    The convention most regions follow (binjaikota.go.id, semarangkota.go.id); a region whose
    domain differs sets REGION_DOMAIN.
    """
    short = slug(short_name(name)).replace("-", "")
    if not short:
        return "example.go.id"
    return f"{short}{'kota' if is_kota(code) else 'kab'}.go.id"


def region_settings(code: str, name: str = "") -> dict[str, str]:
    """Every region-specific setting's default, from the code (and the name, if given).

    settings.py reads its defaults here (each can still be set in the environment); a test
    that deploys the portal for another region overrides settings with the same values.
    """
    name = name or region_name(code)
    short = short_name(name)
    region_domain = domain(code, name)
    site_name = f"{short} Smart City".strip()
    sender = f"{site_name} <noreply@{region_domain}>"
    return {
        "REGION_CODE": code,
        "REGION_NAME": name,
        "SITE_NAME": site_name,
        "COMMAND_CENTER_NAME": f"{short} Command Center".strip(),
        "REGION_ISO_3166_2": iso_3166_2(code),
        "REGION_DOMAIN": region_domain,
        "REGION_SLUG": slug(name) or code.replace(".", "-"),
        "DEMO_EMAIL_DOMAIN": f"demo.{region_domain}",
        "CONTACT_EMAIL": f"layanan@{region_domain}",
        "DEFAULT_FROM_EMAIL": sender,
        "SERVER_EMAIL": sender,
        # QRIS (EMV tags 59/60): "PEMKO BINJAI" / "BINJAI"; a kabupaten: "PEMKAB ...".
        "BILLING_QRIS_MERCHANT_NAME": (
            f"{'PEMKO' if is_kota(code) else 'PEMKAB'} {short.upper()}"[:25]
        ),
        "BILLING_QRIS_MERCHANT_CITY": short.upper()[:15],
    }
