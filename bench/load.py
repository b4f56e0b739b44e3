"""Load benchmark: gunicorn on PostgreSQL and Redis, driven by wrk, one row per page.

    make bench
    # or, by hand:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/binjai_portal \
    REDIS_URL=redis://127.0.0.1:6379/1 .venv/bin/python bench/load.py [page ...]

Steps: create the dedicated database `binjai_portal_bench` (next to the one in
DATABASE_URL) if it is missing, migrate it and load the demo data, collect static files
into a temporary folder, start gunicorn with production settings (DEBUG=0, whitenoise
manifest storage) on a free port, check each page answers 2xx, then run wrk against
each page and print requests/s, p50 and p95 latency and the ratio of each page's
requests/s to the bare baseline view. Exits non-zero if any response was not 2xx.
Gunicorn is stopped whatever happens.

Environment: BENCH_DURATION (10s), BENCH_CONNECTIONS (16), BENCH_THREADS (2),
BENCH_WARMUP (2s, 0 to skip), BENCH_WORKERS (gunicorn workers, 4).
Page names given as arguments limit the run to those pages (the baseline always runs).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

# Pages under load: (name, path). Add each new hot page here; "baseline" must stay first.
TARGETS = [
    ("baseline", "/bench/baseline"),
    ("home", "/"),
    ("musrenbang-list", "/musrenbang/"),
    ("musrenbang-map", "/musrenbang/peta/"),
    ("masyarakat-feed", "/masyarakat/"),
    ("open311-requests", "/api/open311/v2/requests.json"),
    ("dokter-index", "/dokter/"),
    ("dokter-board", "/dokter/display/puskesmas-demo-kota/papan/"),
    ("perizinan-index", "/perizinan/"),
    ("budgeting-public", "/budgeting/apbd/"),
    ("open-data", "/command-center/open-data/"),
]

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
BENCH_DB_NAME = "binjai_portal_bench"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/binjai_portal"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"
BENCH_LINE = re.compile(
    r"BENCH rps=(?P<rps>[\d.]+) p50_ms=(?P<p50>[\d.]+) p95_ms=(?P<p95>[\d.]+) "
    r"requests=(?P<requests>\d+) non2xx=(?P<non2xx>\d+) socket_errors=(?P<socket_errors>\d+)"
)
WRK_NON_2XX_3XX = re.compile(r"Non-2xx or 3xx responses:\s*(\d+)")


class BenchError(Exception):
    """A setup step failed; the message says which and how to fix it."""


def say(line: str) -> None:
    print(line, flush=True)


def seconds_arg(value: str) -> str:
    """'10' or '10s' -> '10s' (wrk accepts s/m/h suffixes)."""
    value = value.strip()
    return value if value[-1:] in {"s", "m", "h"} else f"{value}s"


# --- database ------------------------------------------------------------------------


def bench_database_url(database_url: str) -> str:
    parts = urlsplit(database_url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql", "psql"}:
        raise BenchError(f"DATABASE_URL must point at PostgreSQL, not {parts.scheme!r}.")
    return urlunsplit(parts._replace(path=f"/{BENCH_DB_NAME}"))


def bench_database_ensure(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    try:
        conn = psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username) if parts.username else "postgres",
            password=unquote(parts.password) if parts.password else None,
            dbname="postgres",
            connect_timeout=5,
            autocommit=True,
        )
    except psycopg.OperationalError as exc:
        raise BenchError(
            f"PostgreSQL does not answer at {parts.hostname}:{parts.port or 5432} ({exc}).\n"
            "  Start it with:  pg_ctlcluster --skip-systemctl-redirect "
            "$(ls /etc/postgresql) main start"
        ) from None
    with conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB_NAME]
        ).fetchone()
        if not found:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB_NAME)))
            say(f"Created database {BENCH_DB_NAME}.")


def manage(env: dict[str, str], *args: str) -> None:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()
        tail = "\n".join(f"    {line}" for line in output[-30:])
        raise BenchError(f"manage.py {' '.join(args)} failed (exit {result.returncode}):\n{tail}")
    say(f"  manage.py {' '.join(args)}: ok ({time.monotonic() - started:.1f}s)")


# --- gunicorn ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def executable(name: str) -> str:
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if not found:
        raise BenchError(f"{name} is not installed: run `make install` (or pip install .).")
    return found


def http_get(port: int, path: str, timeout: float = 10) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def log_tail(log_path: Path, lines: int = 30) -> str:
    try:
        text = log_path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return "    (no log)"
    return "\n".join(f"    {line}" for line in text[-lines:])


def gunicorn_wait_ready(proc: subprocess.Popen, port: int, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(
                f"gunicorn exited with {proc.returncode} before answering:\n{log_tail(log_path)}"
            )
        try:
            status, body = http_get(port, "/healthz/ready", timeout=3)
            if status == 200:
                return
            last = f"HTTP {status}: {body[:300].decode(errors='replace')}"
        except OSError as exc:
            last = type(exc).__name__
        time.sleep(0.3)
    raise BenchError(f"/healthz/ready not ready after {timeout:.0f}s ({last}):\n"
                     f"{log_tail(log_path)}")


def gunicorn_stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()  # SIGTERM: gunicorn's graceful shutdown
    try:
        proc.wait(timeout=35)
    except subprocess.TimeoutExpired:
        # The group is gunicorn's own (start_new_session): its master and workers only.
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


# --- wrk -----------------------------------------------------------------------------


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("wrk is missing: installing Debian's package (apt-get install -y wrk).")
        install = ["apt-get", "install", "-y", "-q", "wrk"]
        if subprocess.run(install, capture_output=True, check=False).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], capture_output=True, check=False)
            subprocess.run(install, capture_output=True, check=False)
        found = shutil.which("wrk")
        if found:
            return found
    raise BenchError("wrk is not installed. Install it with:  sudo apt-get install -y wrk")


def wrk_run(wrk: str, url: str, duration: str, connections: int, threads: int) -> dict:
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}",
        "--timeout",
        "10s",
        "-s",
        str(BENCH_DIR / "report.lua"),
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    match = BENCH_LINE.search(result.stdout)
    if result.returncode != 0 or not match:
        raise BenchError(
            f"wrk failed on {url} (exit {result.returncode}):\n{result.stdout}{result.stderr}"
        )
    numbers = {
        "rps": float(match["rps"]),
        "p50_ms": float(match["p50"]),
        "p95_ms": float(match["p95"]),
        "requests": int(match["requests"]),
        "non2xx": int(match["non2xx"]),
        "socket_errors": int(match["socket_errors"]),
    }
    # wrk's own count (>= 400 only) as a cross-check of the script's.
    wrk_bad = WRK_NON_2XX_3XX.search(result.stdout)
    numbers["non2xx"] = max(numbers["non2xx"], int(wrk_bad[1]) if wrk_bad else 0)
    return numbers


# --- report --------------------------------------------------------------------------


def table(rows: list[dict]) -> str:
    baseline = rows[0]["rps"] or 1.0
    header = ("page", "path", "req/s", "p50 ms", "p95 ms", "vs baseline", "non-2xx")
    body = [
        (
            row["name"],
            row["path"],
            f"{row['rps']:.1f}",
            f"{row['p50_ms']:.2f}",
            f"{row['p95_ms']:.2f}",
            f"{row['rps'] / baseline:.2f}",
            str(row["non2xx"]),
        )
        for row in rows
    ]
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    left = {0, 1}

    def fmt(cells):
        return "  ".join(
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(header), rule, *(fmt(r) for r in body)])


def results_save(meta: dict, rows: list[dict]) -> Path | None:
    folder = BENCH_DIR / "results"
    try:
        folder.mkdir(exist_ok=True)
        path = folder / f"load-{datetime.now():%Y%m%d-%H%M%S}.json"
        path.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
    except OSError:
        return None
    return path


# --- main ----------------------------------------------------------------------------


def targets_selected(names: list[str]) -> list[tuple[str, str]]:
    known = dict(TARGETS)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise BenchError(f"Unknown page(s) {', '.join(unknown)}; known: {', '.join(known)}.")
    return [t for t in TARGETS if t[0] == "baseline" or not names or t[0] in names]


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    duration = seconds_arg(os.environ.get("BENCH_DURATION", "10s"))
    warmup = seconds_arg(os.environ.get("BENCH_WARMUP", "2s"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    threads = min(int(os.environ.get("BENCH_THREADS", "2")), connections)
    workers = int(os.environ.get("BENCH_WORKERS", "4"))
    targets = targets_selected(argv)
    wrk = wrk_path()
    load_before = os.getloadavg()[0]
    if load_before > (os.cpu_count() or 1) / 2:
        say(
            f"Note: load average {load_before:.1f} on {os.cpu_count()} CPUs before the run: "
            "other processes compete with gunicorn and wrk, expect noisy numbers."
        )

    database_url = bench_database_url(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    bench_database_ensure(database_url)
    port = free_port()
    static_root = tempfile.mkdtemp(prefix="binjai-bench-static-")
    log_path = Path(tempfile.mkstemp(prefix="binjai-bench-gunicorn-", suffix=".log")[1])
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("REDIS_URL", DEFAULT_REDIS_URL),
        "CACHE_KEY_PREFIX": "binjai-bench",
        "DEBUG": "0",
        # /bench/baseline exists only with this switch (never in production).
        "ENABLE_TEST_ENDPOINTS": "1",
        "SECRET_KEY": f"bench-only-secret-key-{secrets.token_urlsafe(48)}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_ACCESS_LOG": "0",
        # One client hammering the APIs is the point here, not a client to throttle.
        "API_RATE_ANON": "1000000/minute",
        "API_RATE_USER": "1000000/minute",
    }
    env.pop("STATICFILES_BACKEND", None)  # the production default: whitenoise's manifest

    say(f"Preparing {BENCH_DB_NAME} (migrate, seed_demo) and static files:")
    proc = None
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        manage(env, "collectstatic", "--noinput")

        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [
                    executable("gunicorn"),
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
        gunicorn_wait_ready(proc, port, log_path, timeout=60)
        say(f"gunicorn ready on 127.0.0.1:{port} ({workers} workers, log {log_path}).")

        for name, path in targets:
            status, body = http_get(port, path)
            if not 200 <= status < 300:
                raise BenchError(
                    f"{name} ({path}) answered HTTP {status}, not 2xx:\n"
                    f"    {body[:500].decode(errors='replace')}\n{log_tail(log_path)}"
                )

        say(
            f"wrk -t{threads} -c{connections} -d{duration} per page"
            + (f", after a {warmup} warm-up" if warmup not in {"0s", "0m", "0h"} else "")
            + ":"
        )
        rows = []
        for name, path in targets:
            url = f"http://127.0.0.1:{port}{path}"
            if warmup not in {"0s", "0m", "0h"}:
                wrk_run(wrk, url, warmup, connections, threads)
            numbers = wrk_run(wrk, url, duration, connections, threads)
            rows.append({"name": name, "path": path, **numbers})
            say(f"  {name}: {numbers['rps']:.1f} req/s")
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    finally:
        if proc is not None:
            gunicorn_stop(proc)
        shutil.rmtree(static_root, ignore_errors=True)

    meta = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "gunicorn_workers": workers,
        "wrk": {"threads": threads, "connections": connections, "duration": duration},
        "database": BENCH_DB_NAME,
        "load_average_before": round(load_before, 2),
    }
    say("")
    say(
        f"{os.cpu_count()} CPUs, gunicorn {workers} workers (sync), DEBUG=0, PostgreSQL "
        f"{BENCH_DB_NAME}, Redis cache; wrk -t{threads} -c{connections} -d{duration}"
    )
    say(table(rows))
    saved = results_save(meta, rows)
    if saved:
        say(f"(saved to {saved.relative_to(ROOT)})")

    bad = [r for r in rows if r["non2xx"]]
    for row in bad:
        print(
            f"bench: {row['name']} had {row['non2xx']} non-2xx responses; gunicorn log: {log_path}",
            file=sys.stderr,
        )
    errors = [r for r in rows if r["socket_errors"]]
    for row in errors:
        print(
            f"bench: note: {row['name']} had {row['socket_errors']} socket errors "
            "(connect/read/write/timeout)",
            file=sys.stderr,
        )
    if not bad:
        log_path.unlink(missing_ok=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
