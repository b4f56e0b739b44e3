"""Region-specific values follow from REGION_CODE (binjai_portal/region_defaults.py)."""

import csv
import json
from pathlib import Path

import pytest

from binjai_portal import region_defaults as rd

ISO_CODES = Path("/usr/share/iso-codes/json/iso_3166-2.json")  # Debian's iso-codes


def test_every_province_has_its_iso_3166_2_code():
    with rd.KABKOTA_FILE.open(encoding="utf-8") as f:
        provinces = {r["code"] for r in csv.DictReader(f) if r["level"] == "provinsi"}
    assert provinces == set(rd.PROVINCE_ISO_3166_2)
    assert rd.iso_3166_2("12.75") == "ID-SU" and rd.iso_3166_2("33.74") == "ID-JT"
    assert rd.iso_3166_2("99.01") == ""


@pytest.mark.skipif(not ISO_CODES.exists(), reason="iso-codes is not installed")
def test_table_agrees_with_iso_codes():
    """Each code the installed iso-codes knows is an Indonesian province of that name."""
    data = json.loads(ISO_CODES.read_text(encoding="utf-8"))["3166-2"]
    iso = {d["code"]: d for d in data if d["code"].startswith("ID-")}
    with rd.KABKOTA_FILE.open(encoding="utf-8") as f:
        names = {r["code"]: r["name"] for r in csv.DictReader(f) if r["level"] == "provinsi"}
    renamed = {"31": "Jakarta Raya", "34": "Yogyakarta"}  # ISO's short names
    for province, code in rd.PROVINCE_ISO_3166_2.items():
        if code in iso:
            assert iso[code]["name"] == renamed.get(province, names[province])
            assert iso[code]["type"] != "Geographical unit"


def test_names_and_domains_follow_the_code():
    assert rd.region_name("33.74") == "Kota Semarang"
    assert rd.domain("12.75", "Kota Binjai") == "binjaikota.go.id"
    assert rd.domain("33.74", "Kota Semarang") == "semarangkota.go.id"
    assert rd.domain("12.05", "Kabupaten Langkat") == "langkatkab.go.id"
    assert rd.slug("Kota Semarang") == "kota-semarang"
