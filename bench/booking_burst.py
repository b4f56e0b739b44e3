"""The 07:00 rush: hundreds of citizens book e-Dokter places over HTTP at the same instant.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/binjai_portal \
    REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/booking_burst.py

Every option has a command-line flag and an environment variable (`--help`); nothing
names a database, port or Redis of its own. Steps:

1. Prepare the bench database (default: DATABASE_URL's database name + `_bench`,
   created if missing, migrated): a bench facility with 21 polis, one session each on
   the next open day, N bench citizens (kept between runs; one in ten books for a family
   member) and a logged-in session for each, written straight into the session table.
2. Measure the reference: `pgbench -i` on a scratch database (`<bench db>_pgbench`),
   then `pgbench -T 5 -c 8`, on the same PostgreSQL, in this run.
3. Start gunicorn with production settings (DEBUG=0, Redis cache and broker, the
   production gunicorn.conf.py) on a free port (or --port), with
   DOKTER_LOCK_TIMING_FILE set so that each booking attempt records how long it waited
   for and held the poli's counter lock, and warm the workers up.
4. Fire the bursts from separate client processes (asyncio, one fresh TCP connection
   per request, no keep-alive), all released at the same wall-clock instant:
   a. N clients book one poli (quota Q, default 500 clients and 100 places);
   b. N clients book 20 polis (N/20 each, quota Q20 each, default 20);
   c. N clients try the full poli of (a) again: every one must be refused, without the
      lock, and the CPU gunicorn and PostgreSQL spent per refusal is measured (from
      /proc, utime + stime of the gunicorn workers and the bench database's backends).
5. Check in the database: exactly the quota booked, numbers 1..quota without gaps, no
   number twice, no patient twice, a history row per booking; over HTTP: no 5xx, every
   refusal a clear message ("Kuota sesi ini sudah penuh...").
6. Print a table of figures against goals, then exit 0 when every goal is met, 1 when
   one is not, 2 when a setup step failed.

bookings/s: bookings of the burst over the time from its start to the last booking's
response. The ratio divides it by pgbench's TPS, measured on the same PostgreSQL in the
same run: comparable across machines far better than raw bookings/s.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from load import (  # noqa: E402 - the load benchmark's gunicorn helpers
    BenchError,
    executable,
    free_port,
    gunicorn_stop,
    gunicorn_wait_ready,
    log_tail,
)

UNIT_CODE = "bench-burst-faskes"
POLI_PREFIX = "burst-"
LETTERS = [a + b for a in "BCDEFGHJKLMNPQRSTUVWXYZ" for b in "ABCDEFGHJKLMNPQRSTUVWXYZ"]
EMAIL = "bench-burst-{i}@example.invalid"
FULL_TEXT = "sudah penuh"
CLIENT_TIMEOUT = 150  # s; the burst's requests wait in gunicorn's backlog on a busy machine
TPS_LINE = re.compile(r"tps = ([\d.]+) \(without initial connection time\)")

GOALS = {
    "hold_p95_ms": 5.0,
    "one_poli_bps": 100.0,
    "many_polis_bps": 200.0,
    "ratio": 0.05,
    "refusal_cpu_ms": 5.0,
}


def say(line: str = "") -> None:
    print(line, flush=True)


def options(argv: list[str]) -> argparse.Namespace:
    env = os.environ.get
    p = argparse.ArgumentParser(description="e-Dokter 07:00 booking burst over HTTP.")
    p.add_argument(
        "--database-url",
        default=env("DATABASE_URL", ""),
        help="PostgreSQL server and base name (env DATABASE_URL)",
    )
    p.add_argument(
        "--database",
        default=env("BURST_DATABASE", ""),
        help="bench database name (env BURST_DATABASE; default <name>_bench)",
    )
    p.add_argument(
        "--redis-url",
        default=env("REDIS_URL", ""),
        help="Redis for cache and broker (env REDIS_URL)",
    )
    p.add_argument(
        "--port",
        type=int,
        default=int(env("BURST_PORT", "0")),
        help="gunicorn port (env BURST_PORT; default a free one)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=int(env("BURST_WORKERS", "4")),
        help="gunicorn sync workers (env BURST_WORKERS)",
    )
    p.add_argument(
        "--clients",
        type=int,
        default=int(env("BURST_CLIENTS", "500")),
        help="citizens in each burst (env BURST_CLIENTS)",
    )
    p.add_argument(
        "--quota",
        type=int,
        default=int(env("BURST_QUOTA", "100")),
        help="online quota of the single poli (env BURST_QUOTA)",
    )
    p.add_argument(
        "--polis",
        type=int,
        default=int(env("BURST_POLIS", "20")),
        help="polis of the second burst (env BURST_POLIS)",
    )
    p.add_argument(
        "--poli-quota",
        type=int,
        default=int(env("BURST_POLI_QUOTA", "20")),
        help="online quota of each of those polis (env BURST_POLI_QUOTA)",
    )
    p.add_argument(
        "--client-procs",
        type=int,
        default=int(env("BURST_CLIENT_PROCS", "4")),
        help="client processes sharing the clients (env BURST_CLIENT_PROCS)",
    )
    p.add_argument("--pgbench-seconds", type=int, default=int(env("BURST_PGBENCH_SECONDS", "5")))
    p.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if not args.client:
        if not args.database_url:
            raise BenchError("Set DATABASE_URL (or --database-url) to the PostgreSQL server.")
        if not args.redis_url:
            raise BenchError("Set REDIS_URL (or --redis-url): production settings use Redis.")
        parts = urlsplit(args.database_url)
        if parts.scheme not in {"postgres", "postgresql", "pgsql", "psql"}:
            raise BenchError(f"DATABASE_URL must point at PostgreSQL, not {parts.scheme!r}.")
        args.database = args.database or f"{parts.path.lstrip('/') or 'binjai_portal'}_bench"
        args.bench_url = urlunsplit(parts._replace(path=f"/{args.database}"))
        if args.clients < args.polis:
            raise BenchError("--clients must be at least --polis.")
    return args


# --- PostgreSQL ---------------------------------------------------------------------------


def pg_params(url: str, dbname: str | None = None) -> dict:
    parts = urlsplit(url)
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": unquote(parts.username) if parts.username else "postgres",
        "password": unquote(parts.password) if parts.password else None,
        "dbname": dbname or parts.path.lstrip("/"),
    }


def pg_admin(url: str):
    import psycopg

    try:
        return psycopg.connect(**pg_params(url, "postgres"), connect_timeout=5, autocommit=True)
    except psycopg.OperationalError as exc:
        raise BenchError(f"PostgreSQL does not answer ({exc}).") from None


def database_ensure(url: str, name: str) -> None:
    from psycopg import sql

    with pg_admin(url) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            say(f"  created database {name}")


def pgbench_tps(url: str, name: str, seconds: int) -> float:
    """pgbench's TPS on a scratch database: this PostgreSQL's pace in this run."""
    pgbench = shutil.which("pgbench") or next(
        iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None
    )
    if not pgbench:
        raise BenchError("pgbench is missing (it comes with PostgreSQL's client package).")
    database_ensure(url, name)
    p = pg_params(url, name)
    env = {**os.environ, "PGPASSWORD": p["password"] or ""}
    base = [str(pgbench), "-h", p["host"], "-p", str(p["port"]), "-U", p["user"]]
    init = subprocess.run(
        [*base, "-i", "-q", "-s", "1", name], env=env, capture_output=True, text=True, check=False
    )
    if init.returncode:
        raise BenchError(f"pgbench -i failed:\n{init.stderr[-1500:]}")
    run = subprocess.run(
        [*base, "-T", str(seconds), "-c", "8", "-j", "2", name],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    found = TPS_LINE.search(run.stdout)
    if run.returncode or not found:
        raise BenchError(f"pgbench failed:\n{run.stdout[-1500:]}{run.stderr[-1500:]}")
    return float(found[1])


def backend_pids(url: str, database: str) -> list[int]:
    with pg_admin(url) as conn:
        return [
            r[0]
            for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database])
        ]


# --- CPU from /proc -------------------------------------------------------------------------


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def child_pids(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


# --- setup (Django, in this process, bench database) ---------------------------------------


def next_open_day():
    from django.utils import timezone

    from binjai_portal.core.workdays import is_holiday

    today = timezone.localdate()
    for offset in range(1, 8):
        day = today + datetime.timedelta(days=offset)
        if not is_holiday(day):
            return day
    raise BenchError("No open day in the next 7 days.")


def setup_polis(day, count: int, quota: int, poli_quota: int):
    """Poli 0 for the single-poli burst, 1..count for the spread one; earlier runs' rows
    (entries, counters, history, notifications of the bench citizens) are removed."""
    from django.contrib.contenttypes.models import ContentType

    from binjai_portal.accounts.models import Unit
    from binjai_portal.core.models import Notification, StatusChange
    from dokter import models

    Booking, Facility, Poli, Schedule = (
        models.Booking,
        models.Facility,
        models.Poli,
        models.Schedule,
    )

    unit, _ = Unit.objects.get_or_create(
        code=UNIT_CODE, defaults={"kind": Unit.Kind.FASKES, "name": "Puskesmas Uji Beban"}
    )
    facility, _ = Facility.objects.get_or_create(
        unit=unit, defaults={"kind": Facility.Kind.PUSKESMAS, "is_demo": True, "cutoff_minutes": 0}
    )
    polis, schedules = [], []
    for i in range(count + 1):
        poli, _ = Poli.objects.update_or_create(
            facility=facility,
            code=f"{POLI_PREFIX}{i:02d}",
            defaults={
                "name": f"Poli Uji Beban {i:02d}",
                "letter": LETTERS[i],
                "bookable_online": True,
                "is_active": True,
                "avg_service_minutes": 3,
            },
        )
        polis.append(poli)
    bookings = Booking.objects.filter(facility=facility)
    StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Booking),
        object_id__in=[str(pk) for pk in bookings.values_list("pk", flat=True)],
    ).delete()
    Notification.objects.filter(recipient__email__startswith="bench-burst-").delete()
    bookings.delete()
    models.QueueCounter.objects.filter(poli__facility=facility).delete()
    if hasattr(models, "QuotaCounter"):  # absent before the short lock (to measure "before")
        models.QuotaCounter.objects.filter(schedule__poli__facility=facility).delete()
    Schedule.objects.filter(poli__facility=facility).delete()
    for i, poli in enumerate(polis):
        schedules.append(
            Schedule.objects.create(
                poli=poli,
                weekday=day.weekday(),
                start=datetime.time(7, 0),
                end=datetime.time(23, 59),
                online_quota=quota if i == 0 else poli_quota,
                onsite_quota=0,
            )
        )
    return facility, polis, schedules


def setup_citizens(n: int) -> list[tuple[int, str]]:
    """N citizens (bulk-inserted once, no password: they only ever use a session), one in
    ten with a dependant. Returns (user pk, patient choice) per citizen."""
    from binjai_portal.accounts.models import Dependant, User
    from binjai_portal.accounts.nik import nik_compose

    have = set(
        User.objects.filter(email__startswith="bench-burst-").values_list("email", flat=True)
    )
    born = datetime.date(1960, 1, 1)
    new = []
    for i in range(n):
        if EMAIL.format(i=i) in have:
            continue
        birth = born + datetime.timedelta(days=i)
        user = User(
            nik=nik_compose(region6="127502", birth_date=birth, sex="L", serial=9900),
            full_name=f"Warga Uji Beban {i}",
            birth_date=birth,
            sex="L",
            email=EMAIL.format(i=i),
            phone=f"+6289{i:09d}",
        )
        user.set_unusable_password()
        new.append(user)
    User.objects.bulk_create(new, batch_size=500)
    users = {u.email: u for u in User.objects.filter(email__startswith="bench-burst-")}
    people = [users[EMAIL.format(i=i)] for i in range(n)]
    family = people[::10]
    have_dependant = set(
        Dependant.objects.filter(guardian__in=family).values_list("guardian_id", flat=True)
    )
    Dependant.objects.bulk_create(
        [
            Dependant(
                guardian=u,
                nik=nik_compose(region6="127502", birth_date=u.birth_date, sex="P", serial=9901),
                full_name=f"Anak {u.full_name}",
                birth_date=u.birth_date,
                sex="P",
                relation=Dependant.Relation.CHILD,
            )
            for u in family
            if u.pk not in have_dependant
        ]
    )
    dependants = dict(
        Dependant.objects.filter(guardian__in=family).values_list("guardian_id", "pk")
    )
    return [(u.pk, f"d{dependants[u.pk]}" if u.pk in dependants else f"u{u.pk}") for u in people]


def session_backend(paths: list[str]) -> str:
    """The backend a login records in the session: the first that loads a user by pk
    (`get_user`), as `Client.force_login` picks it. The last in the list is a permission
    backend (django-rules) without `get_user`: a session naming it is a 500 on every request."""
    from django.utils.module_loading import import_string

    for path in paths:
        if hasattr(import_string(path), "get_user"):
            return path
    raise BenchError("No authentication backend in AUTHENTICATION_BACKENDS loads users.")


def setup_sessions(user_pks: list[int]) -> dict[int, str]:
    """A logged-in session per citizen, written straight into the session store."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from binjai_portal.accounts.models import User

    expire = timezone.now() + datetime.timedelta(hours=2)
    backend = session_backend(settings.AUTHENTICATION_BACKENDS)
    store = SessionStore()
    keys, rows = {}, []
    for user in User.objects.filter(pk__in=user_pks):
        key = secrets.token_hex(16)
        keys[user.pk] = key
        rows.append(
            Session(
                session_key=key,
                expire_date=expire,
                session_data=store.encode(
                    {
                        SESSION_KEY: str(user.pk),
                        BACKEND_SESSION_KEY: backend,
                        HASH_SESSION_KEY: user.get_session_auth_hash(),
                    }
                ),
            )
        )
    Session.objects.filter(expire_date__lt=timezone.now()).delete()
    Session.objects.bulk_create(rows, batch_size=500)
    return keys


