"""How the command center's cost grows with the data: the overview at a hundredth of city
scale and at city scale, and the wallboard panel's throughput against the bare baseline.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/binjai_portal \
    REDIS_URL=redis://127.0.0.1:6379/1 .venv/bin/python bench/scale.py

See bench/README.md ("scale.py"). It reuses load.py's helpers (database, gunicorn, wrk)
and works on its own database, binjai_portal_bench_scale.
"""

from __future__ import annotations

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
BENCH_DB_NAME = "binjai_portal_bench_scale"
SMALL_FACTOR = 0.01
OVERVIEW = "/command-center/"
WALL_PANEL = "/command-center/wall/panel/"
BASELINE = "/bench/baseline"
PIMPINAN = "pimpinan@demo.binjaikota.go.id"
WALLBOARD = "wallboard@demo.binjaikota.go.id"

# Run in `manage.py shell` with the bench's settings: times the overview through the
# Django test client (full middleware stack, no network), cold (the command center's
# cached figures deleted before each request) and warm (the cache filled by the previous
# request). Only this run's cache keys are deleted: CACHE_KEY_PREFIX is unique per run.
TIMING = """
import json, statistics, time
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from binjai_portal.accounts.models import User

prefix = settings.CACHES["default"]["KEY_PREFIX"]
client = Client()
client.force_login(User.objects.get(email=%(user)r))

def forget():
    redis = cache._cache.get_client(None, write=True)
    keys = list(redis.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        redis.delete(*keys)
    client.force_login(User.objects.get(email=%(user)r))  # sessions live in the db

def timed(before):
    out = []
    for _ in range(%(n)d):
        before()
        started = time.perf_counter()
        response = client.get(%(path)r)
        out.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return out

cold = timed(forget)
warm = timed(lambda: None)
print("TIMING " + json.dumps({"cold_ms": statistics.median(cold),
                              "warm_ms": statistics.median(warm),
                              "cold_all": cold, "warm_all": warm}))
"""

# Prints a session cookie of the wallboard account, for wrk's -H "Cookie: ...".
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
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT,
                            env=env, capture_output=True, text=True, check=False)
    for line in result.stdout.splitlines():
        if line.startswith(marker + " "):
            return line[len(marker) + 1:]
    tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-20:])
    raise BenchError(f"manage.py shell ({marker}) failed (exit {result.returncode}):\n{tail}")


def overview_time(env: dict[str, str], n: int) -> dict:
    return json.loads(shell(env, TIMING % {"user": PIMPINAN, "n": n, "path": OVERVIEW},
                            "TIMING"))


def generate(env: dict[str, str], factor: float) -> float:
    started = time.monotonic()
    load.manage(env, "generate_scale_data", "--factor", str(factor))
    return time.monotonic() - started


def wrk_cookie(wrk: str, url: str, duration: str, connections: int, threads: int,
               cookie: str) -> dict:
    """load.wrk_run with the session cookie header (wrk -H "Cookie: ...")."""
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}", "--timeout", "10s",
               "-H", f"Cookie: {cookie}", "-s", str(load.BENCH_DIR / "report.lua"), url]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    match = load.BENCH_LINE.search(result.stdout)
    if result.returncode != 0 or not match:
        raise BenchError(f"wrk failed on {url} (exit {result.returncode}):\n"
                         f"{result.stdout}{result.stderr}")
    return {"rps": float(match["rps"]), "p50_ms": float(match["p50"]),
            "p95_ms": float(match["p95"]), "non2xx": int(match["non2xx"])}


