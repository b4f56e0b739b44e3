"""e-Perizinan's share of the city-scale data set for the benchmarks (issue 9, "Speed at
city scale"): registered with `kpi.scale_generator`, run by
`manage.py generate_scale_data`. The figures themselves are in metrics.py."""

from __future__ import annotations

from binjai_portal.core import kpi
from binjai_portal.core.scale import scale_insert

from .models import Application

# `manage.py generate_scale_data --factor F` calls this: factor 1.0 is 50,000 permit
# applications. PostgreSQL only (one INSERT ... SELECT ... FROM generate_series; SQLite is
# refused with a message). The factor is a target, so re-running is safe: applications
# already generated (data {"scale_set": 1}) count towards it and only the difference is
# added. Registration numbers continue each year's core.Sequence row, which is moved
# past them in the same statement while the counter table is locked (a year holding more
# than 999,999 numbers is refused: the format has 6 digits). Scale rows are demo rows
# (is_demo), submitted over the past 365 days (those still in progress within the last
# 30, so the overdue lists stay plausible), with statuses spread over the workflow. They
# get no StatusChange or simple_history rows, documents, certificates or surveys.

SCALE_FULL = 50_000
SCALE_STATES = (
    ("issued", 45),
    ("rejected", 6),
    ("withdrawn", 4),
    ("submitted", 10),
    ("revision", 5),
    ("survey", 5),
    ("survey_scheduled", 5),
    ("review", 8),
    ("decision", 6),
    ("payment", 6),
)


