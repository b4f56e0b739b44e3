"""Aggregates the ORM lacks, done in the database: a median is one row back, not every
value of the column (PostgreSQL's percentile_cont; SQLite, for `make run`, in Python)."""

from __future__ import annotations

import statistics

from django.db import connections
from django.db.models import Aggregate, FloatField


class Median(Aggregate):
    """percentile_cont(0.5) WITHIN GROUP (ORDER BY expr): PostgreSQL only."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def median(qs, field: str) -> float | int | None:
    """The median of `field` over the queryset's rows (NULLs left out); None if none."""
    qs = qs.filter(**{f"{field}__isnull": False}).order_by()
    if connections[qs.db].vendor == "postgresql":
        value = qs.aggregate(m=Median(field))["m"]
    else:
        values = list(qs.values_list(field, flat=True))
        value = statistics.median(values) if values else None
    return as_number(value)


def as_number(value) -> float | int | None:
    """A median as a page shows it: whole numbers stay whole."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
