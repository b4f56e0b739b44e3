"""Health of the parts the portal depends on, for load balancers and orchestrators.

Liveness (`/healthz`, `/healthz/live`) says only that the process serves requests: it
checks nothing, so a dependency's outage never gets healthy web processes restarted.
Readiness (`/healthz/ready`) needs the database: without it no page can answer. The
cache and the broker are reported but do not make the process unready: without the cache
pages are slower, and without the broker notifications wait as pending rows for the
periodic task (see core/notifications.py), so either outage is "degraded", not "down".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connections

OK, DOWN, NOT_CONFIGURED = "ok", "down", "not_configured"


@dataclass(frozen=True)
class PartHealth:
    status: str
    detail: str = ""


def _database() -> PartHealth:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return PartHealth(DOWN, type(exc).__name__)
    return PartHealth(OK, connections["default"].vendor)


def _cache() -> PartHealth:
    cache = caches["default"]
    backend = type(cache).__name__
    # The portal's Redis cache hides outages (a miss); its strict twin raises them.
    cache = getattr(cache, "strict", cache)
    try:
        cache.set("healthz", "1", timeout=5)
        if cache.get("healthz") != "1":
            return PartHealth(DOWN, f"{backend}: read back failed")
    except Exception as exc:  # noqa: BLE001
        return PartHealth(DOWN, f"{backend}: {type(exc).__name__}")
    return PartHealth(OK, backend)


def _broker() -> PartHealth:
    broker_url = settings.CELERY_BROKER_URL
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) or broker_url.startswith("memory://"):
        return PartHealth(NOT_CONFIGURED, "Celery eager: tasks run in the web process")
    from kombu import Connection

    try:
        with Connection(broker_url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return PartHealth(DOWN, type(exc).__name__)
    return PartHealth(OK, "redis")


def readiness_report() -> tuple[bool, dict]:
    """(ready, report): ready when the database answers; "degraded" when the cache or
    the broker does not."""
    parts = {"database": _database(), "cache": _cache(), "broker": _broker()}
    ready = parts["database"].status == OK
    if not ready:
        status = DOWN
    elif any(p.status == DOWN for p in parts.values()):
        status = "degraded"
    else:
        status = OK
    return ready, {"status": status, "parts": {name: asdict(p) for name, p in parts.items()}}
