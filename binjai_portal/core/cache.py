"""A Redis cache that degrades to no cache when Redis is down.

Every `cache` use in the portal (pages, the display board, the command center, DRF
throttles) goes through this backend, configured in settings. When Redis does not
answer, a read is a miss, a write is dropped and `incr` behaves as for a missing key,
so a cache outage costs speed, never a 500. DRF throttles read an empty history and let
the request through (fail open); a limit that must fail closed (message-sending writes)
uses `cache.strict`, which raises.

After an error the backend does not try Redis again for `RETRY_AFTER` seconds (a
blackholed server would otherwise cost the socket timeout on every call), and it logs
the outage once per `LOG_INTERVAL` seconds, not once per call. An invalidation dropped
during a short blip leaves the old entry until its own timeout, which is why every
cached page keeps its timeout short.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0
LOG_INTERVAL = 60.0

_log_lock = threading.Lock()
_last_logged = 0.0


def _log_outage(exc: Exception) -> None:
    global _last_logged
    now = time.monotonic()
    with _log_lock:
        if now - _last_logged < LOG_INTERVAL:
            return
        _last_logged = now
    logger.warning("cache unavailable, serving without cache: %s: %s", type(exc).__name__, exc)


class CacheUnavailable(Exception):
    """Raised by `cache.strict` while Redis does not answer."""


def _degrade(default):
    """Run the RedisCache method; on a Redis error, log, open the breaker, return default.

    `default` is a value, or a callable given the call's arguments (get's own default).
    """

    def wrap(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if self._down_until > time.monotonic():
                return default(*args, **kwargs) if callable(default) else default
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError) as exc:
                self._down_until = time.monotonic() + RETRY_AFTER
                _log_outage(exc)
                return default(*args, **kwargs) if callable(default) else default

        return wrapper

    return wrap


def _get_default(key, default=None, version=None):
    return default


def _missing_key(key, delta=1, version=None):
    raise ValueError(f"Key '{key}' not found (cache unavailable)")


def _none_found(keys, version=None):
    return {}


def _nothing_set(data, timeout=None, version=None):
    return list(data)  # set_many returns the keys it could not set


class ReusingRedisCacheClient(RedisCacheClient):
    """django's RedisCacheClient builds a new `redis.Redis` for every cache call, and
    building one fills its table of some 200 response callbacks (about 0.3 ms of CPU,
    more than the round trip to Redis): a booking POST made four of them. This one keeps
    one client per connection pool. A `redis.Redis` holds no connection of its own (the
    pool lends one per command and checks for a fork), so it is shared by threads and
    survives gunicorn's fork as the pool does."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # the pools live as long as this object
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class DegradingRedisCache(RedisCache):
    """django's RedisCache; a Redis error means a miss, see the module docstring."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._down_until = 0.0
        self._params = params

    @functools.cached_property
    def strict(self) -> RedisCache:
        """The same cache without the safety net, for callers that must fail closed:
        Redis errors are raised as CacheUnavailable."""
        return _StrictRedisCache(self._servers, self._params)

    add = _degrade(False)(RedisCache.add)
    get = _degrade(_get_default)(RedisCache.get)
    set = _degrade(None)(RedisCache.set)
    touch = _degrade(False)(RedisCache.touch)
    delete = _degrade(False)(RedisCache.delete)
    get_many = _degrade(_none_found)(RedisCache.get_many)
    has_key = _degrade(False)(RedisCache.has_key)
    incr = _degrade(_missing_key)(RedisCache.incr)
    set_many = _degrade(_nothing_set)(RedisCache.set_many)
    delete_many = _degrade(None)(RedisCache.delete_many)
    clear = _degrade(False)(RedisCache.clear)


def _raise_unavailable(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (RedisError, OSError) as exc:
            raise CacheUnavailable(f"{type(exc).__name__}: {exc}") from exc

    return wrapper


class _StrictRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    add = _raise_unavailable(RedisCache.add)
    get = _raise_unavailable(RedisCache.get)
    set = _raise_unavailable(RedisCache.set)
    touch = _raise_unavailable(RedisCache.touch)
    delete = _raise_unavailable(RedisCache.delete)
    get_many = _raise_unavailable(RedisCache.get_many)
    has_key = _raise_unavailable(RedisCache.has_key)
    incr = _raise_unavailable(RedisCache.incr)
    set_many = _raise_unavailable(RedisCache.set_many)
    delete_many = _raise_unavailable(RedisCache.delete_many)
    clear = _raise_unavailable(RedisCache.clear)
