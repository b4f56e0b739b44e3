import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from budgeting import services

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_price_list_revisions_get_one_new_version(items, tapd):
    """Two TAPD members revise the same locked list at once: the row lock lets one make
    version 2; the other is told a draft already exists (never two version 2s)."""
    assert connection.vendor == "postgresql"
    pl = items["pen"].price_list
    results, barrier = [], threading.Barrier(2)

    def revise():
        barrier.wait()
        try:
            results.append(
                services.price_list_revise(price_list=pl, actor=tapd, reason="balapan").version
            )
        except ValidationError as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=revise) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(map(str, results)) == ["2", "draft"]
