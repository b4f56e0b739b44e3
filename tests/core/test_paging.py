"""CappedPaginator: a list's count stops at the cap, so it costs the same at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from binjai_portal.core.models import Region
from binjai_portal.core.paging import CappedPaginator

pytestmark = pytest.mark.django_db


def test_under_the_cap_it_is_the_exact_count(regions):
    page = CappedPaginator(Region.objects.order_by("code"), 10, cap=1000).get_page(1)
    assert page.paginator.count == Region.objects.count()
    assert not page.paginator.capped


def test_past_the_cap_it_counts_to_the_cap_and_pages_end_there(regions):
    total = Region.objects.count()
    assert total > 12
    paginator = CappedPaginator(Region.objects.order_by("code"), 5, cap=12)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 12
    assert paginator.capped
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert "LIMIT 13" in sql and "ORDER BY" not in sql  # stops at the 13th row found
    assert paginator.num_pages == 3
    last = paginator.get_page(99)  # a page past the cap: the last one
    assert last.number == 3 and len(last.object_list) == 2
