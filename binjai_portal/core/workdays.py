"""Working-day calendar for SLAs: weekends, Indonesian national holidays (the
`holidays` package) and local closures (cuti bersama) set by an administrator."""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays
from django.core.cache import cache
from django.db import transaction

from .models import Closure

CLOSURES_CACHE_KEY = "core:closures:v1"


@lru_cache(maxsize=32)
def _national(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("ID", years=year).keys())


def _closures() -> frozenset[datetime.date]:
    dates = cache.get(CLOSURES_CACHE_KEY)
    if dates is None:
        dates = frozenset(Closure.objects.values_list("date", flat=True))
        cache.set(CLOSURES_CACHE_KEY, dates, 3600)
    return dates


def closures_changed() -> None:
    """Forget the cached closures now (this request sees its own change) and again when
    the transaction commits: a worker that reads the table before the commit would
    otherwise cache the old dates for an hour."""
    cache.delete(CLOSURES_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CLOSURES_CACHE_KEY))


def is_working_day(day: datetime.date, *, closures: frozenset | None = None) -> bool:
    closures = _closures() if closures is None else closures
    return day.weekday() < 5 and day not in _national(day.year) and day not in closures


def is_holiday(day: datetime.date) -> bool:
    """A national holiday or a local closure, whatever the weekday.

    For services that keep their own weekly hours (a puskesmas open on Saturday),
    unlike SLAs, which also skip weekends (`is_working_day`).
    """
    return day in _national(day.year) or day in _closures()


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself is not counted)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    closures = _closures()
    day = start
    while days:
        day += datetime.timedelta(days=1)
        if is_working_day(day, closures=closures):
            days -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    closures = _closures()
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day, closures=closures):
            count += 1
    return count


def holiday_name(day: datetime.date) -> str | None:
    name = holidays.country_holidays("ID", years=day.year).get(day)
    if name:
        return name
    return Closure.objects.filter(date=day).values_list("name", flat=True).first()


class Calendar:
    """Working days over many date pairs, with the closures read once (one cache GET)
    and a running count per day, so each `between` is two lookups however long the span.

        cal = workdays.Calendar()
        taken = [cal.between(s, f) for s, f in rows]   # not working_days_between per row
    """

    def __init__(self, closures: frozenset | None = None):
        self.closures = _closures() if closures is None else closures
        self._start: datetime.date | None = None
        self._ordinals: list[int] = []

    def _cover(self, first: datetime.date, last: datetime.date) -> None:
        if (
            self._start is not None
            and self._start <= first
            and last < self._start + datetime.timedelta(days=len(self._ordinals))
        ):
            return
        if self._start is not None:  # grow to hold the old span and the new one
            first = min(first, self._start)
            last = max(last, self._start + datetime.timedelta(days=len(self._ordinals) - 1))
        first, last = first - datetime.timedelta(days=31), last + datetime.timedelta(days=31)
        ordinals, n, day = [], 0, first
        while day <= last:
            if is_working_day(day, closures=self.closures):
                n += 1
            ordinals.append(n)
            day += datetime.timedelta(days=1)
        self._start, self._ordinals = first, ordinals

    def ordinal(self, day: datetime.date) -> int:
        """Working days from the calendar's start up to and including `day`."""
        self._cover(day, day)
        return self._ordinals[(day - self._start).days]

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """As working_days_between(start, end)."""
        if end <= start:
            return 0
        self._cover(start, end)
        return self.ordinal(end) - self.ordinal(start)

    def ordinals(
        self, first: datetime.date, last: datetime.date
    ) -> list[tuple[datetime.date, int]]:
        """(day, ordinal) for every day from first to last: a table SQL can join on."""
        self._cover(first, last)
        out, day = [], first
        while day <= last:
            out.append((day, self.ordinal(day)))
            day += datetime.timedelta(days=1)
        return out
