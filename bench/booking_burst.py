"""Booking burst: many citizens book the same e-Dokter poli and day at the same instant.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/binjai_portal \
    REDIS_URL=redis://127.0.0.1:6379/1 .venv/bin/python bench/booking_burst.py

Steps: create the dedicated database `binjai_portal_bench_burst` (next to the one in
DATABASE_URL) if it is missing, migrate it and load the demo data (`seed_demo`), then,
in this process, set up a bench poli ("Poli Uji Beban", letter ZZ) at the demo
Puskesmas Binjai Kota with one session on the next working day and an online quota of
Q, clear that poli's earlier bench bookings, and make N distinct bench citizens (kept
between runs). N threads, each with its own PostgreSQL connection, wait on a barrier
and then call the booking service `dokter.services.booking_create` directly (the code
path of the booking form, without HTTP: this measures the numbering under its row lock,
not the web stack), plus BURST_REPEAT extra threads that book again for patients
already in the burst (each must be refused as a duplicate or as full).

Prints bookings per second (successful bookings / wall time of the burst), attempts
per second, successes, "full" refusals, duplicate-patient refusals, unexpected errors,
and duplicates found in the database afterwards (queue numbers taken twice, patients
with two active entries). Exits non-zero if there is any duplicate, any unexpected
error, or if the number of successes is not min(Q, N).

Environment: BURST_THREADS (N, 50), BURST_QUOTA (Q, 20), BURST_REPEAT (5).
Notification tasks are queued to REDIS_URL's broker as in production (no worker runs).
"""

from __future__ import annotations

import datetime
import os
import secrets
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB_NAME = "binjai_portal_bench_burst"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/binjai_portal"
FACILITY_CODE = "puskesmas-demo-kota"
POLI_CODE = "uji-beban"


class BenchError(Exception):
    pass


def say(line: str) -> None:
    print(line, flush=True)


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
            host=parts.hostname or "127.0.0.1", port=parts.port or 5432,
            user=unquote(parts.username) if parts.username else "postgres",
            password=unquote(parts.password) if parts.password else None,
            dbname="postgres", connect_timeout=5, autocommit=True,
        )
    except psycopg.OperationalError as exc:
        raise BenchError(f"PostgreSQL does not answer at {parts.hostname} ({exc}).") from None
    with conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            [BENCH_DB_NAME]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB_NAME)))
            say(f"Created database {BENCH_DB_NAME}.")


def manage(*args: str) -> None:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    say(f"  manage.py {' '.join(args)} ({time.monotonic() - started:.1f}s)")


# --- setup in the bench database --------------------------------------------------------


def next_working_day(today: datetime.date) -> datetime.date:
    from binjai_portal.core.workdays import is_working_day

    for offset in range(1, 8):
        day = today + datetime.timedelta(days=offset)
        if is_working_day(day):
            return day
    raise BenchError("No working day in the next 7 days.")


def setup_poli(quota: int, day: datetime.date):
    from dokter.models import Booking, Facility, Poli, QueueCounter, Schedule

    facility = Facility.objects.select_related("unit").filter(unit__code=FACILITY_CODE).first()
    if facility is None:
        raise BenchError(f"Demo facility {FACILITY_CODE} missing: did seed_demo run?")
    poli, _ = Poli.objects.update_or_create(
        facility=facility, code=POLI_CODE,
        defaults={"name": "Poli Uji Beban", "letter": "ZZ", "bookable_online": True,
                  "is_active": True, "avg_service_minutes": 5},
    )
    Booking.objects.filter(poli=poli).delete()
    QueueCounter.objects.filter(poli=poli).delete()
    Schedule.objects.filter(poli=poli).delete()
    schedule = Schedule.objects.create(
        poli=poli, weekday=day.weekday(), start=datetime.time(7, 0),
        end=datetime.time(23, 0), online_quota=quota, onsite_quota=0,
    )
    return poli, schedule


