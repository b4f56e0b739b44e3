"""Precomputed dashboards: the overview, the map by region, the wallboard and open data
are computed by a Celery beat task and served from the stored copy.

A request reads the cache, then the StoredDashboard row (a cache flush falls back to
the row, never to recomputing every figure inside the request). A stale copy is still
served while a worker is asked to refresh it. Only a copy that was never computed (a
non-standard filter) is computed in the request, bounded by the filter form (two years
at most) and by the queries of the apps' metrics.

One lock per copy (a PostgreSQL advisory lock; cache.add on SQLite): only one process
ever recomputes a copy at a time; the others serve the stored one, or wait for it when there
is none yet, so a burst of viewers after a flush costs one computation (no stampede).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import pickle
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation

from binjai_portal.core import kpi

from .models import StoredDashboard

logger = logging.getLogger(__name__)

CACHE_SECONDS = 24 * 3600  # freshness is judged by computed_at, not by the cache expiry
LOCK_SECONDS = 120  # a crashed worker's lock expires by itself
WAIT_SECONDS = 20  # below gunicorn's 30 s timeout
POLL_SECONDS = 0.1
QUEUED_SECONDS = 60  # ask a worker at most once a minute per copy

# How old a copy may be before it is refreshed (the beat task and stale reads).
MAX_AGE = {"overview": 60, "regions": 60, "wall": 15, "opendata": 3600, "trend": 600}


class DashboardBusy(Exception):
    """No copy yet and another process is still computing it after WAIT_SECONDS."""


@dataclass(frozen=True)
class Copy:
    payload: object
    computed_at: datetime.datetime

    @property
    def version(self) -> str:
        """Names this computation: a fragment rendered from it may be cached under it."""
        return self.computed_at.isoformat()

    @property
    def age(self) -> float:
        return (timezone.now() - self.computed_at).total_seconds()


# kind -> compute(params, registry); filled by command_center.selectors.
COMPUTE: dict[str, Callable[[dict, kpi.Registry], object]] = {}


def filters_params(filters: kpi.Filters) -> dict:
    return {
        "start": filters.period.start.isoformat(),
        "end": filters.period.end.isoformat(),
        "kecamatan": filters.kecamatan,
        "agency": filters.agency,
        **({"fiscal_year": filters.fiscal_year} if filters.fiscal_year else {}),
    }


def params_filters(params: dict) -> kpi.Filters:
    return kpi.Filters(
        kpi.Period(
            datetime.date.fromisoformat(params["start"]), datetime.date.fromisoformat(params["end"])
        ),
        params.get("kecamatan"),
        params.get("agency"),
        params.get("fiscal_year"),
    )


# Bump when a stored payload's shape changes (the wall's panels gained their app): a copy
# stored by the previous code is then never read back by this one.
PAYLOAD_VERSION = 2


def key_for(kind: str, params: dict, *, registry: kpi.Registry, lang: str | None = None) -> str:
    shape = repr(
        (
            PAYLOAD_VERSION,
            sorted(registry.figures),
            sorted(registry.sections),
            sorted(registry.panels),
            sorted(registry.region_counts),
            sorted(registry.datasets),
        )
    )
    raw = repr((kind, sorted(params.items()), lang or translation.get_language(), shape))
    return f"cc:{kind}:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def _cache_get(key):
    try:
        return cache.get(key)
    except Exception:  # a cache that is down means no cache, not a 500
        logger.warning("dashboard cache unavailable (get %s)", key, exc_info=True)
        return None


def _cache_set(key, value, seconds) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception:
        logger.warning("dashboard cache unavailable (set %s)", key, exc_info=True)


def stored_copy(key: str) -> Copy | None:
    """The cached copy, else the stored row (which then refills the cache)."""
    found = _cache_get(key)
    if found is not None:
        return found
    row = StoredDashboard.objects.filter(key=key).values_list("payload", "computed_at").first()
    if row is None:
        return None
    found = Copy(pickle.loads(bytes(row[0])), row[1])  # noqa: S301 (written by refresh only)
    _cache_set(key, found, CACHE_SECONDS)
    return found


def lock_id(key: str) -> int:
    """The PostgreSQL advisory lock number of a copy (a signed 64-bit int)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


class _Lock:
    """One process at a time per copy.

    PostgreSQL: a session advisory lock (pg_try_advisory_lock), which needs no cache, so
    a Redis outage does not stop the dashboards, and which a crashed worker's closed
    connection releases at once. Elsewhere (SQLite under `make run`, one process):
    cache.add with an expiry.
    """

    def __init__(self, key: str):
        self.key, self.token = f"{key}:lock", secrets.token_hex(8)
        self.id, self.held = lock_id(key), False

    def acquire(self) -> bool:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [self.id])
                self.held = bool(cursor.fetchone()[0])
            return self.held
        try:
            self.held = bool(cache.add(self.key, self.token, LOCK_SECONDS))
        except Exception:
            logger.warning("dashboard lock unavailable (%s): computing unlocked", self.key)
            self.held = True
        return self.held

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [self.id])
            return
        try:
            if cache.get(self.key) == self.token:
                cache.delete(self.key)
        except Exception:  # it expires by itself after LOCK_SECONDS
            logger.warning("dashboard lock not released (%s)", self.key)


