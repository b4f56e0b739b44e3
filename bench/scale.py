"""How the portal's cost grows with the data (issue 9, "Speed at city scale").

    .venv/bin/python bench/scale.py --database-url postgres://postgres@127.0.0.1:5432/binjai \
        --bench-db binjai_bench_scale --redis-url redis://127.0.0.1:6379/3 --port 8123 \
        --workers 4

(each argument also from the environment: DATABASE_URL, BENCH_SCALE_DB, REDIS_URL,
BENCH_PORT, BENCH_WORKERS; see bench/README.md, "scale.py").

On a database of its own (dropped and created anew, next to the one in the URL), at
three sizes of the same data set: the demo data alone ("10 rows"), a hundredth of city
scale (10 k complaints) and city scale (1 M complaints), generated with INSERT ...
SELECT generate_series (`manage.py generate_scale_data`), it prints

- for each dashboard copy (overview, map by region, wallboard, open data): the cold
  recompute (stored copy and cache deleted, closures too) and the served time (the copy
  from the cache, and from the stored row after a cache flush), with query counts;
- for each list page: query count and p95 over --requests requests (Django test client,
  full middleware stack), and the ratio of its p95 at each size to its p95 at 10 rows;
- the wallboard panel's and the overview's throughput under gunicorn + wrk at city
  scale against the bare baseline view.

Exit 0 when every goal is met (GOALS below), 1 when one is missed, 2 when a step failed.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402  (bench/load.py: shared helpers)
from load import BenchError, say  # noqa: E402

ROOT = load.ROOT
SMALL_FACTOR = 0.01
OVERVIEW = "/command-center/"
WALL_PANEL = "/command-center/wall/panel/"
BASELINE = "/bench/baseline"
PIMPINAN = "pimpinan@demo.binjaikota.go.id"
WALLBOARD = "wallboard@demo.binjaikota.go.id"

# The goals of issue 9, checked at the end of the run.
GOALS = {
    "cold_overview_ms": 500,  # a cold recompute of the overview (default period), full scale
    "served_ms": 30,  # a dashboard served from its stored copy, at any scale
    "list_p95_ratio": 2.0,  # a list page's p95 at full scale / at 10 rows
}

# List pages: (name, path, user e-mail or None for anonymous).
LISTS = [
    ("musrenbang-list", "/musrenbang/", None),
    ("masyarakat-feed", "/masyarakat/", None),
    ("masyarakat-feed-p10", "/masyarakat/?page=10", None),
    ("masyarakat-staff", "/masyarakat/antrean-kerja/", "moderator@demo.binjaikota.go.id"),
    ("masyarakat-mine", "/masyarakat/saya/", "warga@demo.binjaikota.go.id"),
    ("open311-requests", "/api/open311/v2/requests.json", None),
    ("perizinan-inbox", "/perizinan/antrean-kerja/", "verifikator@demo.binjaikota.go.id"),
    ("budgeting-public", "/budgeting/apbd/", None),
    ("dokter-mine", "/dokter/", "warga@demo.binjaikota.go.id"),
    ("dokter-console", "/dokter/petugas/", "puskesmas@demo.binjaikota.go.id"),
    ("cc-alerts", "/command-center/peringatan/", PIMPINAN),
    ("open-data", "/command-center/open-data/", None),
]

# Run in `manage.py shell` with the bench's settings. Only this run's cache keys are
# deleted: CACHE_KEY_PREFIX is unique per run.
PROBE = r"""
import json, statistics, time
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from binjai_portal.accounts.models import User
from command_center.forms import FiltersForm
try:
    from command_center import dashboards, selectors
    from command_center.models import StoredDashboard
except ImportError:  # the code before the stored copies: "before" figures
    dashboards = None

ARGS = json.loads(%(args)r)
prefix = settings.CACHES["default"]["KEY_PREFIX"]
redis = cache._cache.get_client(None, write=True)
reverse("command_center:index")  # URLconf and views imported: not part of any timing


def flush_cache():
    keys = list(redis.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        redis.delete(*keys)


def p95(values):
    values = sorted(values)
    return values[max(0, min(len(values) - 1, round(0.95 * len(values)) - 1))]


clients = {}
def client_for(email):
    if email not in clients:
        c = Client()
        if email:
            c.force_login(User.objects.get(email=email))
        clients[email] = c
    return clients[email]


def get(email, path):
    c = client_for(email)
    with CaptureQueriesContext(connection) as q:
        started = time.perf_counter()
        response = c.get(path)
        ms = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"PROBE-ERROR {path} answered {response.status_code}")
    return ms, len(q)


