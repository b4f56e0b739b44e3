"""One region code is the whole configuration: names follow from the national file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from binjai_portal import region_defaults

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("code", "name", "short"),
    [
        ("12.75", "Kota Binjai", "Binjai"),
        ("33.74", "Kota Semarang", "Semarang"),
        ("12.05", "Kabupaten Langkat", "Langkat"),
        ("31.71", "Kota Administrasi Jakarta Pusat", "Jakarta Pusat"),
    ],
)
def test_the_region_name_comes_from_the_kemendagri_file(code, name, short):
    assert region_defaults.region_name(code) == name
    assert region_defaults.short_name(name) == short


def test_an_unknown_or_non_regency_code_has_no_name():
    assert region_defaults.region_name("99.99") == ""
    assert region_defaults.region_name("12") == ""  # a province, not a regency or city


def settings_for(**env) -> str:
    code = (
        "from django.conf import settings; print(settings.REGION_NAME + '|' + settings.SITE_NAME)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("REGION_NAME", "SITE_NAME")}
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "binjai_portal.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_another_region_is_named_by_its_code_alone_and_names_can_still_be_set():
    assert settings_for(REGION_CODE="33.74") == "Kota Semarang|Semarang Smart City"
    assert settings_for(REGION_CODE="33.74", SITE_NAME="Semarang Hebat") == (
        "Kota Semarang|Semarang Hebat"
    )