def _compute_and_store(kind: str, params: dict, key: str, registry: kpi.Registry) -> Copy:
    if kind not in COMPUTE:
        from . import selectors  # noqa: F401  (fills COMPUTE)
    started = time.perf_counter()
    with kpi.sharing():  # figures, sections and counts of one copy share their scans
        payload = COMPUTE[kind](params, registry)
    took = int((time.perf_counter() - started) * 1000)
    found = Copy(payload, timezone.now())
    StoredDashboard.objects.bulk_create(  # one INSERT ... ON CONFLICT DO UPDATE
        [
            StoredDashboard(
                key=key,
                kind=kind,
                params=params,
                payload=pickle.dumps(payload),
                computed_at=found.computed_at,
                took_ms=took,
            )
        ],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["kind", "params", "payload", "computed_at", "took_ms"],
    )
    _cache_set(key, found, CACHE_SECONDS)
    return found


def refresh(
    kind: str, params: dict, *, registry: kpi.Registry | None = None, max_age: float = 0
) -> Copy | None:
    """Recompute a copy now unless it is younger than max_age or another process holds
    its lock (then None: that process is refreshing it)."""
    registry = registry or kpi.registry
    key = key_for(kind, params, registry=registry)
    if max_age:
        found = stored_copy(key)
        if found is not None and found.age < max_age:
            return found
    lock = _Lock(key)
    if not lock.acquire():
        return None
    try:
        return _compute_and_store(kind, params, key, registry)
    finally:
        lock.release()


def _ask_worker(kind: str, params: dict, key: str) -> None:
    """Queue one refresh of a stale copy (at most one a minute per copy); a broker that
    is down leaves it to the beat task when it is back."""
    from binjai_portal.core.broker import enqueue

    if cache.add(f"{key}:queued", 1, QUEUED_SECONDS):
        enqueue(dashboard_refresh_task, kind, params, translation.get_language())


def served(kind: str, params: dict, *, registry: kpi.Registry | None = None):
    """The stored copy's payload for a request; computed here only if it never was."""
    return served_copy(kind, params, registry=registry).payload


def served_copy(kind: str, params: dict, *, registry: kpi.Registry | None = None) -> Copy:
    """As served(), with when the copy was computed."""
    registry = registry or kpi.registry
    return _served_copy(kind, params, key_for(kind, params, registry=registry), registry)


def _served_copy(kind: str, params: dict, key: str, registry: kpi.Registry) -> Copy:
    found = stored_copy(key)
    if found is not None:
        if found.age > MAX_AGE[kind] and registry is kpi.registry:
            _ask_worker(kind, params, key)
        return found
    deadline = time.monotonic() + WAIT_SECONDS
    lock = _Lock(key)
    while True:
        if lock.acquire():
            try:
                found = _cache_get(key)  # finished while we were acquiring
                if found is None:
                    found = _compute_and_store(kind, params, key, registry)
                return found
            finally:
                lock.release()
        time.sleep(POLL_SECONDS)  # another process computes it: wait for its copy
        found = stored_copy(key)
        if found is not None:
            return found
        if time.monotonic() >= deadline:
            raise DashboardBusy(key)


# --- what the beat task keeps fresh --------------------------------------------------------


def standard_requests(today: datetime.date | None = None) -> list[tuple[str, dict]]:
    """The copies a visitor gets without choosing anything unusual: every preset period
    of the overview and map (whole city), the wallboard and this year's open data."""
    from .forms import FiltersForm, OpenDataForm

    out: list[tuple[str, dict]] = [("wall", {})]
    for choice, _label in FiltersForm.PERIODS:
        if choice == "custom":
            continue
        form = FiltersForm({"periode": choice})
        params = filters_params(form.filters(today))
        out += [("overview", params), ("regions", params)]
    period = OpenDataForm({}).period(today)
    out.append(("opendata", {"start": period.start.isoformat(), "end": period.end.isoformat()}))
    return out


def refresh_standard(*, kinds: tuple[str, ...] | None = None) -> dict[str, int]:
    """Refresh each standard copy older than its MAX_AGE, in every language.

    One `kpi.sharing()` block for all of them: the overview and the map of a period read
    the same scans, and so does the second language (what is shared is numbers; the
    labels are made in each copy's language outside the shared computations)."""
    counts = {"refreshed": 0, "fresh_or_busy": 0}
    with kpi.sharing():
        _refresh_languages(counts, kinds)
    return counts


def _refresh_languages(counts: dict[str, int], kinds: tuple[str, ...] | None) -> None:
    for lang, _name in settings.LANGUAGES:
        with translation.override(lang):
            for kind, params in standard_requests():
                if kinds and kind not in kinds:
                    continue
                key = key_for(kind, params, registry=kpi.registry)
                before = stored_copy(key)
                found = refresh(kind, params, max_age=MAX_AGE[kind] * 0.9)
                if found is not None and (
                    before is None or found.computed_at != before.computed_at
                ):
                    counts["refreshed"] += 1
                else:
                    counts["fresh_or_busy"] += 1


@shared_task(name="command_center.tasks.dashboard_refresh_task")
def dashboard_refresh_task(kind: str, params: dict, lang: str) -> bool:
    """Refresh one stale copy a request found (a non-standard filter, or beat late)."""
    from . import selectors  # noqa: F401  (selectors fills COMPUTE)

    if kind not in COMPUTE:
        return False
    with translation.override(lang):
        return refresh(kind, params, max_age=MAX_AGE[kind] / 2) is not None
