"""Where the CPU of one booking POST goes: the whole request (middleware, session, auth,
form, service, template, redirect) in this process, under cProfile, with production
settings (DEBUG=0, Redis cache), on booking_burst.py's bench database and data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/binjai_portal \
    REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/booking_profile.py -n 60

Prints the CPU per request of this process (Django; PostgreSQL's backend CPU is not in
it, see booking_burst.py for the whole figure) for bookings and for refusals of a full
session, then the functions with the most cumulative time. Short and bounded: N
bookings into a quota of N, then N refusals.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import booking_burst as bb  # noqa: E402


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=int(os.environ.get("PROFILE_N", "60")))
    p.add_argument("--top", type=int, default=35)
    p.add_argument("--sort", default="cumulative")
    p.add_argument("--no-profile", action="store_true", help="CPU per request without cProfile")
    p.add_argument("--dump", default="", help="save each profile as <DUMP>.<label>.pstats")
    own = p.parse_known_args(argv)
    args = bb.options(own[1])
    n, top, sort, profile = own[0].n, own[0].top, own[0].sort, not own[0].no_profile
    env = {
        "DATABASE_URL": args.bench_url,
        "REDIS_URL": args.redis_url,
        "CACHE_URL": args.redis_url,
        "CACHE_KEY_PREFIX": f"binjai-profile-{os.getpid()}",
        "DEBUG": "0",
        "SECRET_KEY": f"bench-only-{secrets.token_urlsafe(40)}",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "ENABLE_TEST_ENDPOINTS": "1",  # the bare view of the same run
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "DJANGO_SETTINGS_MODULE": "binjai_portal.settings",
    }
    bb.database_ensure(args.database_url, args.database)
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if migrate.returncode:
        raise bb.BenchError(f"migrate failed:\n{migrate.stderr[-2000:]}")
    os.environ.update(env)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    day = bb.next_open_day()
    facility, polis, schedules = bb.setup_polis(day, 1, n + 1, n + 1)
    citizens = bb.setup_citizens(2 * n + 8)
    keys = bb.setup_sessions([pk for pk, _ in citizens])
    path = reverse("dokter:booking-create", args=[facility.unit.code, polis[0].code])

    def post(i, pk, patient):
        client = Client()  # a fresh cookie jar: each citizen is someone else
        job = bb.job(i, pk, patient, keys, polis[0], schedules[0], day, {polis[0].pk: path})
        client.cookies["sessionid"] = job["sessionid"]
        client.cookies["csrftoken"] = job["csrf"]
        data = {
            "csrfmiddlewaretoken": job["csrf"],
            "patient": job["patient"],
            "session": job["session"],
            "payment": job["payment"],
            "bpjs_number": job["bpjs"],
            "complaint": "Uji beban 07.00",
        }
        # Form-encoded, as a browser (and booking_burst.py) sends it; not multipart.
        return client.post(path, urlencode(data), content_type="application/x-www-form-urlencoded")

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(4):  # warm up: imports, templates
        Client().get(path)
    queries = {}
    with CaptureQueriesContext(connection) as ctx:
        post(0, *citizens[0])  # one booking, its queries shown below
    queries["booking"] = [q["sql"] for q in ctx.captured_queries]
    citizens = citizens[1:]
    results = {}
    for label, group in (("booking", citizens[:n]), ("refusal", citizens[n : 2 * n])):
        prof = cProfile.Profile(time.process_time)  # CPU, not time waiting on PostgreSQL
        codes = []
        cpu0, wall0 = time.process_time(), time.perf_counter()
        if profile:
            prof.enable()
        for i, (pk, patient) in enumerate(group):
            codes.append(post(i, pk, patient).status_code)
        if profile:
            prof.disable()
        cpu = (time.process_time() - cpu0) * 1000 / len(group)
        wall = (time.perf_counter() - wall0) * 1000 / len(group)
        results[label] = (cpu, wall, codes, prof)
    from django.db import connection as conn

    with CaptureQueriesContext(conn) as ctx:
        post(0, *citizens[2 * n])
    queries["refusal"] = [q["sql"] for q in ctx.captured_queries]
    for label, sqls in queries.items():
        bb.say(f"{label}: {len(sqls)} queries")
        for q in sqls:
            bb.say(f"    {q[:150]}")
    bare = Client()
    cpu0 = time.process_time()
    for _ in range(n):
        bare.get(reverse("bench-baseline"))
    bare_cpu = (time.process_time() - cpu0) * 1000 / n
    bb.say(f"bare view (bench-baseline): CPU per request {bare_cpu:.2f} ms, same run")
    for label, (cpu, wall, codes, _prof) in results.items():
        counts = {c: codes.count(c) for c in sorted(set(codes))}
        bb.say(f"{label}: {len(codes)} requests, status {counts}")
        how = "under cProfile" if profile else "no profiler"
        bb.say(
            f"  CPU per request (Django, {how}) {cpu:.2f} ms ({cpu / bare_cpu:.1f}x bare);"
            f" wall {wall:.2f} ms"
        )
    for label, (_cpu, _wall, _codes, prof) in results.items() if profile else ():
        if own[0].dump:
            prof.dump_stats(f"{own[0].dump}.{label}.pstats")
        out = io.StringIO()
        pstats.Stats(prof, stream=out).strip_dirs().sort_stats(sort).print_stats(top)
        bb.say(f"\n=== {label}: top {top} by {sort}")
        bb.say(out.getvalue())
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except bb.BenchError as exc:
        print(f"booking_profile: {exc}", file=sys.stderr)
        sys.exit(2)
