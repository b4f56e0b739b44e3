"""e-Dokter's share of the city-scale data set for the benchmarks (issue 9, "Speed at
city scale"): registered with `kpi.scale_generator`, run by
`manage.py generate_scale_data`. The figures themselves are in metrics.py."""

from __future__ import annotations

from binjai_portal.core import kpi
from binjai_portal.core.scale import scale_insert

from .models import Booking

# `manage.py generate_scale_data --factor F` calls this: factor 1.0 is 200,000 bookings.
# PostgreSQL only (one INSERT ... SELECT ... FROM generate_series; SQLite is refused with
# a message). The factor is a target, so re-running is safe: bookings already generated
# (code "SK" + 10 digits: 12 characters, never a real 10-character code) count towards it
# and only the difference is added. Bookings are dated over the past 365 days (never
# today: the live queues stay real), spread over the active polis, mostly done, some
# absent or cancelled. Queue numbers continue each poli's day's QueueCounter, which is
# moved past them in the same statement while the counter table is locked. Booking has
# no demo flag (the SK code marks scale rows); no history rows, notifications or
# StatusChange rows are written for them.

SCALE_FULL = 200_000
SCALE_STATES = (("done", 80), ("absent", 9), ("cancelled", 11))
SCALE_NAMES = (
    "Ahmad Demo",
    "Siti Demo",
    "Budi Demo",
    "Rina Demo",
    "Joko Demo",
    "Dewi Demo",
    "Rudi Demo",
    "Nur Demo",
)


