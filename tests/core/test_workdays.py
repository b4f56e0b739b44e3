"""Working days for SLAs: weekends, national holidays (the holidays package) and local
closures an administrator adds. Eid al-Fitr 1446 H fell on Mon 31 March and Tue 1 April
2025 (holidays.country_holidays("ID", years=2025)), right after a weekend that began
with Nyepi (Sat 29 March)."""

import datetime

import holidays
import pytest
from django.core.cache import cache
from django.urls import reverse

from binjai_portal.core import workdays
from binjai_portal.core.models import Closure

D = datetime.date
THU_27_MAR, FRI_28_MAR = D(2025, 3, 27), D(2025, 3, 28)
SAT_29_MAR, SUN_30_MAR = D(2025, 3, 29), D(2025, 3, 30)
EID_1, EID_2 = D(2025, 3, 31), D(2025, 4, 1)
WED_2_APR, THU_3_APR = D(2025, 4, 2), D(2025, 4, 3)

pytestmark = pytest.mark.django_db


def test_the_holidays_package_places_idul_fitri_2025_where_these_tests_expect():
    national = holidays.country_holidays("ID", years=2025)
    assert EID_1 in national and EID_2 in national
    assert SAT_29_MAR in national  # Nyepi
    assert FRI_28_MAR not in national and WED_2_APR not in national


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (THU_27_MAR, True),
        (FRI_28_MAR, True),
        (SAT_29_MAR, False),
        (SUN_30_MAR, False),
        (EID_1, False),
        (EID_2, False),
        (WED_2_APR, True),
        (D(2025, 8, 18), True),  # Monday after Independence Day (a Sunday)
        (D(2025, 8, 17), False),
        (D(2025, 12, 25), False),
    ],
)
def test_is_working_day_skips_weekends_and_national_holidays(day, working):
    assert workdays.is_working_day(day) is working


def test_add_working_days_across_the_weekend_and_idul_fitri():
    assert workdays.add_working_days(THU_27_MAR, 1) == FRI_28_MAR
    # Sat, Sun, Eid day 1 and day 2 are all skipped.
    assert workdays.add_working_days(FRI_28_MAR, 1) == WED_2_APR
    assert workdays.add_working_days(THU_27_MAR, 2) == WED_2_APR
    # A 5-working-day SLA for a complaint filed on Thursday 27 March.
    assert workdays.add_working_days(THU_27_MAR, 5) == D(2025, 4, 7)


def test_add_working_days_from_a_holiday_counts_from_the_next_working_day():
    assert workdays.add_working_days(SAT_29_MAR, 1) == WED_2_APR
    assert workdays.add_working_days(EID_1, 0) == EID_1  # zero days: the start itself


def test_add_working_days_refuses_a_negative_count():
    with pytest.raises(ValueError):
        workdays.add_working_days(THU_27_MAR, -1)


def test_working_days_between_across_the_weekend_and_idul_fitri():
    assert workdays.working_days_between(THU_27_MAR, WED_2_APR) == 2  # Fri 28, Wed 2
    assert workdays.working_days_between(FRI_28_MAR, EID_2) == 0
    assert workdays.working_days_between(FRI_28_MAR, WED_2_APR) == 1
    assert workdays.working_days_between(WED_2_APR, THU_27_MAR) == 0  # end before start
    assert workdays.working_days_between(WED_2_APR, WED_2_APR) == 0


def test_working_days_between_is_the_inverse_of_add_working_days():
    start = D(2025, 3, 20)
    for days in range(0, 30):
        due = workdays.add_working_days(start, days)
        assert workdays.working_days_between(start, due) == days


def test_a_year_boundary_uses_the_next_years_holidays():
    # Wed 31 Dec 2025, then New Year's Day 2026 (Thu) is skipped.
    assert workdays.add_working_days(D(2025, 12, 30), 2) == D(2026, 1, 2)


