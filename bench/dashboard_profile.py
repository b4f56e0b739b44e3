"""Where a cold recompute of a dashboard copy spends its time, figure by figure and
query by query, on an existing database (typically the one `bench/scale.py --keep`
left at full scale).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/binjai_bench_scale \
    REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/dashboard_profile.py \
        --period default --runs 3

For the overview (every figure for the period and the previous one, every section), the
map by region and the wallboard, each registered computation is timed on its own, in
registry order and inside one `kpi.sharing()` block as the real recompute runs them (a
scan shared by two figures is paid by the first), after one untimed run (imports, the
URLconf, the holiday tables, the database session's caches: what a beat worker has
warm). Then the slowest queries of the whole
recompute with their SQL, and with `--explain` their EXPLAIN (ANALYZE, BUFFERS) plans.
Times are the wall clock of this process and its PostgreSQL backend; the run prints the
load average, which inflates them on a shared machine. Nothing is written to the
database (the copies are computed, not stored).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class QueryLog:
    """connection.execute_wrapper: each statement's SQL, parameters and milliseconds."""

    def __init__(self):
        self.rows: list[tuple[float, str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.rows.append(((time.perf_counter() - started) * 1000, sql, params))


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_backend: list[int] = []


def cpu_ms() -> float:
    """CPU of this process and of its PostgreSQL backend (same machine: /proc), in ms;
    a loaded machine inflates it far less than the wall clock. Parallel query workers
    are not counted."""
    from django.db import connection

    if not _backend:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            _backend.append(cursor.fetchone()[0])
    try:
        fields = Path(f"/proc/{_backend[0]}/stat").read_text().rsplit(")", 1)[1].split()
        backend = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except OSError:  # PostgreSQL on another machine
        backend = 0.0
    return (time.process_time() + backend) * 1000


def timed(log: QueryLog, compute):
    from django.db import connection

    before = len(log.rows)
    cpu, started = cpu_ms(), time.perf_counter()
    with connection.execute_wrapper(log):
        compute()
    ms = (time.perf_counter() - started) * 1000
    return ms, len(log.rows) - before, sum(r[0] for r in log.rows[before:]), cpu_ms() - cpu


def steps(kind: str, filters, registry):
    """(label, compute) of one copy's computations, in the order the recompute runs them."""
    from command_center import selectors

    if kind == "page":  # what a cold overview page computes: both copies, one block
        yield from steps("overview", filters, registry)
        yield from steps("regions", filters, registry)
    elif kind == "overview":
        previous = dataclasses.replace(filters, period=filters.period.previous())
        for spec in registry.figures.values():
            yield f"figure {spec.app}.{spec.key}", lambda s=spec: s.compute(filters)
            yield f"figure {spec.app}.{spec.key} (previous)", lambda s=spec: s.compute(previous)
        for spec in registry.sections.values():
            yield f"section {spec.app}.{spec.key}", lambda s=spec: s.compute(filters)
    elif kind == "regions":
        for spec in registry.region_counts.values():
            yield f"region {spec.app}.{spec.key}", lambda s=spec: s.compute(filters)
    elif kind == "wall":
        today = filters.period.end
        from binjai_portal.core import kpi

        day = kpi.Filters(kpi.Period(today, today))
        for spec in registry.panels.values():
            yield f"panel {spec.app}.{spec.key}", spec.compute
        yield "wall sections (apps without panels)", lambda: registry.compute_sections(day)
        yield "wall figures (today and yesterday)", lambda: registry.compute_figures(day)
    else:
        raise SystemExit(f"unknown copy {kind}")
    del selectors


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--period", default="default", help="FiltersForm periode (default, year, ...)")
    p.add_argument(
        "--copies",
        default="overview,regions,page,wall",
        help="page = overview and regions in one kpi.sharing block, as the page computes them",
    )
    p.add_argument("--runs", type=int, default=3, help="median of this many runs per step")
    p.add_argument("--top", type=int, default=12, help="slowest queries listed")
    p.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest")
    p.add_argument(
        "--serial",
        action="store_true",
        help="no parallel query workers (SET max_parallel_workers_per_gather = 0): all the "
        "database work in the one backend whose CPU is counted",
    )
    p.add_argument(
        "--flush-cache",
        action="store_true",
        help="forget the cached closures before each run (read again, as in a cold start)",
    )
    args = p.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binjai_portal.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", f"bench-only-{secrets.token_urlsafe(40)}")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["CACHE_KEY_PREFIX"] = f"binjai-dashboard-profile-{os.getpid()}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection

    from binjai_portal.core import kpi, workdays
    from command_center import dashboards
    from command_center.forms import FiltersForm

    if args.serial:
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
    data = {} if args.period == "default" else {"periode": args.period}
    filters = dashboards.params_filters(dashboards.filters_params(FiltersForm(data).filters()))
    registry = kpi.registry
    print(
        f"{connection.settings_dict['NAME']}: period {filters.period.start}..{filters.period.end}"
        f", load average {os.getloadavg()[0]:.1f}, median of {args.runs} runs"
        + (", no parallel workers" if args.serial else "")
    )
    all_queries = QueryLog()
    for kind in args.copies.split(","):
        per_step: dict[str, list[tuple[float, int, float]]] = {}
        totals = []
        cpu_ms()  # the backend's pid, outside the timings
        with kpi.sharing():  # imports, URLconf, holiday tables, the backend's catalog caches
            for _label, compute in steps(kind, filters, registry):
                compute()
        for run in range(args.runs):
            log = all_queries if run == 0 else QueryLog()
            if args.flush_cache:
                cache.delete(workdays.CLOSURES_CACHE_KEY)
            cpu, started = cpu_ms(), time.perf_counter()
            with kpi.sharing():
                for label, compute in steps(kind, filters, registry):
                    per_step.setdefault(label, []).append(timed(log, compute))
            totals.append(((time.perf_counter() - started) * 1000, cpu_ms() - cpu))
        wall = statistics.median(t[0] for t in totals)
        cpu = statistics.median(t[1] for t in totals)
        print(
            f"\n{kind}: {wall:.0f} ms wall, {cpu:.0f} ms CPU (runs: "
            + ", ".join(f"{t:.0f}/{c:.0f}" for t, c in totals)
            + ")"
        )
        print(f"  {'step':<52} {'ms':>7} {'cpu ms':>7} {'q':>3} {'sql ms':>7}")
        for label, rows in sorted(
            per_step.items(), key=lambda kv: -statistics.median(r[3] for r in kv[1])
        ):
            ms = statistics.median(r[0] for r in rows)
            sql = statistics.median(r[2] for r in rows)
            cpu = statistics.median(r[3] for r in rows)
            print(f"  {label:<52} {ms:7.1f} {cpu:7.1f} {rows[0][1]:3d} {sql:7.1f}")
    print(f"\nslowest queries of the first run ({len(all_queries.rows)} in all):")
    for ms, sql, params in sorted(all_queries.rows, key=lambda r: -r[0])[: args.top]:
        print(f"  {ms:7.1f} ms  {sql[:400]}")
        if args.explain and sql.lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                for (line,) in cursor.fetchall():
                    print(f"             {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
