"""Ticket numbers under concurrent submissions, on PostgreSQL with real transactions."""

import threading

import pytest
from django.db import connection

from masyarakat.models import Ticket

from .factories import category_make, ticket_make

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_submissions_get_twenty_distinct_sequential_numbers(make_citizen):
    assert connection.vendor == "postgresql"
    category_make()
    reporters = [make_citizen() for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    errors, numbers = [], []

    def submit(reporter):
        from django.db import connections

        try:
            barrier.wait(timeout=30)
            numbers.append(ticket_make(reporter=reporter).number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(r,)) for r in reporters]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert errors == []
    assert len(numbers) == THREADS == len(set(numbers))
    serials = sorted(int(n[-6:]) for n in numbers)
    assert serials == list(range(1, THREADS + 1))
    assert Ticket.objects.count() == THREADS