# --- the clients (separate processes) --------------------------------------------------------


def request_bytes(port: int, job: dict) -> bytes:
    csrf = job["csrf"]
    body = "&".join(
        f"{k}={v}"
        for k, v in {
            "csrfmiddlewaretoken": csrf,
            "patient": job["patient"],
            "session": job["session"],
            "payment": job["payment"],
            "bpjs_number": job["bpjs"],
            "complaint": "Uji+beban+07.00",
        }.items()
    )
    head = (
        f"POST {job['path']} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Cookie: sessionid={job['sessionid']}; csrftoken={csrf}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return (head + body).encode()


async def one_request(port: int, job: dict) -> dict:
    started = time.time()
    result = {"i": job["i"], "start": started}
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port), timeout=CLIENT_TIMEOUT
        )
        writer.write(request_bytes(port, job))
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(-1), timeout=CLIENT_TIMEOUT)
        writer.close()
    except (TimeoutError, OSError) as exc:
        return {**result, "end": time.time(), "status": 0, "error": type(exc).__name__}
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode(errors="replace").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    location = next(
        (line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("location:")),
        "",
    )
    text = body.decode(errors="replace")
    # The form's error summary (service refusals) or a field's error list.
    errors = re.findall(r'(?:role="alert"|class="errorlist)[^>]*>.*?<li>(.*?)</li>', text, re.S)
    return {
        **result,
        "end": time.time(),
        "status": status,
        "location": location,
        "message": re.sub(r"\s+", " ", errors[0]).strip() if errors else "",
    }


