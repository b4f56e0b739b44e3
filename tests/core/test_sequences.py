"""core.sequences: one numbering for every per-year reference, safe under concurrency."""

import threading

import pytest
from django.db import connection, connections, transaction

from binjai_portal.core import sequences
from binjai_portal.core.sequences import sequence_last, sequence_next

THREADS = 16
EACH = 5


def test_numbers_count_per_key_and_year(db):
    assert [sequence_next(key="t.a", year=2031) for _ in range(3)] == [1, 2, 3]
    assert sequence_next(key="t.a", year=2032) == 1  # a new year starts again
    assert sequence_next(key="t.b", year=2031) == 1  # another numbering is separate
    assert sequence_next(key="t.never_restarts") == 1
    assert sequence_last(key="t.a", year=2031) == 3
    assert sequence_last(key="t.unknown", year=2031) == 0


def test_a_rolled_back_taker_leaves_no_gap(db):
    assert sequence_next(key="t.rollback", year=2031) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert sequence_next(key="t.rollback", year=2031) == 2
        raise RuntimeError
    assert sequence_next(key="t.rollback", year=2031) == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_takers_get_every_number_once_without_gaps():
    """Sixteen threads, each its own PostgreSQL connection and transaction, start at once
    on a year that has no row yet (so they also race to create it)."""
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(THREADS)
    numbers, errors = [], []

    def take():
        try:
            barrier.wait(timeout=30)
            for _ in range(EACH):
                with transaction.atomic():
                    numbers.append(sequence_next(key=sequences.TICKET, year=2040))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(numbers) == list(range(1, THREADS * EACH + 1))
    assert sequence_last(key=sequences.TICKET, year=2040) == THREADS * EACH
