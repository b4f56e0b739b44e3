"""The portal's Redis cache: an outage is a miss, never an exception."""

import logging

import pytest
from django.core.cache import caches

from binjai_portal.core import cache as cache_module
from binjai_portal.core.cache import CacheUnavailable, DegradingRedisCache

DEAD = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused


@pytest.fixture
def dead_cache(settings):
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": DEAD}}
    cache = caches["default"]
    assert isinstance(cache, DegradingRedisCache)
    return cache


def test_the_configured_cache_degrades():
    assert isinstance(caches["default"], DegradingRedisCache)


def test_every_operation_is_a_miss_while_redis_is_down(dead_cache):
    c = dead_cache
    assert c.get("k") is None and c.get("k", 7) == 7
    c.set("k", 1)
    assert c.add("k", 1) is False
    assert c.get_many(["a", "b"]) == {}
    assert c.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert c.has_key("k") is False and c.touch("k") is False and c.delete("k") is False
    c.delete_many(["a"])
    c.clear()
    assert c.get_or_set("k", 5) == 5
    with pytest.raises(ValueError):
        c.incr("hits")


def test_the_outage_is_logged_once_per_interval(dead_cache, caplog, monkeypatch):
    monkeypatch.setattr(cache_module, "_last_logged", 0.0)
    monkeypatch.setattr(cache_module, "RETRY_AFTER", 0.0)  # try Redis on every call
    with caplog.at_level(logging.WARNING, logger="binjai_portal.core.cache"):
        for _ in range(5):
            dead_cache.get("k")
    assert len([r for r in caplog.records if "cache unavailable" in r.message]) == 1


def test_strict_twin_raises_for_callers_that_must_fail_closed(dead_cache):
    with pytest.raises(CacheUnavailable):
        dead_cache.strict.incr("hits")


def test_a_live_redis_works_as_usual():
    c = caches["default"]
    c.set("k", {"a": 1})
    assert c.get("k") == {"a": 1}
    c.set("n", 1)
    assert c.incr("n") == 2
    assert c.strict.get("k") == {"a": 1}


def test_the_cache_comes_back_with_redis(settings, monkeypatch):
    from tests.core.test_redis_down import OwnRedis

    server = OwnRedis()
    try:
        settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": f"{server.url}/2"}}
        c = caches["default"]
        c.set("k", "v")
        assert c.get("k") == "v"
        monkeypatch.setattr(cache_module, "RETRY_AFTER", 0.0)  # no pause before retrying
        server.stop()
        assert c.get("k") is None  # down: a miss
        server = OwnRedis(port=server.port)  # back, empty
        c.set("k", "again")
        assert c.get("k") == "again"
    finally:
        server.stop()


def test_one_redis_client_serves_every_call(monkeypatch):
    """Django's client builds a redis.Redis per call (~0.3 ms of CPU each); ours keeps one
    per connection pool, for the strict twin as well, and it still talks to Redis."""
    import redis

    built = []
    original = redis.Redis.__init__

    def count(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", count)
    c = caches["default"]
    for cache in (c, c.strict):
        cache.set("k", 1)
        cache.get("k")
        cache.delete("k")
        cache.get("k")
    assert len(built) <= 2, built  # at most one each (none when already built)
    c.set("k", 2)
    assert c.get("k") == 2 and c.strict.get("k") == 2
