"""Dashboards served from the stored copy (command_center.dashboards): the beat task
computes them, a cache flush falls back to the stored row, one process computes a copy
at a time, and a copy nobody computed yet is computed once however many ask."""

import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import translation

from command_center import dashboards, selectors  # noqa: F401  (selectors fills COMPUTE)
from command_center.forms import FiltersForm
from command_center.models import StoredDashboard
from command_center.tasks import dashboards_refresh_task

pytestmark = pytest.mark.django_db

INDEX = reverse("command_center:index")
WALL_PANEL = reverse("command_center:wall-panels")


@pytest.fixture
def counted(test_registry):
    """A figure that counts how often it is computed (and can be made slow)."""
    from binjai_portal.core import kpi

    calls = {"n": 0, "sleep": 0.0}
    lock = threading.Lock()

    def compute(filters):
        with lock:
            calls["n"] += 1
        time.sleep(calls["sleep"])
        return kpi.Value(7)

    test_registry.register_figure("core", "counted", label="Dihitung", compute=compute)
    return calls


def default_params():
    return dashboards.filters_params(FiltersForm({}).filters())


def test_the_beat_task_stores_every_standard_copy_in_both_languages(counted, frozen_today):
    result = dashboards_refresh_task()
    standard = dashboards.standard_requests()
    assert result["refreshed"] == 2 * len(standard)
    assert StoredDashboard.objects.count() == 2 * len(standard)
    kinds = set(StoredDashboard.objects.values_list("kind", flat=True))
    assert kinds == {"overview", "regions", "wall", "opendata"}
    again = dashboards_refresh_task()  # all fresh: nothing recomputed
    assert again["refreshed"] == 0


def test_a_standard_period_is_served_without_computing(
    client, leader, counted, frozen_today, django_assert_max_num_queries
):
    dashboards_refresh_task()
    before = counted["n"]
    client.force_login(leader)
    for periode in ("7", "30", "month", "year"):
        assert client.get(INDEX, {"periode": periode}).status_code == 200
    assert counted["n"] == before


def test_a_cache_flush_falls_back_to_the_stored_row_not_a_recompute(
    client, leader, counted, frozen_today, django_assert_max_num_queries
):
    client.force_login(leader)
    assert client.get(INDEX).status_code == 200
    computed = counted["n"]
    assert computed == 2  # the period and the previous one
    cache.clear()
    client.force_login(leader)  # the session is in the database, the login survives
    with django_assert_max_num_queries(14):
        response = client.get(INDEX)
    assert response.status_code == 200
    assert counted["n"] == computed
    assert 'data-testid="tile-core-counted"' in response.content.decode()


def test_a_stale_copy_is_served_and_a_refresh_queued(client, leader, counted, frozen_today):
    client.force_login(leader)
    client.get(INDEX)
    computed = counted["n"]
    StoredDashboard.objects.update(
        computed_at=StoredDashboard.objects.first().computed_at
        - dashboards.datetime.timedelta(hours=1)
    )
    cache.clear()
    client.force_login(leader)
    assert client.get(INDEX).status_code == 200
    assert counted["n"] == computed  # not recomputed in the request
    with translation.override("id"):
        key = dashboards.key_for("overview", default_params(), registry=dashboards.kpi.registry)
    assert cache.get(f"{key}:queued") == 1  # a worker was asked, once


@pytest.mark.django_db(transaction=True)
def test_a_burst_on_a_copy_nobody_computed_computes_it_once(counted, frozen_today):
    """Eight viewers at once after a flush, no stored copy: one computes, seven wait."""
    counted["sleep"] = 0.3
    params = default_params()
    results, errors = [], []

    def view():
        try:
            with translation.override("id"):
                results.append(dashboards.served("overview", params))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=view) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors
    assert len(results) == 8
    assert counted["n"] == 2  # one computation: the period and the previous one
    assert StoredDashboard.objects.filter(kind="overview").count() == 1


