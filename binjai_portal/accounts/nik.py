"""NIK (Nomor Induk Kependudukan): the 16-digit national identity number.

Digits 1-6 are the region of issue (province, regency/city, kecamatan), 7-12 the
birth date as DDMMYY with 40 added to the day for women, 13-16 a serial. A NIK keeps
the region where it was issued, so residents who moved in are valid with any
province of Indonesia (Dukcapil, Permendagri 7/2019).
NIK is personal data (UU 27/2022): show it masked, never log it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binjai_portal.core.inputs import is_ascii_digits
from binjai_portal.core.regions import province_codes

NIK_RE = re.compile(r"^[0-9]{16}$")
MALE, FEMALE = "L", "P"


@dataclass(frozen=True)
class NikInfo:
    region_code: str  # e.g. "12.75.01"
    birth_date: datetime.date
    sex: str  # "L" or "P"
    serial: str


def parse_nik(value: str, *, today: datetime.date | None = None) -> NikInfo:
    value = (value or "").strip()
    if not is_ascii_digits(value, max_length=len(value) or 1):
        raise ValidationError(_("NIK hanya boleh berisi angka."), code="nik_digits")
    if not NIK_RE.match(value):
        raise ValidationError(
            _("NIK harus 16 digit (Anda memasukkan %(count)d digit)."),
            code="nik_length",
            params={"count": len(value)},
        )
    province, regency, district = value[0:2], value[2:4], value[4:6]
    if province not in province_codes() or regency == "00" or district == "00":
        raise ValidationError(
            _("Enam digit pertama NIK bukan kode wilayah yang dikenal."), code="nik_region"
        )
    day, month, year2 = int(value[6:8]), int(value[8:10]), int(value[10:12])
    sex = MALE
    if day > 40:
        day -= 40
        sex = FEMALE
    today = today or timezone.localdate()
    century = 2000 if year2 <= today.year % 100 else 1900
    try:
        birth_date = datetime.date(century + year2, month, day)
    except ValueError:
        raise ValidationError(
            _("Digit ke-7 sampai ke-12 NIK bukan tanggal lahir yang mungkin."), code="nik_date"
        ) from None
    if value[12:16] == "0000":
        raise ValidationError(_("Empat digit terakhir NIK tidak boleh 0000."), code="nik_serial")
    return NikInfo(f"{province}.{regency}.{district}", birth_date, sex, value[12:16])


def validate_nik(value: str) -> None:
    parse_nik(value)


def nik_check_matches(nik: str, *, birth_date: datetime.date | None, sex: str | None) -> dict:
    """Errors, keyed by field, where the NIK disagrees with the given birth date or sex."""
    info = parse_nik(nik)
    errors: dict[str, ValidationError] = {}
    if birth_date and (info.birth_date.day, info.birth_date.month, info.birth_date.year % 100) != (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    ):
        errors["birth_date"] = ValidationError(
            _("Tanggal lahir tidak sesuai dengan NIK (NIK menunjukkan %(date)s)."),
            code="nik_birth_date_mismatch",
            params={"date": info.birth_date.strftime("%d-%m-%Y")},
        )
    if sex and sex != info.sex:
        errors["sex"] = ValidationError(
            _("Jenis kelamin tidak sesuai dengan NIK."), code="nik_sex_mismatch"
        )
    return errors


def mask_nik(nik: str | None) -> str:
    """1275011201900001 -> 1275**********01"""
    if not nik:
        return ""
    return nik[:4] + "*" * (len(nik) - 6) + nik[-2:]


def nik_compose(*, region6: str, birth_date: datetime.date, sex: str, serial: int) -> str:
    """Build a NIK from its parts (demo data and tests; never to guess a real person's)."""
    day = birth_date.day + (40 if sex == FEMALE else 0)
    return f"{region6}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"
