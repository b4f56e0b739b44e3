"""The suite runs on several pytest-xdist workers (`make test`): each worker's Redis
databases, cache key prefix and server ports are its own (conftest.py, tests/servers.py)."""

import os

import pytest
from django.conf import settings

from conftest import _redis_db_for_worker
from tests import servers


def test_each_worker_moves_the_redis_database_numbers_up_by_two():
    assert _redis_db_for_worker("redis://127.0.0.1:6379/1", 0) == "redis://127.0.0.1:6379/1"
    assert _redis_db_for_worker("redis://127.0.0.1:6379/2", 1) == "redis://127.0.0.1:6379/4"
    assert _redis_db_for_worker("redis://127.0.0.1:6379", 3) == "redis://127.0.0.1:6379/6"
    with pytest.raises(pytest.UsageError):
        _redis_db_for_worker("redis://127.0.0.1:6379/2", 7)


def test_workers_take_disjoint_shares_of_a_port_range(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "2")
    shares = []
    for worker in ("gw0", "gw1"):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        shares.append(set(servers.worker_ports(range(21100, 21200))))
    assert len(shares[0]) == len(shares[1]) == 50
    assert not shares[0] & shares[1]
    monkeypatch.delenv("PYTEST_XDIST_WORKER")
    monkeypatch.delenv("PYTEST_XDIST_WORKER_COUNT")
    assert servers.worker_ports(range(21100, 21200)) == range(21100, 21200)


def test_this_worker_uses_its_own_redis_databases_and_cache_prefix():
    from binjai_portal.celery import app

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        pytest.skip("a serial run: the settings are the environment's")
    cache = settings.CACHES["default"]
    assert cache["KEY_PREFIX"].endswith(f"-{worker}")
    assert settings.CELERY_BROKER_URL == settings.REDIS_URL == os.environ["REDIS_URL"]
    assert app.conf.broker_url == settings.REDIS_URL  # the app read the corrected settings
    from django.core.cache import cache as default_cache

    # The client the cache really uses talks to this worker's database.
    client = default_cache._cache.get_client(write=True)
    assert client.connection_pool.connection_kwargs["db"] == int(cache["LOCATION"].split("/")[-1])
    assert default_cache.make_key("k").startswith(f"{cache['KEY_PREFIX']}:")