async def client_main(port: int, start_at: float, jobs: list[dict]) -> list[dict]:
    await asyncio.sleep(max(start_at - time.time(), 0))
    return await asyncio.gather(*(one_request(port, job) for job in jobs))


def client_process() -> int:
    spec = json.load(sys.stdin)
    results = asyncio.run(client_main(spec["port"], spec["start_at"], spec["jobs"]))
    json.dump(results, sys.stdout)
    return 0


def fire(port: int, jobs: list[dict], procs: int) -> list[dict]:
    """Release every job at the same instant from `procs` client processes."""
    start_at = time.time() + 1.5  # time for the processes to start and wait
    chunks = [jobs[k::procs] for k in range(procs)]
    running = [
        subprocess.Popen(
            [sys.executable, __file__, "--client"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in chunks
    ]
    for proc, chunk in zip(running, chunks, strict=True):
        proc.stdin.write(json.dumps({"port": port, "start_at": start_at, "jobs": chunk}))
        proc.stdin.close()
    results = []
    for proc in running:
        out = proc.stdout.read()
        if proc.wait(timeout=CLIENT_TIMEOUT + 30):
            raise BenchError("a client process failed")
        results += json.loads(out)
    for r in results:
        r["start_at"] = start_at
    return results


# --- one burst ----------------------------------------------------------------------------


def classify(r: dict) -> str:
    if r["status"] == 302 and "/dokter/karcis/" in r.get("location", ""):
        return "booked"
    if r["status"] == 200 and FULL_TEXT in r.get("message", ""):
        return "full"
    if r["status"] >= 500:
        return "5xx"
    if r["status"] == 200 and r.get("message"):
        return "refused-other"
    return "unexpected"


def timing_lines(path: Path, offset: int) -> tuple[list[tuple], int]:
    data = path.read_bytes() if path.exists() else b""
    rows = []
    for line in data[offset:].decode().splitlines():
        kind, wait, hold, cpu, seen = line.split()
        rows.append((kind, float(wait), float(hold), float(cpu), float(seen)))
    return rows, len(data)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def verify(polis, day, quotas: list[int], clients: list[int]) -> dict:
    """What the database holds for these polis after a burst."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from binjai_portal.core.models import StatusChange
    from dokter.models import Booking

    bad = []
    booked = 0
    for poli, quota, n in zip(polis, quotas, clients, strict=True):
        rows = Booking.objects.filter(poli=poli, date=day)
        numbers = sorted(rows.values_list("number", flat=True))
        expected = min(quota, n)
        booked += len(numbers)
        if numbers != list(range(1, expected + 1)):
            bad.append(
                f"{poli.code}: {len(numbers)} booked (expected {expected}), "
                f"numbers {numbers[:3]}..{numbers[-3:]}"
            )
        twice = rows.values("patient_key").annotate(n=Count("pk")).filter(n__gt=1).count()
        if twice:
            bad.append(f"{poli.code}: {twice} patients booked twice")
    pks = [
        str(pk)
        for pk in Booking.objects.filter(poli__in=polis, date=day).values_list("pk", flat=True)
    ]
    history = StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Booking), object_id__in=pks, action="create"
    ).count()
    if history != len(pks):
        bad.append(f"{len(pks) - history} bookings without their history row")
    return {"booked_db": booked, "problems": bad}


def burst(name, port, procs, jobs, timing: Path, offset: int, cpu_pids) -> tuple[dict, int]:
    cpu_before = cpu_seconds(cpu_pids())
    results = fire(port, jobs, procs)
    cpu_after = cpu_seconds(cpu_pids())
    kinds = Counter(classify(r) for r in results)
    start = results[0]["start_at"]
    booked_ends = [r["end"] for r in results if classify(r) == "booked"]
    all_ends = [r["end"] for r in results]
    lines, offset = timing_lines(timing, offset)
    holds = [h for kind, _w, h, _c, _s in lines if kind == "booked" and h >= 0]
    seen = [x for kind, _w, _h, _c, x in lines if kind == "booked" and x >= 0]
    waits = [w for kind, w, _h, _c, _s in lines if kind == "booked" and w >= 0]
    locked_refusals = sum(1 for kind, _w, h, _c, _s in lines if kind != "booked" and h >= 0)
    refusal_cpu = [c for kind, _w, h, c, _s in lines if kind != "booked" and h < 0]
    latencies = sorted((r["end"] - r["start"]) * 1000 for r in results)
    out = {
        "name": name,
        "requests": len(results),
        "kinds": dict(kinds),
        "booked": kinds.get("booked", 0),
        "seconds": (max(booked_ends) - start) if booked_ends else float("nan"),
        "all_seconds": max(all_ends) - start,
        "hold_p50": pct(holds, 50),
        "hold_p95": pct(holds, 95),
        "hold_max": max(holds) if holds else float("nan"),
        "seen_p50": pct(seen, 50),
        "seen_p95": pct(seen, 95),
        "wait_p50": pct(waits, 50),
        "wait_p95": pct(waits, 95),
        "locked_refusals": locked_refusals,
        "service_refusals": sum(1 for kind, *_ in lines if kind != "booked"),
        "refusal_cpu_p50": pct(refusal_cpu, 50),
        "refusal_cpu_p95": pct(refusal_cpu, 95),
        "booking_cpu_p50": pct([c for kind, _w, _h, c, _s in lines if kind == "booked"], 50),
        "latency_p50": pct(latencies, 50),
        "latency_p95": pct(latencies, 95),
        "cpu_s": cpu_after - cpu_before,
        "odd": [
            f"{classify(r)} HTTP {r['status']} {r.get('error', '')}{r.get('message', '')}"
            for r in results
            if classify(r) not in {"booked", "full"}
        ][:5],
    }
    out["bps"] = out["booked"] / out["seconds"] if out["booked"] else 0.0
    return out, offset


# --- main -----------------------------------------------------------------------------------


def job(i, user_pk, patient, keys, poli, schedule, day, paths) -> dict:
    jkn = i % 2 == 0  # half JKN (BPJS, card number), half paying themselves
    return {
        "i": i,
        "sessionid": keys[user_pk],
        "csrf": secrets.token_hex(16),
        "patient": patient,
        "session": f"{day.isoformat()}_{schedule.pk}",
        "payment": "bpjs" if jkn else "umum",
        "bpjs": f"{i:013d}" if jkn else "",
        "path": paths[poli.pk],
    }


def row(label: str, value: str, goal: str = "", ok: bool | None = None) -> tuple:
    return (label, value, goal, "" if ok is None else ("ok" if ok else "NOT MET"))


def table(rows: list[tuple]) -> str:
    header = ("figure", "value", "goal", "")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
    fmt = "  ".join(f"{{:{'<' if i in (0, 2) else '>'}{w}}}" for i, w in enumerate(widths))
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt.format(*header), rule, *(fmt.format(*r) for r in rows)])


def run(args) -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    secret = f"bench-only-secret-key-{secrets.token_urlsafe(48)}"
    port = args.port or free_port()
    timing = Path(tempfile.mkstemp(prefix="binjai-burst-lock-", suffix=".log")[1])
    log_path = Path(tempfile.mkstemp(prefix="binjai-burst-gunicorn-", suffix=".log")[1])
    env = {
        **os.environ,
        "DATABASE_URL": args.bench_url,
        "REDIS_URL": args.redis_url,
        "CACHE_URL": args.redis_url,
        "CACHE_KEY_PREFIX": f"binjai-burst-{os.getpid()}",
        "DEBUG": "0",
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(args.workers),
        "GUNICORN_ACCESS_LOG": "0",
        "DOKTER_LOCK_TIMING_FILE": str(timing),
        # No template on these paths uses a hashed static URL; spares a collectstatic.
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "DJANGO_SETTINGS_MODULE": "binjai_portal.settings",
    }
    load_before = os.getloadavg()[0]
    began = time.monotonic()
    say(
        f"Bench database {args.database}; {args.clients} clients from {args.client_procs} "
        f"processes; gunicorn {args.workers} workers on 127.0.0.1:{port}."
    )
    database_ensure(args.database_url, args.database)
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if migrate.returncode:
        raise BenchError(f"migrate failed:\n{migrate.stderr[-2000:]}")
    os.environ.update(env)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connections
    from django.urls import reverse

    day = next_open_day()
    n = args.clients
    facility, polis, schedules = setup_polis(day, args.polis, args.quota, args.poli_quota)
    citizens = setup_citizens(n)
    keys = setup_sessions([pk for pk, _ in citizens])
    paths = {
        p.pk: reverse("dokter:booking-create", args=[facility.unit.code, p.code]) for p in polis
    }
    connections.close_all()
    say(f"  setup: {time.monotonic() - began:.1f}s (day {day.isoformat()})")

    say(f"pgbench -T {args.pgbench_seconds} -c 8 on {args.database}_pgbench ...")
    tps = pgbench_tps(args.database_url, f"{args.database}_pgbench", args.pgbench_seconds)
    say(f"  {tps:.0f} TPS")

    proc = None
    try:
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

        def cpu_pids():
            return child_pids(proc.pid) + backend_pids(args.database_url, args.database)

        # Warm-up: every worker imports, compiles templates and connects once (GET).
        warm = [
            {**job(i, pk, patient, keys, polis[0], schedules[0], day, paths)}
            for i, (pk, patient) in enumerate(citizens[: args.workers * 4])
        ]
        for w in warm:
            w["warm"] = True
        warm_get(port, warm)
        offset = timing.stat().st_size

        one = [
            job(i, pk, patient, keys, polis[0], schedules[0], day, paths)
            for i, (pk, patient) in enumerate(citizens)
        ]
        a, offset = burst("one poli", port, args.client_procs, one, timing, offset, cpu_pids)
        check_a = verify([polis[0]], day, [args.quota], [n])

        spread = [
            job(
                i,
                pk,
                patient,
                keys,
                polis[1 + i % args.polis],
                schedules[1 + i % args.polis],
                day,
                paths,
            )
            for i, (pk, patient) in enumerate(citizens)
        ]
        per = [sum(1 for i in range(n) if i % args.polis == k) for k in range(args.polis)]
        b, offset = burst(
            f"{args.polis} polis", port, args.client_procs, spread, timing, offset, cpu_pids
        )
        check_b = verify(polis[1:], day, [args.poli_quota] * args.polis, per)

        c, offset = burst("refusals", port, args.client_procs, one, timing, offset, cpu_pids)
        check_c = verify([polis[0]], day, [args.quota], [n])
    finally:
        if proc is not None:
            gunicorn_stop(proc)

    return report(
        args, tps, a, b, c, check_a, check_b, check_c, load_before, began, log_path, timing
    )


def warm_get(port: int, jobs: list[dict]) -> None:
    import http.client

    for j in jobs:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", j["path"], headers={"Cookie": f"sessionid={j['sessionid']}"})
        status = conn.getresponse().status
        conn.close()
        if status != 200:
            raise BenchError(f"warm-up GET {j['path']} answered HTTP {status}")


def report(
    args, tps, a, b, c, check_a, check_b, check_c, load_before, began, log_path, timing
) -> int:
    n = args.clients
    say("")
    for phase in (a, b, c):
        say(
            f"{phase['name']}: {phase['requests']} requests -> {phase['kinds']}; "
            f"all answered in {phase['all_seconds']:.2f}s, latency p50 "
            f"{phase['latency_p50']:.0f} ms p95 {phase['latency_p95']:.0f} ms"
        )
        for odd in phase["odd"]:
            say(f"    {odd}")
    for problem in check_a["problems"] + check_b["problems"] + check_c["problems"]:
        say(f"  DB: {problem}")
    five = sum(p["kinds"].get("5xx", 0) for p in (a, b, c))
    odd = sum(p["kinds"].get(k, 0) for p in (a, b, c) for k in ("unexpected", "refused-other"))
    correct_a = (
        a["booked"] == check_a["booked_db"] == min(args.quota, n)
        and not check_a["problems"]
        and a["booked"] + a["kinds"].get("full", 0) == n
    )
    total_b = sum(min(args.poli_quota, len(range(k, n, args.polis))) for k in range(args.polis))
    correct_b = (
        b["booked"] == check_b["booked_db"] == total_b
        and not check_b["problems"]
        and b["booked"] + b["kinds"].get("full", 0) == n
    )
    correct_c = c["booked"] == 0 and c["kinds"].get("full", 0) == n and not check_c["problems"]
    refusal_cpu = c["cpu_s"] * 1000 / max(c["requests"], 1)
    ratio = a["bps"] / tps if tps else 0.0
    g = GOALS
    rows = [
        row(
            "one poli: booked / quota",
            f"{a['booked']}/{args.quota}",
            "= quota, numbers 1..quota",
            correct_a,
        ),
        row(
            "one poli: bookings/s",
            f"{a['bps']:.1f}",
            f">= {g['one_poli_bps']:.0f}",
            a["bps"] >= g["one_poli_bps"],
        ),
        row(
            "one poli: lock hold p50 / p95 ms",
            f"{a['hold_p50']:.2f} / {a['hold_p95']:.2f}",
            f"p95 <= {g['hold_p95_ms']:.0f}",
            a["hold_p95"] <= g["hold_p95_ms"],
        ),
        row(
            "  until the worker has the answer p50 / p95",
            f"{a['seen_p50']:.2f} / {a['seen_p95']:.2f}",
            "(an upper bound)",
        ),
        row("one poli: lock wait p50 / p95 ms", f"{a['wait_p50']:.1f} / {a['wait_p95']:.1f}"),
        row("pgbench TPS (same run)", f"{tps:.0f}"),
        row("bookings/s / pgbench TPS", f"{ratio:.3f}", f">= {g['ratio']}", ratio >= g["ratio"]),
        row(
            f"{args.polis} polis: booked",
            f"{b['booked']}/{total_b}",
            f"= {args.poli_quota} each, gapless",
            correct_b,
        ),
        row(
            f"{args.polis} polis: bookings/s",
            f"{b['bps']:.1f}",
            f">= {g['many_polis_bps']:.0f}",
            b["bps"] >= g["many_polis_bps"],
        ),
        row(
            f"{args.polis} polis: lock hold p50 / p95 ms",
            f"{b['hold_p50']:.2f} / {b['hold_p95']:.2f}",
            f"p95 <= {g['hold_p95_ms']:.0f}",
            b["hold_p95"] <= g["hold_p95_ms"],
        ),
        row(
            "full poli: refused / requests",
            f"{c['kinds'].get('full', 0)}/{c['requests']}",
            "all, 'Kuota ... sudah penuh'",
            correct_c,
        ),
        row(
            "refusals that took the lock: in burst / when full",
            f"{a['locked_refusals']} / {c['locked_refusals']}",
            "when full: 0",
            c["locked_refusals"] == 0,
        ),
        row(
            "refusal in the service: CPU ms p50 / p95",
            f"{a['refusal_cpu_p50']:.2f} / {a['refusal_cpu_p95']:.2f}",
            f"p95 <= {g['refusal_cpu_ms']:.0f}, no lock",
            a["refusal_cpu_p95"] <= g["refusal_cpu_ms"] if a["service_refusals"] else None,
        ),
        row("booking in the service: CPU ms p50", f"{a['booking_cpu_p50']:.2f}"),
        row(
            "refused HTTP request, full poli: CPU ms",
            f"{refusal_cpu:.2f}",
            "(gunicorn + PostgreSQL, whole request)",
        ),
        row("5xx / unexpected answers", f"{five} / {odd}", "0 / 0", five == 0 and odd == 0),
    ]
    say("")
    say(
        f"e-Dokter 07:00 burst: {n} HTTP clients, {os.cpu_count()} CPUs, gunicorn "
        f"{args.workers} sync workers, DEBUG=0, PostgreSQL {args.database}, Redis; "
        f"load average before {load_before:.1f}; {time.monotonic() - began:.0f}s in all"
    )
    say(table(rows))
    met = all(r[3] != "NOT MET" for r in rows)
    say("")
    say("GOALS MET" if met else "GOALS NOT MET")
    if five:
        say(f"gunicorn log: {log_path}\n{log_tail(log_path)}")
    else:
        log_path.unlink(missing_ok=True)
    timing.unlink(missing_ok=True)
    return 0 if met else 1


def main(argv: list[str]) -> int:
    try:
        args = options(argv)
        if args.client:
            return client_process()
        return run(args)
    except BenchError as exc:
        print(f"booking_burst: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