out = {"lists": {}, "dashboards": {}}
flush_cache()
# A list page is built on every request: an anonymous visitor's page served from the
# whole-page cache (pagecache.py) would time Redis, not the page's queries. Its own
# caches (filter choices memoised until the data changes) stay on, as in production.
settings.PAGECACHE_ENABLED = False
for name, path, email in ARGS["lists"]:
    for _ in range(2):
        get(email, path)  # warm: imports, the page's own caches
    times, queries = [], 0
    for _ in range(ARGS["requests"]):
        ms, queries = get(email, path)
        times.append(ms)
    out["lists"][name] = {"p95_ms": p95(times), "median_ms": statistics.median(times),
                          "queries": queries}
settings.PAGECACHE_ENABLED = True

# Dashboards: the cold recompute of each copy, then serving it.
if dashboards is not None:
    default = dashboards.filters_params(FiltersForm({}).filters())
    year = dashboards.filters_params(FiltersForm({"periode": "year"}).filters())
    copies = [("overview", default, 3), ("regions", default, 3), ("overview-year", year, 1),
              ("wall", {}, 3)]
    for label, params, runs in copies:
        kind = label.split("-")[0]
        times, queries = [], 0
        for _ in range(runs):
            StoredDashboard.objects.all().delete()
            flush_cache()
            with CaptureQueriesContext(connection) as q:
                started = time.perf_counter()
                dashboards.refresh(kind, params)
                times.append((time.perf_counter() - started) * 1000)
            queries = len(q)
        out["dashboards"][label] = {"cold_ms": statistics.median(times),
                                    "cold_queries": queries}
    # The cold overview page: both copies of a period never computed before, as
    # selectors.overview_page computes them (one kpi.sharing block: shared scans once).
    from binjai_portal.core import kpi
    times, queries = [], 0
    for _ in range(3):
        StoredDashboard.objects.all().delete()
        flush_cache()
        with CaptureQueriesContext(connection) as q:
            started = time.perf_counter()
            with kpi.sharing():
                dashboards.refresh("overview", default)
                dashboards.refresh("regions", default)
            times.append((time.perf_counter() - started) * 1000)
        queries = len(q)
    out["dashboards"]["page"] = {"cold_ms": statistics.median(times), "cold_queries": queries}
    dashboards.refresh_standard()  # what the beat task stores
else:  # before: the whole page with the cache flushed is the cold computation
    for label, path, email, runs in (
            ("overview", ARGS["overview"], ARGS["pimpinan"], 3),
            ("regions", ARGS["overview"], ARGS["pimpinan"], 0),
            ("overview-year", ARGS["overview"] + "?periode=year", ARGS["pimpinan"], 1),
            ("wall", ARGS["wall_panel"], ARGS["wallboard"], 3)):
        times, queries = [0.0], 0
        for i in range(runs):
            flush_cache()
            client_for(email).force_login(User.objects.get(email=email))
            ms, queries = get(email, path)
            times = times[1:] if i == 0 else times
            times.append(ms)
        out["dashboards"][label] = {"cold_ms": statistics.median(times),
                                    "cold_queries": queries}
for label, path, email in (("overview", ARGS["overview"], ARGS["pimpinan"]),
                           ("wall", ARGS["wall_panel"], ARGS["wallboard"])):
    get(email, path)
    row_times, cache_times = [], []
    for _ in range(ARGS["requests"]):
        flush_cache()  # a cache flush: served from the stored row
        client_for(email).force_login(User.objects.get(email=email))
        ms, row_q = get(email, path)
        row_times.append(ms)
        ms, cache_q = get(email, path)  # then from the cache the first request refilled
        cache_times.append(ms)
    out["dashboards"][label].update({
        "served_row_ms": statistics.median(row_times), "served_row_queries": row_q,
        "served_cache_ms": statistics.median(cache_times), "served_cache_queries": cache_q})