@kpi.scale_generator("dokter", order=50)
def scale_generate(factor: float, log) -> None:
    from django.conf import settings
    from django.core.management.base import CommandError
    from django.db import connection, transaction

    from binjai_portal.accounts import roles
    from binjai_portal.accounts.models import User

    from .models import Poli, QueueCounter

    if connection.vendor != "postgresql":
        raise CommandError(
            "dokter: the scale data set needs PostgreSQL "
            "(generate_series); SQLite is not supported."
        )
    target = max(1, round(SCALE_FULL * factor))
    with transaction.atomic():
        with connection.cursor() as cursor:  # real bookings wait until we commit
            cursor.execute(f"LOCK TABLE {QueueCounter._meta.db_table} IN EXCLUSIVE MODE")
        have = Booking.objects.filter(code__regex=r"^SK[0-9]{10}$").count()
        if have >= target:
            log(f"dokter: {have} scale bookings already there (target {target})")
            return
        polis = list(
            Poli.objects.filter(is_active=True, facility__is_active=True)
            .order_by("pk")
            .values_list("pk", "facility_id", "letter", "avg_service_minutes")
        )
        if not polis:
            from .demo import seed

            seed(log)  # demo facilities, polis and schedules (is_demo), idempotent
            polis = list(
                Poli.objects.filter(is_active=True, facility__is_active=True)
                .order_by("pk")
                .values_list("pk", "facility_id", "letter", "avg_service_minutes")
            )
        patients = list(
            User.objects.filter(is_active=True, groups__name=roles.WARGA)
            .order_by("-is_demo", "pk")
            .values_list("pk", flat=True)[:50]
        )
        if not (polis and patients):
            raise CommandError(
                "dokter: polis or citizens missing; run `manage.py seed_demo` first."
            )
        states = [s for s, weight in SCALE_STATES for _ in range(weight)]
        t = connection.ops.quote_name(QueueCounter._meta.db_table)
        seq = f"pg_get_serial_sequence('{Booking._meta.db_table}', 'id')"
        with_sql = f"""
        WITH base AS MATERIALIZED (
            SELECT g, nextval({seq}) AS id, random() AS r,
                   (now() AT TIME ZONE %(tz)s)::date - (1 + floor(random() * 365)::int) AS day,
                   1 + floor(random() * %(npoli)s)::int AS pi,
                   (%(states)s::text[])[1 + floor(random() * %(nstates)s)::int] AS st
            FROM generate_series(1, %(n)s) AS g),
        s AS MATERIALIZED (
            SELECT base.*, row_number() OVER (PARTITION BY pi, day ORDER BY g) AS rn,
                   (%(polis)s::bigint[])[pi] AS poli_id
            FROM base),
        counters AS (
            INSERT INTO {t} (poli_id, date, last_number)
            SELECT poli_id, day, count(*) FROM s GROUP BY poli_id, day
            ON CONFLICT (poli_id, date)
            DO UPDATE SET last_number = {t}.last_number + EXCLUDED.last_number RETURNING 1)"""  # noqa: S608 (model table names)
        number = "(coalesce(c.last_number, 0) + s.rn)"
        minutes = "(%(minutes)s::int[])[s.pi]"
        estimated = (
            f"((s.day + time '07:30' + {number} * {minutes} * interval '1 minute')"
            " AT TIME ZONE %(tz)s)"
        )
        done = "s.st = 'done'"
        exprs = {
            "id": "s.id",
            "code": "'SK' || lpad(s.id::text, 10, '0')",
            "facility_id": "(%(facilities)s::bigint[])[s.pi]",
            "poli_id": "s.poli_id",
            "schedule_id": "NULL",
            "date": "s.day",
            "number": number,
            "letter": "(%(letters)s::text[])[s.pi]",
            "channel": "CASE WHEN s.g %% 5 < 3 THEN 'online' ELSE 'onsite' END",
            "status": "s.st",
            "patient_user_id": "(%(patients)s::bigint[])[1 + s.g %% %(npatients)s]",
            "patient_name": "(%(names)s::text[])[1 + s.g %% %(nnames)s]",
            "booked_by_id": "(%(patients)s::bigint[])[1 + s.g %% %(npatients)s]",
            "payment": "CASE WHEN s.g %% 4 < 3 THEN 'bpjs' ELSE 'umum' END",
            "bpjs_number": "CASE WHEN s.g %% 4 < 3 THEN '0009' || lpad((s.g %% 1000000000)"
            "::text, 9, '0') ELSE '' END",
            "complaint": "''",
            "priority": "CASE WHEN s.g %% 20 = 0 THEN 'lansia' ELSE '' END",
            "priority_note": "CASE WHEN s.g %% 20 = 0 THEN 'Usia di atas 60 tahun' ELSE '' END",
            "estimated_at": estimated,
            "created_at": f"{estimated} - interval '1 day'",
            "checked_in_at": f"CASE WHEN {done} THEN {estimated} - interval '20 minutes' END",
            "called_at": f"CASE WHEN {done} THEN {estimated} + s.r * interval '40 minutes' END",
            "call_count": f"CASE WHEN {done} THEN 1 ELSE 0 END",
            "service_started_at": f"CASE WHEN {done} THEN {estimated} "
            "+ s.r * interval '40 minutes' + interval '1 minute' END",
            "finished_at": f"CASE WHEN {done} THEN {estimated} + s.r * interval '40 minutes' "
            f"+ ({minutes} + 1) * interval '1 minute' END",
        }
        add = target - have
        params = {
            "n": add,
            "tz": settings.TIME_ZONE,
            "states": states,
            "nstates": len(states),
            "npoli": len(polis),
            "polis": [p[0] for p in polis],
            "facilities": [p[1] for p in polis],
            "letters": [p[2] for p in polis],
            "minutes": [p[3] for p in polis],
            "patients": patients,
            "npatients": len(patients),
            "names": list(SCALE_NAMES),
            "nnames": len(SCALE_NAMES),
        }
        made = scale_insert(
            Booking,
            exprs,
            f"FROM s LEFT JOIN {t} AS c ON c.poli_id = s.poli_id AND c.date = s.day",
            params,
            with_sql,
        )
    log(f"dokter: {made} scale bookings added ({have + made} of {target})")
