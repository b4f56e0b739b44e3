"""The one place e-Dokter reads the time, so tests can put the queue on a working day
(`monkeypatch.setattr("dokter.clock.now", ...)`)."""

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    return timezone.localtime(timezone.now())


def today() -> datetime.date:
    return now().date()
