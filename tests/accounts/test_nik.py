import datetime

import pytest
from django.core.exceptions import ValidationError

from binjai_portal.accounts.nik import mask_nik, nik_check_matches, nik_compose, parse_nik

TODAY = datetime.date(2026, 11, 27)


def test_valid_male_nik_gives_region_birth_date_and_sex():
    info = parse_nik("1275011203900001", today=TODAY)
    assert info.region_code == "12.75.01"
    assert info.birth_date == datetime.date(1990, 3, 12)
    assert info.sex == "L"


def test_valid_female_nik_has_forty_added_to_the_day():
    info = parse_nik("1275025203900002", today=TODAY)  # 52 = 12 + 40
    assert info.birth_date == datetime.date(1990, 3, 12)
    assert info.sex == "P"


def test_two_digit_year_in_this_century_when_not_in_the_future():
    assert parse_nik("1275011203150001", today=TODAY).birth_date.year == 2015
    assert parse_nik("1275011203300001", today=TODAY).birth_date.year == 1930


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("127501120390001", "nik_length"),
        ("12750112039000011", "nik_length"),
        ("12750112O3900001", "nik_digits"),
        ("1275 11203900001", "nik_digits"),
        ("1275013102900001", "nik_date"),  # 31 February
        ("1275013213900001", "nik_date"),  # month 13
        ("1275017203900001", "nik_date"),  # day 72 - 40 = 32
        ("1275010003900001", "nik_date"),  # day 0
        ("9975011203900001", "nik_region"),  # no province 99
        ("1200011203900001", "nik_region"),  # regency 00
        ("1275011203900000", "nik_serial"),
    ],
)
def test_invalid_niks_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as exc:
        parse_nik(value, today=TODAY)
    assert exc.value.code == code


def test_nik_issued_outside_binjai_is_valid():
    # A resident who moved from Kota Medan (12.71) keeps the original region digits.
    info = parse_nik("1271054506880003", today=TODAY)
    assert info.region_code == "12.71.05"
    assert info.sex == "P"
    # And one from Papua Barat Daya (96), one of the provinces created in 2022.
    assert parse_nik("9671011201950004", today=TODAY).region_code == "96.71.01"


def test_mismatch_with_given_birth_date_and_sex_is_reported_per_field():
    nik = "1275011203900001"
    assert nik_check_matches(nik, birth_date=datetime.date(1990, 3, 12), sex="L") == {}
    errors = nik_check_matches(nik, birth_date=datetime.date(1990, 3, 13), sex="P")
    assert set(errors) == {"birth_date", "sex"}


def test_mask_shows_only_four_first_and_two_last_digits():
    assert mask_nik("1275011203900001") == "1275**********01"


def test_compose_round_trips_through_parse():
    nik = nik_compose(region6="127503", birth_date=datetime.date(2001, 7, 9), sex="P", serial=12)
    info = parse_nik(nik, today=TODAY)
    assert (info.birth_date, info.sex, info.serial) == (datetime.date(2001, 7, 9), "P", "0012")