print("PROBE " + json.dumps(out))
"""

# Prints a session cookie of an account, for wrk's -H "Cookie: ...".
SESSION = """
from django.conf import settings
from django.test import Client
from binjai_portal.accounts.models import User
client = Client()
client.force_login(User.objects.get(email=%(user)r))
name = settings.SESSION_COOKIE_NAME
print("SESSION " + name + "=" + client.cookies[name].value)
"""


def shell(env: dict[str, str], code: str, marker: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith(marker + " "):
            return line[len(marker) + 1 :]
    tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-20:])
    raise BenchError(f"manage.py shell ({marker}) failed (exit {result.returncode}):\n{tail}")


def probe(env: dict[str, str], requests: int) -> dict:
    args = {
        "lists": LISTS,
        "requests": requests,
        "overview": OVERVIEW,
        "wall_panel": WALL_PANEL,
        "pimpinan": PIMPINAN,
        "wallboard": WALLBOARD,
    }
    return json.loads(shell(env, PROBE % {"args": json.dumps(args)}, "PROBE"))


def generate(env: dict[str, str], factor: float) -> float:
    started = time.monotonic()
    load.manage(env, "generate_scale_data", "--factor", str(factor))
    load.manage(env, "dbshell", "--", "-c", "VACUUM ANALYZE")
    return time.monotonic() - started


def wrk_cookie(
    wrk: str, url: str, duration: str, connections: int, threads: int, cookie: str | None
) -> dict:
    """load.wrk_run, with the session cookie header when there is one."""
    if not cookie:
        return load.wrk_run(wrk, url, duration, connections, threads)
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}",
        "--timeout",
        "10s",
        "-H",
        f"Cookie: {cookie}",
        "-s",
        str(load.BENCH_DIR / "report.lua"),
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    match = load.BENCH_LINE.search(result.stdout)
    if result.returncode != 0 or not match:
        raise BenchError(
            f"wrk failed on {url} (exit {result.returncode}):\n{result.stdout}{result.stderr}"
        )
    return {
        "rps": float(match["rps"]),
        "p50_ms": float(match["p50"]),
        "p95_ms": float(match["p95"]),
        "non2xx": int(match["non2xx"]),
    }


FULL_MARK = "binjai bench/scale.py full-scale data, factor {factor}"


def full_database_ready(database_url: str, name: str, factor: float) -> bool:
    """Whether `name` holds a complete full-scale set at this factor (marked by a comment
    on the database once its generation finished: a run stopped halfway is not reused)."""
    with load.pg_connect(database_url, dbname="postgres") as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return row is not None and row[0] == FULL_MARK.format(factor=factor)


def full_database_mark(database_url: str, name: str, factor: float) -> None:
    from psycopg import sql

    with load.pg_connect(database_url, dbname="postgres") as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(FULL_MARK.format(factor=factor))
            )
        )


def bench_database_drop(database_url: str, name: str) -> None:
    """Start from an empty database: the small sizes must not see a bigger earlier set."""
    import psycopg
    from psycopg import sql

    parts = load.urlsplit(database_url)
    try:
        conn = psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=load.unquote(parts.username) if parts.username else "postgres",
            password=load.unquote(parts.password) if parts.password else None,
            dbname="postgres",
            connect_timeout=5,
            autocommit=True,
        )
    except psycopg.OperationalError as exc:
        raise BenchError(f"PostgreSQL does not answer ({exc}).") from None
    with conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def arguments(argv: list[str]) -> argparse.Namespace:
    env = os.environ.get
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--database-url",
        default=env("DATABASE_URL", load.DEFAULT_DATABASE_URL),
        help="PostgreSQL server (and default name) to work next to",
    )
    p.add_argument(
        "--bench-db",
        default=env("BENCH_SCALE_DB"),
        help="database to (re)create for the run (default: <name>_bench_scale)",
    )
    p.add_argument("--redis-url", default=env("REDIS_URL", load.DEFAULT_REDIS_URL))
    p.add_argument(
        "--port",
        type=int,
        default=int(env("BENCH_PORT", "0")),
        help="gunicorn's port on 127.0.0.1 (default: a free one)",
    )
    p.add_argument(
        "--workers", type=int, default=int(env("BENCH_WORKERS", "4")), help="gunicorn workers"
    )
    p.add_argument(
        "--factor",
        type=float,
        default=float(env("BENCH_SCALE_FACTOR", "1.0")),
        help="the full size (1.0 = city scale)",
    )
    p.add_argument(
        "--requests",
        type=int,
        default=int(env("BENCH_SCALE_REQUESTS", "20")),
        help="requests per list page and size (p95 over them)",
    )
    p.add_argument("--duration", default=env("BENCH_DURATION", "5s"), help="wrk run")
    p.add_argument("--connections", type=int, default=int(env("BENCH_CONNECTIONS", "8")))
    p.add_argument("--no-wrk", action="store_true", help="skip the gunicorn + wrk part")
    p.add_argument(
        "--reuse",
        action="store_true",
        default=env("BENCH_SCALE_REUSE", "") not in ("", "0"),
        help="keep the full-scale data in <bench-db>_full and reuse it on the next run "
        "(migrated, not generated again) when it was generated at this --factor",
    )
    args = p.parse_args(argv)
    if not SMALL_FACTOR < args.factor <= 10:
        p.error(f"--factor must be above {SMALL_FACTOR} and at most 10")
    if args.requests < 5:
        p.error("--requests must be at least 5")
    return args


def report(sizes: list[tuple[str, dict]], full: dict, wrk_rows: dict) -> list[str]:
    """Print the tables; return the goals missed."""
    missed = []
    first = sizes[0][1]
    say("")
    say("Dashboards (cold recompute: stored copy and cache deleted; served: from the cache,")
    say(
        "and from the stored row after a cache flush). Goal: cold overview <= "
        f"{GOALS['cold_overview_ms']} ms at full scale, served <= {GOALS['served_ms']} ms."
    )
    say(
        f"  {'copy':<15} {'size':<10} {'cold ms':>8} {'q':>4} {'row ms':>7} {'q':>3} "
        f"{'cache ms':>8} {'q':>3}"
    )
    for label in first["dashboards"]:
        for size, data in sizes:
            d = data["dashboards"][label]
            served = (
                f"{d['served_row_ms']:7.1f} {d['served_row_queries']:3d} "
                f"{d['served_cache_ms']:8.1f} {d['served_cache_queries']:3d}"
                if "served_row_ms" in d
                else f"{'':7} {'':3} {'':8} {'':3}"
            )
            say(f"  {label:<15} {size:<10} {d['cold_ms']:8.0f} {d['cold_queries']:4d} {served}")
    for label in ("overview", "wall"):
        d = full["dashboards"][label]
        for what in ("served_row_ms", "served_cache_ms"):
            if d[what] > GOALS["served_ms"]:
                missed.append(f"{label} {what} {d[what]:.1f} ms > {GOALS['served_ms']} ms")
    if "page" in full["dashboards"]:  # both copies in one block, as the page computes them
        cold = full["dashboards"]["page"]["cold_ms"]
    else:  # the code before overview_page shared its scans
        cold = full["dashboards"]["overview"]["cold_ms"] + full["dashboards"]["regions"]["cold_ms"]
    say(
        f"  cold overview page (overview + regions) at full scale: {cold:.0f} ms = "
        f"{cold / GOALS['cold_overview_ms']:.2f} of the goal"
    )
    if cold > GOALS["cold_overview_ms"]:
        missed.append(f"cold overview {cold:.0f} ms > {GOALS['cold_overview_ms']} ms")

    say("")
    say(
        f"List pages: queries and p95 (ms) per size; ratio = p95 / p95 at {sizes[0][0]}. "
        f"Goal: same queries, ratio <= {GOALS['list_p95_ratio']:.1f} at full scale."
    )
    head = "".join(f" {size:>10} {'q':>3} {'ratio':>5}" for size, _d in sizes)
    say(f"  {'page':<20}{head}")
    for name, _path, _user in LISTS:
        ref = first["lists"][name]
        cells = ""
        for _size, data in sizes:
            row = data["lists"][name]
            cells += (
                f" {row['p95_ms']:10.1f} {row['queries']:3d} {row['p95_ms'] / ref['p95_ms']:5.2f}"
            )
        say(f"  {name:<20}{cells}")
        last = full["lists"][name]
        if last["queries"] != ref["queries"]:
            missed.append(
                f"{name}: {last['queries']} queries at full scale, "
                f"{ref['queries']} at {sizes[0][0]}"
            )
        if last["p95_ms"] / ref["p95_ms"] > GOALS["list_p95_ratio"]:
            missed.append(
                f"{name}: p95 {last['p95_ms'] / ref['p95_ms']:.2f}x its p95 at {sizes[0][0]}"
            )
    if wrk_rows:
        say("")
        base = wrk_rows["baseline"]["rps"]
        say("gunicorn + wrk at full scale (req/s, p50 ms, ratio to the bare baseline):")
        for name, row in wrk_rows.items():
            say(
                f"  {name:<12} {row['rps']:8.1f} req/s  p50 {row['p50_ms']:7.1f} ms  "
                f"{row['rps'] / base:5.2f}"
            )
    return missed


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args = arguments(argv)
    started = time.monotonic()
    try:
        source = load.urlsplit(args.database_url)
        bench_db = args.bench_db or f"{source.path.lstrip('/') or 'binjai'}_bench_scale"
        load.BENCH_DB_NAME = bench_db  # load's database helpers read it
        database_url = load.bench_database_url(args.database_url)
        bench_database_drop(database_url, bench_db)
        load.bench_database_ensure(database_url)
        wrk = None if args.no_wrk else load.wrk_path()
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    port = args.port or load.free_port()
    static_root = tempfile.mkdtemp(prefix="binjai-bench-scale-static-")
    log_path = Path(tempfile.mkstemp(prefix="binjai-bench-scale-gunicorn-", suffix=".log")[1])
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": args.redis_url,
        "CACHE_KEY_PREFIX": f"binjai-bench-scale-{secrets.token_hex(4)}",
        "DEBUG": "0",
        # /bench/baseline exists only with this switch (never in production).
        "ENABLE_TEST_ENDPOINTS": "1",
        "SECRET_KEY": f"bench-only-secret-key-{secrets.token_urlsafe(48)}",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "ERROR",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(args.workers),
        "GUNICORN_ACCESS_LOG": "0",
        # the bench is one client asking again and again: no request limits
        "API_RATE_ANON": "1000000/minute",
        "API_RATE_USER": "1000000/minute",
    }
    env.pop("CACHE_URL", None)  # the cache is REDIS_URL's, under this run's prefix
    env.pop("STATICFILES_BACKEND", None)
    proc = None
    sizes: list[tuple[str, dict]] = []
    wrk_rows: dict = {}
    try:
        say(f"Preparing {bench_db} (migrate, seed_demo, collectstatic):")
        load.manage(env, "migrate", "--noinput")
        load.manage(env, "seed_demo")
        load.manage(env, "collectstatic", "--noinput")
        load.manage(env, "dbshell", "--", "-c", "VACUUM ANALYZE")
        say('Demo data only ("10 rows"):')
        sizes.append(("10 rows", probe(env, args.requests)))
        took = generate(env, SMALL_FACTOR)
        say(f"Scale data at factor {SMALL_FACTOR} (10 k): generated in {took:.0f}s")
        sizes.append(("10 k", probe(env, args.requests)))
        if args.reuse:
            full_url = load.bench_database_url(args.database_url, f"{bench_db}_full")
            env = {**env, "DATABASE_URL": full_url}
            full_db = load.database_name(full_url)
            if full_database_ready(full_url, full_db, args.factor):
                say(f"Reusing the full-scale data of {full_db} (factor {args.factor}):")
                load.manage(env, "migrate", "--noinput")
                load.manage(env, "dbshell", "--", "-c", "ANALYZE")
            else:
                bench_database_drop(full_url, full_db)
                load.bench_database_ensure(full_url)
                say(f"Preparing {full_db} (kept for the next --reuse run):")
                load.manage(env, "migrate", "--noinput")
                load.manage(env, "seed_demo")
                took = generate(env, SMALL_FACTOR) + generate(env, args.factor)
                full_database_mark(full_url, full_db, args.factor)
                say(f"Scale data at factor {args.factor} (full): generated in {took:.0f}s")
        else:
            took = generate(env, args.factor)
            say(f"Scale data at factor {args.factor} (full): generated in {took:.0f}s")
        sizes.append(("full", probe(env, args.requests)))
        if wrk:
            cookies = {
                email: shell(env, SESSION % {"user": email}, "SESSION")
                for email in (PIMPINAN, WALLBOARD)
            }
            with log_path.open("wb") as log:
                proc = subprocess.Popen(
                    [
                        load.executable("gunicorn"),
                        "binjai_portal.wsgi:application",
                        "-c",
                        "binjai_portal/gunicorn.conf.py",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            load.gunicorn_wait_ready(proc, port, log_path, timeout=60)
            say(
                f"gunicorn on 127.0.0.1:{port} ({args.workers} workers); wrk "
                f"-c{args.connections} -d{args.duration}:"
            )
            for name, path, cookie in (
                ("baseline", BASELINE, None),
                ("overview", OVERVIEW, cookies[PIMPINAN]),
                ("wall-panel", WALL_PANEL, cookies[WALLBOARD]),
            ):
                url = f"http://127.0.0.1:{port}{path}"
                wrk_cookie(wrk, url, "1s", args.connections, 2, cookie)  # warm-up
                numbers = wrk_cookie(wrk, url, args.duration, args.connections, 2, cookie)
                if numbers["non2xx"]:
                    raise BenchError(
                        f"{name} ({path}) had {numbers['non2xx']} non-2xx answers; log {log_path}"
                    )
                wrk_rows[name] = numbers
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    finally:
        if proc is not None:
            load.gunicorn_stop(proc)
        shutil.rmtree(static_root, ignore_errors=True)

    say("")
    say(
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, PostgreSQL {bench_db}, "
        f"DEBUG=0, Redis cache; {args.requests} requests per page and size; "
        f"run took {time.monotonic() - started:.0f}s"
    )
    missed = report(sizes, sizes[-1][1], wrk_rows)
    log_path.unlink(missing_ok=True)
    say("")
    if missed:
        say("Goals missed:")
        for line in missed:
            say(f"  - {line}")
        return 1
    say("Every goal met.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
