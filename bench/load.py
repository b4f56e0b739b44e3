"""Load benchmark: gunicorn on PostgreSQL and Redis, driven by wrk, one row per page.

    make bench                      # the whole set, this script with --quick
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/binjai_portal \
    REDIS_URL=redis://127.0.0.1:6379/1 .venv/bin/python bench/load.py [--quick] [page ...]

Every page is measured right after the bare view `/bench/baseline` in the same run (the
pair shares whatever else the machine is doing), twice: in the *cached* pass (production
settings, anonymous pages from the page cache) and in the *uncached* pass (the same
gunicorn with PAGECACHE_ENABLED=0). For each run it reads the CPU time of the gunicorn
workers and of their PostgreSQL backends from /proc and divides it by the requests wrk
made. It prints each figure, its reference from the same run and whether the goal of the
speed issue is met, saves the table as JSON under bench/results/ and exits 0 when every
response was 2xx (1 otherwise, 2 when a setup step failed, 3 with --strict when a goal
was missed). See bench/README.md.
"""

from __future__ import annotations

import argparse
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
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit


@dataclass(frozen=True)
class Target:
    """A page under load. kind: "public" (anonymous), "board" (the clinic TV, polled
    every 2 s) or "user" (logged in as `persona`). {proposal}, {ticket} and {facility}
    in the path are filled from the demo data."""

    name: str
    path: str
    kind: str = "public"
    persona: str = ""


BASELINE = Target("baseline", "/bench/baseline", "baseline")
TARGETS = [
    Target("home", "/"),
    Target("musrenbang-list", "/musrenbang/"),
    Target("musrenbang-map", "/musrenbang/peta/"),
    Target("musrenbang-detail", "/musrenbang/usulan/{proposal}/"),
    Target("masyarakat-feed", "/masyarakat/"),
    Target("masyarakat-map", "/masyarakat/peta/"),
    Target("masyarakat-map-data", "/masyarakat/peta.json"),
    Target("masyarakat-detail", "/masyarakat/tiket/{ticket}/"),
    Target("open311-requests", "/api/open311/v2/requests.json"),
    Target("dokter-index", "/dokter/"),
    Target("dokter-facility", "/dokter/fasilitas/{facility}/"),
    Target("dokter-board", "/dokter/display/{facility}/papan/", "board"),
    Target("perizinan-index", "/perizinan/"),
    Target("budgeting-public", "/budgeting/apbd/"),
    Target("open-data", "/command-center/open-data/"),
    Target("musrenbang-mine", "/musrenbang/saya/", "user", "citizen"),
    Target("masyarakat-mine", "/masyarakat/saya/", "user", "citizen"),
    Target("perizinan-mine", "/perizinan/permohonan/", "user", "citizen"),
    Target("dokter-index-citizen", "/dokter/", "user", "citizen"),
    Target("masyarakat-queue", "/masyarakat/antrean-kerja/", "user", "opd"),
    Target("musrenbang-officer", "/musrenbang/antrean-kerja/", "user", "kelurahan"),
]
PERSONAS = {
    "citizen": "warga@demo.binjaikota.go.id",
    "opd": "opd@demo.binjaikota.go.id",
    "kelurahan": "kelurahan@demo.binjaikota.go.id",
}
FACILITY = "puskesmas-demo-kota"

# The goals of the speed issue: anonymous pages from the cache at >= 0.5x the bare view's
# requests/s (the TV board 0.8x), <= 10 ms CPU per request uncached; logged-in <= 15 ms.
GOAL_CACHED_RATIO = {"public": 0.5, "board": 0.8}
GOAL_CPU_MS = {"public": 10.0, "board": 10.0, "user": 15.0}

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
#: The benchmark database; None: the DATABASE_URL's database name + "_bench" (scale.py
#: and others may set their own before calling bench_database_url()).
BENCH_DB_NAME: str | None = None
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/binjai_portal"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"
BENCH_LINE = re.compile(
    r"BENCH rps=(?P<rps>[\d.]+) p50_ms=(?P<p50>[\d.]+) p95_ms=(?P<p95>[\d.]+) "
    r"requests=(?P<requests>\d+) non2xx=(?P<non2xx>\d+) socket_errors=(?P<socket_errors>\d+)"
)
WRK_NON_2XX_3XX = re.compile(r"Non-2xx or 3xx responses:\s*(\d+)")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class BenchError(Exception):
    """A setup step failed; the message says which and how to fix it."""


def say(line: str) -> None:
    print(line, flush=True)


