"""Query guards of the public pages without rows of their own to grow (home, permits,
budget, open data): a fixed, small number of queries uncached, none past the page cache
for an anonymous visitor."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

# Open data: its figures (40 with billing's levy figures, e-Musrenbang's "Janji dan
# realisasi" and e-Dokter's channels, all aggregates) plus reading, locking and writing the
# stored dashboard copy on a cold start (command_center.dashboards); later visitors read
# the stored copy.
PAGES = {
    "/": 2,
    "/perizinan/": 4,
    "/budgeting/": 4,
    "/budgeting/apbd/": 8,
    "/command-center/open-data/": 45,
}


@pytest.mark.parametrize("path", list(PAGES))
def test_public_page_query_budget_uncached_and_cached(
    client, regions, settings, path, django_assert_max_num_queries
):
    settings.PAGECACHE_ENABLED = False
    with django_assert_max_num_queries(PAGES[path]):
        assert client.get(path).status_code == 200
    settings.PAGECACHE_ENABLED = True
    client.get(path)
    with CaptureQueriesContext(connection) as cached:
        response = client.get(path)
    assert response["X-Page-Cache"] == "hit"
    assert len(cached.captured_queries) == 0