def test_a_local_closure_is_skipped_immediately_and_released_when_removed():
    # Prime the cache the way a running server would have it.
    assert workdays.add_working_days(THU_27_MAR, 2) == WED_2_APR
    assert cache.get(workdays.CLOSURES_CACHE_KEY) is not None

    closure = Closure.objects.create(date=WED_2_APR, name="Cuti bersama Idul Fitri")

    assert not workdays.is_working_day(WED_2_APR)
    assert workdays.add_working_days(THU_27_MAR, 2) == THU_3_APR
    assert workdays.working_days_between(THU_27_MAR, THU_3_APR) == 2
    assert workdays.holiday_name(WED_2_APR) == "Cuti bersama Idul Fitri"

    closure.delete()

    assert workdays.is_working_day(WED_2_APR)
    assert workdays.add_working_days(THU_27_MAR, 2) == WED_2_APR
    assert workdays.holiday_name(WED_2_APR) is None


def test_several_closures_stack_with_idul_fitri():
    workdays.add_working_days(THU_27_MAR, 1)  # cache primed without closures
    for day in (FRI_28_MAR, WED_2_APR, THU_3_APR, D(2025, 4, 4), D(2025, 4, 7)):
        Closure.objects.create(date=day, name="Cuti bersama")
    # Thu 27 -> Fri 28 .. Mon 7 April all closed: the next working day is Tue 8 April.
    assert workdays.add_working_days(THU_27_MAR, 1) == D(2025, 4, 8)


def test_a_closure_added_by_an_administrator_in_the_admin(client, make_citizen):
    admin_user = make_citizen(full_name="Admin Kota")
    type(admin_user).objects.filter(pk=admin_user.pk).update(is_staff=True, is_superuser=True)
    admin_user.refresh_from_db()
    client.force_login(admin_user)
    assert workdays.is_working_day(WED_2_APR)  # cached before the change

    response = client.post(
        reverse("admin:core_closure_add"),
        {"date": "2025-04-02", "name": "Cuti bersama Idul Fitri"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    closure = Closure.objects.get(date=WED_2_APR)
    assert closure.created_by == admin_user
    assert not workdays.is_working_day(WED_2_APR)
    assert workdays.add_working_days(THU_27_MAR, 2) == THU_3_APR


def test_the_cache_is_cleared_again_when_the_closure_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Closure.objects.create(date=WED_2_APR, name="Cuti bersama Idul Fitri")
        # Another worker reads the committed table (no closure yet) and caches it
        # before this transaction commits.
        cache.set(workdays.CLOSURES_CACHE_KEY, frozenset(), 3600)

    assert not workdays.is_working_day(WED_2_APR)


def test_a_holiday_is_a_holiday_on_any_weekday_and_a_saturday_is_not(db):
    assert workdays.is_holiday(datetime.date(2025, 3, 31))  # Idul Fitri, a Monday
    assert not workdays.is_holiday(datetime.date(2025, 4, 5))  # an ordinary Saturday
    assert not workdays.is_working_day(datetime.date(2025, 4, 5))


def test_the_calendar_counts_as_working_days_between_with_one_read_of_the_closures(
    db, django_assert_max_num_queries
):
    """Many date pairs (a dashboard's thousands of files): the closures are read once."""
    Closure.objects.create(date=WED_2_APR, name="Cuti bersama")
    cache.clear()
    start = D(2025, 3, 1)
    pairs = [
        (start + datetime.timedelta(days=i), start + datetime.timedelta(days=i + n))
        for i in range(0, 60, 3)
        for n in (0, 1, 4, 9, 30)
    ]
    expected = [workdays.working_days_between(a, b) for a, b in pairs]
    cache.clear()
    with django_assert_max_num_queries(1):
        cal = workdays.Calendar()
        assert [cal.between(a, b) for a, b in pairs] == expected
        assert cal.between(THU_3_APR, THU_27_MAR) == 0  # backwards is none
        assert cal.between(D(2024, 12, 30), D(2025, 1, 3)) == workdays.working_days_between(
            D(2024, 12, 30), D(2025, 1, 3)
        )  # grows the span
    assert cal.between(FRI_28_MAR, THU_3_APR) == 1  # Eid 1-2, cuti bersama on the 2nd