def seconds_arg(value: str) -> str:
    """'10' or '10s' -> '10s' (wrk accepts s/m/h suffixes)."""
    value = value.strip()
    return value if value[-1:] in {"s", "m", "h"} else f"{value}s"


# --- database ------------------------------------------------------------------------


def bench_database_url(database_url: str, name: str | None = None) -> str:
    """The benchmark's own database beside DATABASE_URL's: `name`, else BENCH_DB_NAME,
    else DATABASE_URL's database name + "_bench" (the source database is never used)."""
    parts = urlsplit(database_url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql", "psql"}:
        raise BenchError(f"DATABASE_URL must point at PostgreSQL, not {parts.scheme!r}.")
    source = parts.path.lstrip("/") or "postgres"
    name = name or BENCH_DB_NAME or f"{source}_bench"
    if name == source:
        raise BenchError(f"The benchmark database must not be DATABASE_URL's own ({name}).")
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(database_url: str) -> str:
    return urlsplit(database_url).path.lstrip("/")


def pg_connect(database_url: str, dbname: str | None = None):
    import psycopg

    parts = urlsplit(database_url)
    try:
        return psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username) if parts.username else "postgres",
            password=unquote(parts.password) if parts.password else None,
            dbname=dbname or database_name(database_url),
            connect_timeout=5,
            autocommit=True,
        )
    except psycopg.OperationalError as exc:
        raise BenchError(
            f"PostgreSQL does not answer at {parts.hostname}:{parts.port or 5432} ({exc}).\n"
            "  Start it with:  pg_ctlcluster --skip-systemctl-redirect "
            "$(ls /etc/postgresql) main start"
        ) from None


def bench_database_ensure(database_url: str) -> None:
    """Create the database named in `database_url` if it is missing."""
    from psycopg import sql

    name = database_name(database_url)
    with pg_connect(database_url, dbname="postgres") as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            say(f"Created database {name}.")


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