@pytest.fixture
def another_process():
    """A second PostgreSQL session, standing for another gunicorn or Celery process."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    conn = psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=connection.settings_dict["NAME"],
        autocommit=True,
    )

    def hold(key):
        conn.execute("SELECT pg_advisory_lock(%s)", [dashboards.lock_id(key)])

    def let_go(key):
        conn.execute("SELECT pg_advisory_unlock(%s)", [dashboards.lock_id(key)])

    yield hold, let_go
    conn.close()


def overview_key():
    with translation.override("id"):
        return dashboards.key_for("overview", default_params(), registry=dashboards.kpi.registry)


def test_only_one_process_refreshes_a_copy_at_a_time(counted, frozen_today, another_process):
    hold, let_go = another_process
    params = default_params()
    hold(overview_key())
    with translation.override("id"):
        assert dashboards.refresh("overview", params) is None  # busy: left to the other
        assert counted["n"] == 0
        let_go(overview_key())
        assert dashboards.refresh("overview", params) is not None
        assert counted["n"] == 2


def test_still_being_computed_elsewhere_is_a_503_with_a_message(
    client, leader, counted, frozen_today, monkeypatch, another_process
):
    monkeypatch.setattr(dashboards, "WAIT_SECONDS", 0.3)
    hold, _let_go = another_process
    hold(overview_key())
    client.force_login(leader)
    response = client.get(INDEX)
    assert response.status_code == 503
    assert "Dasbor sedang dihitung" in response.content.decode()
    assert counted["n"] == 0


def test_the_wall_panel_is_served_from_the_stored_copy(
    client, wallboard_user, counted, frozen_today, django_assert_max_num_queries
):
    dashboards_refresh_task(["wall"])
    computed = counted["n"]
    cache.clear()
    client.force_login(wallboard_user)
    with django_assert_max_num_queries(8):
        assert client.get(WALL_PANEL).status_code == 200
    assert counted["n"] == computed


@pytest.mark.django_db(transaction=True)
def test_two_workers_refreshing_one_copy_at_once_compute_it_once(counted, frozen_today):
    """Beat's task and a stale read's task on the same copy at the same moment: one
    computes (the other is told it is busy and leaves it), never both."""
    counted["sleep"] = 0.5
    params = default_params()
    results, errors = [], []
    start = threading.Barrier(2)

    def worker():
        try:
            with translation.override("id"):
                start.wait(timeout=10)
                results.append(dashboards.refresh("overview", params))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors
    assert sorted(r is None for r in results) == [False, True]  # one copy, one "busy"
    assert counted["n"] == 2  # one computation: the period and the previous one
    assert StoredDashboard.objects.filter(kind="overview").count() == 1


@pytest.fixture
def shared_scan(test_registry):
    """A figure and a map count that read one scan of a period (kpi.shared), counted."""
    from binjai_portal.core import kpi

    scans = []

    def scan(filters):
        return kpi.shared(("uji:scan", filters), lambda: scans.append(filters.period) or 3)

    test_registry.register_figure(
        "core", "scanned", label="Dipindai", compute=lambda f: kpi.Value(scan(f))
    )
    test_registry.register_region_count(
        "core", "scanned", label="Dipindai", compute=lambda f: {"12.75.01.1001": scan(f)}
    )
    return scans


def test_a_new_filter_s_overview_page_reads_a_scan_shared_with_the_map_once(
    shared_scan, frozen_today
):
    filters = FiltersForm(
        {"periode": "custom", "mulai": "2026-03-01", "sampai": "2026-03-20"}
    ).filters()
    selectors.overview_page(filters=filters)  # never computed: both copies computed here
    # the period and the previous one (the tile's change), the map's scan shared
    assert sorted(shared_scan, key=lambda p: p.start) == [filters.period.previous(), filters.period]


def test_the_beat_task_reads_each_scan_once_for_both_languages(shared_scan, frozen_today, settings):
    settings.LANGUAGES = [("id", "Bahasa Indonesia")]
    dashboards.refresh_standard(kinds=("overview", "regions"))
    one_language = len(shared_scan)
    assert one_language
    StoredDashboard.objects.all().delete()
    cache.clear()
    shared_scan.clear()
    settings.LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
    dashboards.refresh_standard(kinds=("overview", "regions"))
    assert StoredDashboard.objects.count() == 2 * 2 * len(
        [k for k, _p in dashboards.standard_requests() if k == "overview"]
    )
    assert len(shared_scan) == one_language  # the English copies computed no scan again