@kpi.scale_generator("perizinan", order=60)
def scale_generate(factor: float, log) -> None:
    from django.conf import settings
    from django.core.management.base import CommandError
    from django.db import connection, transaction

    from binjai_portal.accounts import roles
    from binjai_portal.accounts.models import User
    from binjai_portal.core import sequences
    from binjai_portal.core.models import Sequence
    from binjai_portal.core.regions import village_list

    from .models import PermitType

    if connection.vendor != "postgresql":
        raise CommandError(
            "perizinan: the scale data set needs PostgreSQL "
            "(generate_series); SQLite is not supported."
        )
    target = max(1, round(SCALE_FULL * factor))
    with transaction.atomic():
        t = connection.ops.quote_name(Sequence._meta.db_table)
        with connection.cursor() as cursor:  # real submissions wait until we commit
            cursor.execute(f"LOCK TABLE {t} IN EXCLUSIVE MODE")
            cursor.execute(
                f"SELECT coalesce(max(last), 0) FROM {t} WHERE key = %s",  # noqa: S608
                [sequences.REGISTRATION],
            )
            highest = cursor.fetchone()[0]
        have = Application.objects.filter(data__scale_set=1).count()
        if have >= target:
            log(f"perizinan: {have} scale applications already there (target {target})")
            return
        add = target - have
        if highest + add > 999_999:
            raise CommandError(
                "perizinan: registration numbers have 6 digits a year; use a smaller factor."
            )
        types = list(
            PermitType.objects.filter(is_active=True)
            .order_by("pk")
            .values_list("pk", "agency_id", "service_days")
        )
        if not types:
            from .demo import seed

            seed(log)  # demo permit types (is_demo), idempotent
            types = list(
                PermitType.objects.filter(is_active=True)
                .order_by("pk")
                .values_list("pk", "agency_id", "service_days")
            )
        villages = list(village_list().values_list("pk", flat=True))
        applicants = list(
            User.objects.filter(is_active=True, groups__name=roles.WARGA)
            .order_by("-is_demo", "pk")
            .values_list("pk", flat=True)[:50]
        )
        if not (types and villages and applicants):
            raise CommandError(
                "perizinan: permit types, kelurahan or citizens missing; "
                "run `manage.py seed_demo` first."
            )
        states = [s for s, weight in SCALE_STATES for _ in range(weight)]
        with_sql = f"""
        WITH drawn AS MATERIALIZED (
            SELECT g, random() AS r, 1 + floor(random() * %(ntypes)s)::int AS ti,
                   (%(states)s::text[])[1 + floor(random() * %(nstates)s)::int] AS st
            FROM generate_series(1, %(n)s) AS g),
        base AS MATERIALIZED (
            SELECT drawn.*, now() - random() * CASE WHEN st = ANY(%(final)s::text[])
                THEN interval '365 days' ELSE interval '30 days' END AS ts
            FROM drawn),
        s AS MATERIALIZED (
            SELECT base.*, extract(year FROM ts AT TIME ZONE %(tz)s)::int AS yr,
                   (ts AT TIME ZONE %(tz)s)::date AS day,
                   row_number() OVER (PARTITION BY extract(year FROM ts AT TIME ZONE %(tz)s)
                                      ORDER BY ts, g) AS rn
            FROM base),
        counters AS (
            INSERT INTO {t} (key, year, last) SELECT %(seq)s, yr, count(*) FROM s GROUP BY yr
            ON CONFLICT (key, year) DO UPDATE SET last = {t}.last + EXCLUDED.last RETURNING 1)"""  # noqa: S608 (model table names)
        days = "(%(days)s::int[])[s.ti]"
        final = "s.st IN ('issued', 'rejected', 'withdrawn')"
        exprs = {
            "number": "'IZN-' || s.yr || '-' || lpad((coalesce(c.last, 0) + s.rn)::text, 6, '0')",
            "permit_type_id": "(%(types)s::bigint[])[s.ti]",
            "applicant_id": "(%(applicants)s::bigint[])[1 + s.g %% %(napplicants)s]",
            "agency_id": "(%(agencies)s::bigint[])[s.ti]",
            "applicant_kind": "'person'",
            "data": "'{\"scale_set\": 1}'::jsonb",
            "location_address": "'Jl. Demo Skala No. ' || (1 + s.g %% 250)",
            "kelurahan_id": "(%(villages)s::bigint[])[1 + (s.g * 7) %% %(nvillages)s]",
            "status": "s.st",
            "created_at": "s.ts - interval '1 day'",
            "submitted_on": "s.day",
            "sla_due": f"s.day + ceil({days} * 1.4)::int",  # working days ≈ 7/5 calendar
            "sla_paused_on": "CASE WHEN s.st = 'revision' THEN s.day + 2 END",
            "finished_on": f"CASE WHEN {final} THEN LEAST((now() AT TIME ZONE %(tz)s)::date,"
            f" s.day + ceil(s.r * {days} * 1.8)::int) END",
            "survey_date": "CASE WHEN s.st IN ('survey_scheduled', 'review', 'decision', "
            "'payment', 'issued') AND s.g %% 2 = 0 THEN s.day + 3 END",
            "fee": "CASE WHEN s.st IN ('payment', 'issued') THEN "
            "(250000 + (s.g %% 20) * 50000)::numeric END",
            "paid_at": "CASE WHEN s.st = 'issued' THEN s.ts + interval '4 days' END",
            "is_demo": "true",
        }
        params = {
            "n": add,
            "seq": sequences.REGISTRATION,
            "tz": settings.TIME_ZONE,
            "states": states,
            "nstates": len(states),
            "final": ["issued", "rejected", "withdrawn"],
            "ntypes": len(types),
            "types": [p[0] for p in types],
            "agencies": [p[1] for p in types],
            "days": [p[2] for p in types],
            "applicants": applicants,
            "napplicants": len(applicants),
            "villages": villages,
            "nvillages": len(villages),
        }
        made = scale_insert(
            Application,
            exprs,
            f"FROM s LEFT JOIN {t} AS c ON c.key = %(seq)s AND c.year = s.yr",
            params,
            with_sql,
        )
    log(f"perizinan: {made} scale applications added ({have + made} of {target})")