def http_get(
    port: int, path: str, timeout: float = 10, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    status, body, _headers = http_fetch(port, path, timeout, headers)
    return status, body


def http_fetch(
    port: int, path: str, timeout: float = 10, headers: dict[str, str] | None = None
) -> tuple[int, bytes, dict[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    except OSError as exc:
        raise BenchError(f"GET {path} failed: {type(exc).__name__} {exc}") from None
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
        except (OSError, BenchError) as exc:
            last = str(exc)
        time.sleep(0.3)
    raise BenchError(
        f"/healthz/ready not ready after {timeout:.0f}s ({last}):\n{log_tail(log_path)}"
    )


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


def wrk_run(
    wrk: str,
    url: str,
    duration: str,
    connections: int,
    threads: int,
    headers: dict[str, str] | None = None,
) -> dict:
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}",
        "--timeout",
        "10s",
        "-s",
        str(BENCH_DIR / "report.lua"),
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
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


# --- CPU from /proc ------------------------------------------------------------------


def proc_cpu_ticks(pid: int) -> int | None:
    """utime + stime of a process, in clock ticks; None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
    return int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5)


def proc_children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                children.append(int(entry.name))
    return children


class CpuMeter:
    """CPU time of the gunicorn workers and of the PostgreSQL backends connected to the
    benchmark database (this meter's own connection excluded), read from /proc."""

    def __init__(self, database_url: str, master_pid: int):
        self.master_pid = master_pid
        self.dbname = database_name(database_url)
        self.conn = pg_connect(database_url, dbname="postgres")
        self.own_pid = self.conn.execute("SELECT pg_backend_pid()").fetchone()[0]

    def close(self) -> None:
        self.conn.close()

    def _pids(self) -> tuple[list[int], list[int]]:
        backends = [
            r[0]
            for r in self.conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
                [self.dbname, self.own_pid],
            ).fetchall()
        ]
        return proc_children(self.master_pid), backends

    def snapshot(self) -> dict[str, dict[int, int]]:
        workers, backends = self._pids()
        return {
            "workers": {p: t for p in workers if (t := proc_cpu_ticks(p)) is not None},
            "postgres": {p: t for p in backends if (t := proc_cpu_ticks(p)) is not None},
        }

    def since(self, before: dict[str, dict[int, int]]) -> dict[str, float]:
        """Milliseconds of CPU since `before` (a process born since then counts whole)."""
        after = self.snapshot()
        out = {}
        for group, ticks in after.items():
            used = sum(t - before[group].get(p, 0) for p, t in ticks.items())
            out[group] = used * 1000 / CLOCK_TICKS
        return out


# --- one pass ------------------------------------------------------------------------


def measure(
    wrk: str,
    port: int,
    meter: CpuMeter,
    target: Target,
    *,
    duration: str,
    warmup: str,
    connections: int,
    threads: int,
    headers: dict[str, str],
) -> dict:
    url = f"http://127.0.0.1:{port}{target.path}"
    if warmup not in {"0s", "0m", "0h"}:
        wrk_run(wrk, url, warmup, connections, threads, headers)
    before = meter.snapshot()
    numbers = wrk_run(wrk, url, duration, connections, threads, headers)
    cpu = meter.since(before)
    requests = max(numbers["requests"], 1)
    numbers["cpu_ms"] = round((cpu["workers"] + cpu["postgres"]) / requests, 3)
    numbers["cpu_workers_ms"] = round(cpu["workers"] / requests, 3)
    numbers["cpu_postgres_ms"] = round(cpu["postgres"] / requests, 3)
    return numbers


def gunicorn_start(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    with log_path.open("ab") as log:
        return subprocess.Popen(
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


def run_pass(
    label: str,
    env: dict[str, str],
    port: int,
    targets: list[Target],
    fixtures: dict,
    opts: argparse.Namespace,
    wrk: str,
    log_path: Path,
) -> list[dict]:
    """Start gunicorn with `env`, measure each target after the baseline, stop it."""
    proc = gunicorn_start(env, log_path)
    rows = []
    meter = None
    try:
        gunicorn_wait_ready(proc, port, log_path, timeout=60)
        meter = CpuMeter(env["DATABASE_URL"], proc.pid)
        say(
            f"{label} pass: gunicorn on 127.0.0.1:{port}, {opts.workers} workers "
            f"(recycling off); wrk -t{opts.threads} -c{opts.connections} -d{opts.duration}"
            f", warm-up {opts.warmup}, baseline -d{opts.baseline_duration} before each page"
        )
        for target in targets:
            headers = (
                {"Cookie": fixtures["sessions"][target.persona]} if target.kind == "user" else {}
            )
            status, body, _answer = http_fetch(port, target.path, timeout=30, headers=headers)
            if not 200 <= status < 300:
                raise BenchError(
                    f"{target.name} ({target.path}) answered HTTP {status}, not 2xx:\n"
                    f"    {body[:500].decode(errors='replace')}\n{log_tail(log_path)}"
                )
            common = {
                "duration": opts.duration,
                "connections": opts.connections,
                "threads": opts.threads,
            }
            base = measure(
                wrk,
                port,
                meter,
                BASELINE,
                warmup="0s",
                headers={},
                **{**common, "duration": opts.baseline_duration},
            )
            page = measure(wrk, port, meter, target, warmup=opts.warmup, headers=headers, **common)
            cache_state = http_fetch(port, target.path, headers=headers)[2].get("X-Page-Cache", "")
            rows.append(
                {
                    "pass": label,
                    "name": target.name,
                    "path": target.path,
                    "kind": target.kind,
                    "page_cache": cache_state,
                    **page,
                    "baseline": base,
                }
            )
            note = f" [page cache: {cache_state}]" if cache_state else ""
            say(
                f"  {target.name}: {page['rps']:.1f} req/s ({page['rps'] / base['rps']:.2f}x "
                f"bare {base['rps']:.0f}), {page['cpu_ms']:.2f} ms CPU/request "
                f"(bare {base['cpu_ms']:.2f}){note}"
            )
    finally:
        if meter is not None:
            meter.close()
        gunicorn_stop(proc)
    return rows


# --- report --------------------------------------------------------------------------


def verdicts(row: dict) -> list[tuple[str, str, str, bool]]:
    """(figure, value vs reference, goal, met) for one measured row."""
    base = row["baseline"]
    ratio = row["rps"] / (base["rps"] or 1.0)
    cpu_ratio = row["cpu_ms"] / (base["cpu_ms"] or 1e-9)
    out = []
    if row["pass"] == "cached" and row["kind"] in GOAL_CACHED_RATIO:
        goal = GOAL_CACHED_RATIO[row["kind"]]
        out.append(
            (
                "req/s ÷ bare",
                f"{ratio:.2f} ({row['rps']:.0f} / {base['rps']:.0f})",
                f">= {goal}",
                ratio >= goal,
            )
        )
    if row["pass"] == "uncached" or row["kind"] == "user":
        goal = GOAL_CPU_MS[row["kind"]]
        out.append(
            (
                "CPU ms/req",
                f"{row['cpu_ms']:.2f} ({cpu_ratio:.0f}x bare {base['cpu_ms']:.2f})",
                f"<= {goal:g}",
                row["cpu_ms"] <= goal,
            )
        )
    return out


def table(rows: list[dict]) -> str:
    header = (
        "page",
        "pass",
        "req/s",
        "÷ bare",
        "CPU ms/req",
        "÷ bare CPU",
        "p50 ms",
        "goal",
        "met",
    )
    body = []
    for row in rows:
        base = row["baseline"]
        checks = verdicts(row)
        body.append(
            (
                row["name"],
                row["pass"],
                f"{row['rps']:.1f}",
                f"{row['rps'] / (base['rps'] or 1.0):.3f}",
                f"{row['cpu_ms']:.2f}",
                f"{row['cpu_ms'] / (base['cpu_ms'] or 1e-9):.1f}",
                f"{row['p50_ms']:.1f}",
                "; ".join(f"{c[0]} {c[2]}" for c in checks) or "-",
                "; ".join("yes" if c[3] else "NO" for c in checks) or "-",
            )
        )
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    left = {0, 1, 7, 8}

    def fmt(cells):
        return "  ".join(
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

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

FIXTURES = """
import json
from django.conf import settings
from django.test import Client
from binjai_portal.accounts.models import User
from masyarakat.selectors import ticket_list_public
from musrenbang.selectors import proposal_list_public

out = {"sessions": {}}
for persona, email in %(personas)r.items():
    client = Client()
    client.force_login(User.objects.get(email=email))
    name = settings.SESSION_COOKIE_NAME
    out["sessions"][persona] = name + "=" + client.cookies[name].value
out["proposal"] = proposal_list_public().values_list("reference", flat=True).first()
out["ticket"] = ticket_list_public().values_list("number", flat=True).first()
print("FIXTURES " + json.dumps(out))
"""


def fixtures_load(env: dict[str, str]) -> dict:
    """Session cookies of the personas and a public proposal and complaint to show."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", FIXTURES % {"personas": PERSONAS}],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith("FIXTURES "):
            found = json.loads(line[len("FIXTURES ") :])
            if found["proposal"] and found["ticket"]:
                return found
    tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-20:])
    raise BenchError(
        f"Could not read the demo personas and rows (exit {result.returncode}):\n{tail}"
    )


def targets_selected(names: list[str]) -> list[Target]:
    known = {t.name for t in TARGETS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise BenchError(f"Unknown page(s) {', '.join(unknown)}; known: {', '.join(known)}.")
    return [t for t in TARGETS if not names or t.name in names]


def arguments(argv: list[str]) -> argparse.Namespace:
    e = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="limit the run to these pages")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="short runs for `make bench`: 2 s per page, 1 s warm-up, "
        "1 s baseline (unless given explicitly)",
    )
    parser.add_argument(
        "--database-url",
        default=e("DATABASE_URL", DEFAULT_DATABASE_URL),
        help="PostgreSQL server and source database (DATABASE_URL); the "
        "benchmark works on a database of its own beside it",
    )
    parser.add_argument(
        "--db-name",
        default=e("BENCH_DB_NAME") or None,
        help="the benchmark database (BENCH_DB_NAME; default: DATABASE_URL's name + _bench)",
    )
    parser.add_argument("--redis-url", default=e("REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument(
        "--port",
        type=int,
        default=int(e("BENCH_PORT", "0")),
        help="gunicorn's port on 127.0.0.1 (BENCH_PORT; default: a free one)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(e("BENCH_WORKERS", "4")),
        help="gunicorn sync workers (BENCH_WORKERS)",
    )
    parser.add_argument("--duration", default=e("BENCH_DURATION"))
    parser.add_argument("--warmup", default=e("BENCH_WARMUP"))
    parser.add_argument("--baseline-duration", default=e("BENCH_BASELINE_DURATION"))
    parser.add_argument("--connections", type=int, default=int(e("BENCH_CONNECTIONS", "16")))
    parser.add_argument("--threads", type=int, default=int(e("BENCH_THREADS", "2")))
    parser.add_argument(
        "--max-requests",
        type=int,
        default=int(e("BENCH_MAX_REQUESTS", "0")),
        help="gunicorn worker recycling (0: off, as in production)",
    )
    parser.add_argument(
        "--passes",
        default=e("BENCH_PASSES", "cached,uncached"),
        help="cached, uncached or both (comma-separated)",
    )
    parser.add_argument("--strict", action="store_true", help="exit 3 when a goal is missed")
    opts = parser.parse_args(argv)
    quick = opts.quick
    opts.duration = seconds_arg(opts.duration or ("2s" if quick else "8s"))
    opts.warmup = seconds_arg(opts.warmup or ("1s" if quick else "2s"))
    opts.baseline_duration = seconds_arg(opts.baseline_duration or ("1s" if quick else "4s"))
    opts.threads = min(opts.threads, opts.connections)
    opts.passes = [p.strip() for p in opts.passes.split(",") if p.strip()]
    if not set(opts.passes) <= {"cached", "uncached"} or not opts.passes:
        parser.error("--passes takes cached, uncached or cached,uncached")
    return opts


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    try:
        opts = arguments(argv)
        targets = targets_selected(opts.pages)
        wrk = wrk_path()
        database_url = bench_database_url(opts.database_url, opts.db_name)
        bench_database_ensure(database_url)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    db_name = database_name(database_url)
    load_before = os.getloadavg()[0]
    if load_before > (os.cpu_count() or 1) / 2:
        say(
            f"Note: load average {load_before:.1f} on {os.cpu_count()} CPUs before the run: "
            "other processes compete with gunicorn and wrk, expect noisy numbers."
        )
    port = opts.port or free_port()
    static_root = tempfile.mkdtemp(prefix="binjai-bench-static-")
    log_path = Path(tempfile.mkstemp(prefix="binjai-bench-gunicorn-", suffix=".log")[1])
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": opts.redis_url,
        "CACHE_URL": opts.redis_url,
        # This run's own keys: no page or figure cached by an earlier run is read.
        "CACHE_KEY_PREFIX": f"binjai-bench-{secrets.token_hex(4)}",
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
        "WEB_CONCURRENCY": str(opts.workers),
        "GUNICORN_MAX_REQUESTS": str(opts.max_requests),
        "GUNICORN_MAX_REQUESTS_JITTER": "0",
        "GUNICORN_ACCESS_LOG": "0",
        "PAGECACHE_ENABLED": "1",
        # One client hammering the APIs is the point here, not a client to throttle.
        "API_RATE_ANON": "1000000/minute",
        "API_RATE_USER": "1000000/minute",
    }
    env.pop("STATICFILES_BACKEND", None)  # the production default: whitenoise's manifest

    started = time.monotonic()
    say(f"Preparing {db_name} (migrate, seed_demo) and static files:")
    rows: list[dict] = []
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        manage(env, "collectstatic", "--noinput")
        fixtures = fixtures_load(env)
        fill = {
            "proposal": fixtures["proposal"],
            "ticket": fixtures["ticket"],
            "facility": FACILITY,
        }
        targets = [Target(t.name, t.path.format(**fill), t.kind, t.persona) for t in targets]
        for label in opts.passes:
            pass_env = {**env, "PAGECACHE_ENABLED": "1" if label == "cached" else "0"}
            chosen = [t for t in targets if label == "cached" or t.kind != "user"]
            rows += run_pass(label, pass_env, port, chosen, fixtures, opts, wrk, log_path)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    meta = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "command": " ".join(["bench/load.py", *argv]),
        "cpus": os.cpu_count(),
        "gunicorn_workers": opts.workers,
        "gunicorn_max_requests": opts.max_requests,
        "wrk": {
            "threads": opts.threads,
            "connections": opts.connections,
            "duration": opts.duration,
            "warmup": opts.warmup,
            "baseline_duration": opts.baseline_duration,
        },
        "database": db_name,
        "load_average_before": round(load_before, 2),
        "seconds": round(time.monotonic() - started),
    }
    say("")
    say(
        f"{os.cpu_count()} CPUs, gunicorn {opts.workers} sync workers (max_requests "
        f"{opts.max_requests or 'off'}), DEBUG=0, PostgreSQL {db_name}, Redis cache; wrk "
        f"-t{opts.threads} -c{opts.connections} -d{opts.duration}; each page after its own "
        f"bare-view run; CPU = gunicorn workers + their PostgreSQL backends"
    )
    say(table(rows))
    checks = [c for row in rows for c in verdicts(row)]
    met = sum(1 for c in checks if c[3])
    say(f"goals met: {met}/{len(checks)}  ({meta['seconds']} s)")
    saved = results_save(meta, rows)
    if saved:
        say(f"(saved to {saved.relative_to(ROOT)})")

    bad = [r for r in rows if r["non2xx"]]
    for row in bad:
        print(
            f"bench: {row['name']} ({row['pass']}) had {row['non2xx']} non-2xx responses; "
            f"gunicorn log: {log_path}",
            file=sys.stderr,
        )
    for row in rows:
        if row["socket_errors"]:
            print(
                f"bench: note: {row['name']} ({row['pass']}) had {row['socket_errors']} "
                "socket errors (connect/read/write/timeout)",
                file=sys.stderr,
            )
    if not bad:
        log_path.unlink(missing_ok=True)
    if bad:
        return 1
    return 3 if opts.strict and met < len(checks) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
