"""Numbers that must never collide: `sequence_next(key=..., year=...)`.

One table (`core.Sequence`) for every per-year reference number of the portal (ADU-,
IZN-, the musrenbang proposal reference). e-Dokter's queue counter is not one of them:
its row also serialises the day's queue.
"""

from __future__ import annotations

from django.db import connection, transaction

from .models import Sequence

TICKET = "masyarakat.ticket"
REGISTRATION = "perizinan.registration"
PROPOSAL = "musrenbang.proposal"


def sequence_next(*, key: str, year: int = 0) -> int:
    """The next number of `key` (in `year`; 0 for a numbering that never restarts).

    One statement creates the row or increments it and returns the new value. The row
    lock it takes lasts until the caller's transaction ends, so concurrent takers queue
    on it: no number is given twice, and a taker that rolls back returns its number.
    """
    return sequence_advance(key=key, year=year, by=1)


@transaction.atomic
def sequence_advance(*, key: str, year: int = 0, by: int) -> int:
    """Move `key` on by `by` numbers and return the new last one, under the row lock.

    `by=0` only locks the row (and reads it): the scale-data generators hold it while
    they number their rows, so real submissions continue after them.
    """
    table = connection.ops.quote_name(Sequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, year, last) VALUES (%s, %s, %s)"  # noqa: S608 (model table name)
            f" ON CONFLICT (key, year) DO UPDATE SET last = {table}.last + EXCLUDED.last"
            " RETURNING last",
            [key, year, by],
        )
        return cursor.fetchone()[0]


def sequence_last(*, key: str, year: int = 0) -> int:
    """The last number taken (0 if none): for reports and checks, never to take one."""
    return Sequence.objects.filter(key=key, year=year).values_list("last", flat=True).first() or 0
