"""Health of the parts the portal depends on, for /healthz and load balancers."""

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


def health_report() -> tuple[bool, dict]:
    parts = {"database": _database(), "cache": _cache(), "broker": _broker()}
    healthy = all(p.status != DOWN for p in parts.values())
    return healthy, {
        "status": "ok" if healthy else "degraded",
        "parts": {name: asdict(p) for name, p in parts.items()},
    }