def bench_citizens(n: int) -> list:
    from binjai_portal.accounts import services
    from binjai_portal.accounts.models import User
    from binjai_portal.accounts.nik import nik_compose
    from binjai_portal.core.models import Region

    kelurahan = Region.objects.get(code="12.75.02.1001")
    people = []
    for i in range(n):
        email = f"bench-burst-{i}@example.org"
        user = User.objects.filter(email=email).first()
        if user is None:
            birth = datetime.date(1980 + i % 30, 1 + i % 12, 1 + i % 27)
            user = services.user_register(
                nik=nik_compose(region6="127502", birth_date=birth, sex="L",
                                serial=7000 + i),
                full_name=f"Warga Uji Beban {i}", birth_date=birth, sex="L",
                phone=f"+6281377{i:06d}", email=email, password="Binjai2026!",
                kelurahan=kelurahan, address="Jl. Uji Beban",
            )
        people.append(user)
    return people


# --- the burst --------------------------------------------------------------------------


def burst(schedule, day, people, repeat: int) -> tuple[list, float]:
    from django.db import connections

    from dokter import services

    patients = people + people[:repeat]
    n = len(patients)
    barrier = threading.Barrier(n + 1)
    results: list = [None] * n

    def worker(i: int) -> None:
        try:
            barrier.wait()
            booking = services.booking_create(
                actor=patients[i], schedule=schedule, date=day, patient=patients[i],
                payment="umum", complaint="Uji beban",
            )
            results[i] = ("ok", booking.number)
        except services.BookingRefused as exc:
            results[i] = (exc.code, exc.messages[0])
        except Exception as exc:  # noqa: BLE001 - counted and printed as an error
            results[i] = ("error", repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join(120)
    return results, time.perf_counter() - started


def main() -> int:
    n = int(os.environ.get("BURST_THREADS", "50"))
    quota = int(os.environ.get("BURST_QUOTA", "20"))
    repeat = min(int(os.environ.get("BURST_REPEAT", "5")), n)
    database_url = bench_database_url(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    bench_database_ensure(database_url)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("CACHE_KEY_PREFIX", "binjai-bench-burst")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binjai_portal.settings")
    # Production-like settings (DEBUG off needs a key); the benchmark serves no page.
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", f"bench-only-secret-key-{secrets.token_urlsafe(48)}")
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    say(f"Preparing {BENCH_DB_NAME} (migrate, seed_demo):")
    manage("migrate", "--noinput")
    manage("seed_demo")

    import django

    django.setup()
    from django.db.models import Count

    from dokter import clock
    from dokter.models import Booking

    day = next_working_day(clock.today())
    poli, schedule = setup_poli(quota, day)
    people = bench_citizens(n)
    say(f"Burst: {n} threads (+{repeat} repeat bookings) book {poli.name} "
        f"on {day.isoformat()}, online quota {quota}.")
    results, elapsed = burst(schedule, day, people, repeat)

    kinds = Counter(kind for kind, _ in results)
    ok = kinds.pop("ok", 0)
    full = kinds.pop("full", 0)
    duplicate_refused = kinds.pop("duplicate", 0)
    errors = sum(kinds.values())
    rows = Booking.objects.filter(poli=poli, date=day)
    numbers = list(rows.values_list("number", flat=True))
    dup_numbers = len(numbers) - len(set(numbers))
    dup_patients = rows.filter(status__in=Booking.ACTIVE).values("patient_key").annotate(
        n=Count("pk")).filter(n__gt=1).count()
    duplicates = dup_numbers + dup_patients
    expected = min(quota, n)
    gapless = sorted(numbers) == list(range(1, len(numbers) + 1))

    say(f"  wall time          {elapsed:.3f} s")
    say(f"  bookings/s         {ok / elapsed:.1f}")
    say(f"  attempts/s         {len(results) / elapsed:.1f}")
    say(f"  successes          {ok} (expected {expected}, numbers 1..{len(numbers)} "
        f"{'without gaps' if gapless else 'WITH GAPS'})")
    say(f"  full refusals      {full}")
    say(f"  duplicate refusals {duplicate_refused} (repeat bookings of the same patient)")
    say(f"  errors             {errors}")
    say(f"  duplicates         {duplicates} (numbers taken twice {dup_numbers}, "
        f"patients with two entries {dup_patients})")
    for kind, message in results:
        if kind not in {"ok", "full", "duplicate"}:
            say(f"    {kind}: {message}")
    failed = duplicates or errors or ok != expected or not gapless or ok + full + \
        duplicate_refused != len(results)
    say("FAILED" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"booking_burst: {exc}", file=sys.stderr)
        sys.exit(2)