def bench_database_drop(database_url: str) -> None:
    """Start from an empty database: the small timing must not see a bigger earlier set."""
    import psycopg
    from psycopg import sql

    parts = load.urlsplit(database_url)
    try:
        conn = psycopg.connect(
            host=parts.hostname or "127.0.0.1", port=parts.port or 5432,
            user=load.unquote(parts.username) if parts.username else "postgres",
            password=load.unquote(parts.password) if parts.password else None,
            dbname="postgres", connect_timeout=5, autocommit=True)
    except psycopg.OperationalError as exc:
        raise BenchError(f"PostgreSQL does not answer ({exc}).") from None
    with conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                     .format(sql.Identifier(BENCH_DB_NAME)))


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    big_factor = float(os.environ.get("BENCH_SCALE_FACTOR", "1.0"))
    requests = int(os.environ.get("BENCH_SCALE_REQUESTS", "5"))
    duration = load.seconds_arg(os.environ.get("BENCH_DURATION", "10s"))
    warmup = load.seconds_arg(os.environ.get("BENCH_WARMUP", "2s"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    threads = min(int(os.environ.get("BENCH_THREADS", "2")), connections)
    workers = int(os.environ.get("BENCH_WORKERS", "4"))
    if not SMALL_FACTOR < big_factor <= 10:
        print(f"bench: BENCH_SCALE_FACTOR must be above {SMALL_FACTOR} and at most 10",
              file=sys.stderr)
        return 2
    wrk = load.wrk_path()
    load.BENCH_DB_NAME = BENCH_DB_NAME  # load's database helpers read it
    database_url = load.bench_database_url(
        os.environ.get("DATABASE_URL", load.DEFAULT_DATABASE_URL))
    try:
        bench_database_drop(database_url)
        load.bench_database_ensure(database_url)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    port = load.free_port()
    static_root = tempfile.mkdtemp(prefix="binjai-bench-scale-static-")
    log_path = Path(tempfile.mkstemp(prefix="binjai-bench-scale-gunicorn-", suffix=".log")[1])
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("REDIS_URL", load.DEFAULT_REDIS_URL),
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
        "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_ACCESS_LOG": "0",
    }
    env.pop("CACHE_URL", None)  # the cache is REDIS_URL's, under this run's prefix
    env.pop("STATICFILES_BACKEND", None)
    proc = None
    try:
        say(f"Preparing {BENCH_DB_NAME} (migrate, seed_demo, collectstatic):")
        load.manage(env, "migrate", "--noinput")
        load.manage(env, "seed_demo")
        load.manage(env, "collectstatic", "--noinput")

        say(f"Scale data at factor {SMALL_FACTOR} (a re-run only tops up):")
        generate(env, SMALL_FACTOR)
        small = overview_time(env, requests)
        say(f"  overview {OVERVIEW}: cold {small['cold_ms']:.0f} ms, "
            f"warm {small['warm_ms']:.1f} ms (median of {requests})")

        say(f"Scale data up to factor {big_factor}:")
        took = generate(env, big_factor)
        say(f"  generated in {took:.0f}s; VACUUM ANALYZE")
        load.manage(env, "dbshell", "--", "-c", "VACUUM ANALYZE")
        big = overview_time(env, requests)
        say(f"  overview {OVERVIEW}: cold {big['cold_ms']:.0f} ms, "
            f"warm {big['warm_ms']:.1f} ms (median of {requests})")

        cookie = shell(env, SESSION % {"user": WALLBOARD}, "SESSION")
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [load.executable("gunicorn"), "binjai_portal.wsgi:application",
                 "-c", "binjai_portal/gunicorn.conf.py"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        load.gunicorn_wait_ready(proc, port, log_path, timeout=60)
        say(f"gunicorn ready on 127.0.0.1:{port} ({workers} workers); "
            f"wrk -t{threads} -c{connections} -d{duration}:")
        rows = {}
        for name, path, cookie_header in (("baseline", BASELINE, None),
                                          ("wall-panel", WALL_PANEL, cookie)):
            url = f"http://127.0.0.1:{port}{path}"
            runs = [warmup, duration] if warmup not in {"0s", "0m", "0h"} else [duration]
            for run in runs:
                numbers = (wrk_cookie(wrk, url, run, connections, threads, cookie_header)
                           if cookie_header else
                           load.wrk_run(wrk, url, run, connections, threads))
            if numbers["non2xx"]:
                raise BenchError(f"{name} ({path}) had {numbers['non2xx']} non-2xx answers "
                                 f"(a redirect to the login page?); log {log_path}")
            rows[name] = numbers
            say(f"  {name}: {numbers['rps']:.1f} req/s, p50 {numbers['p50_ms']:.1f} ms")
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    finally:
        if proc is not None:
            load.gunicorn_stop(proc)
        shutil.rmtree(static_root, ignore_errors=True)

    say("")
    say(f"{os.cpu_count()} CPUs, PostgreSQL {BENCH_DB_NAME}, DEBUG=0, Redis cache")
    say(f"overview {OVERVIEW} (pimpinan, Django test client, median of {requests}):")
    say("  factor         cold ms   warm ms")
    say(f"  {SMALL_FACTOR:<12} {small['cold_ms']:9.0f} {small['warm_ms']:9.1f}")
    say(f"  {big_factor:<12} {big['cold_ms']:9.0f} {big['warm_ms']:9.1f}")
    say(f"  ratio {big_factor / SMALL_FACTOR:.0f}x data: cold "
        f"{big['cold_ms'] / small['cold_ms']:.2f}x, warm "
        f"{big['warm_ms'] / small['warm_ms']:.2f}x")
    base, wall = rows["baseline"]["rps"], rows["wall-panel"]["rps"]
    say(f"wallboard panel {WALL_PANEL} (wallboard account, gunicorn, factor {big_factor}): "
        f"{wall:.1f} req/s vs baseline {base:.1f} req/s = {wall / base:.2f}")
    log_path.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
