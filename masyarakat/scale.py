"""e-Masyarakat's share of the city-scale data set for the benchmarks (issue 9, "Speed at
city scale"): registered with `kpi.scale_generator`, run by
`manage.py generate_scale_data`. The figures themselves are in metrics.py."""

from __future__ import annotations

from binjai_portal.core import kpi
from binjai_portal.core.scale import scale_insert

from .models import Ticket

# `manage.py generate_scale_data --factor F` calls this: factor 1.0 is 1,000,000 tickets.
# PostgreSQL only (one INSERT ... SELECT ... FROM generate_series; SQLite is refused with
# a message). The factor is a target, so re-running is safe: the rows already generated
# (title starting with SCALE_MARK) count towards it and only the difference is added, a
# smaller factor adds nothing. Ticket numbers continue each year's core.Sequence row, which is
# moved past them in the same statement while the counter table is locked, so later real
# submissions carry on after the generated numbers. Scale rows are demo rows (is_demo)
# and get no StatusChange history, notifications, photos or messages: they exist to
# measure the dashboards, not to be worked.

SCALE_FULL = 1_000_000
SCALE_MARK = "[DEMO-SKALA] "
SCALE_TITLES = (
    "Jalan berlubang",
    "Lampu jalan padam",
    "Sampah menumpuk",
    "Drainase tersumbat",
    "Pohon tumbang",
    "Air PDAM tidak mengalir",
    "Pelayanan KTP lambat",
    "Parkir liar",
    "Banjir di permukiman",
    "Jembatan rusak",
)
# (status, weight out of 100): spread over the workflow, most of a year's tickets done.
SCALE_STATES = (
    ("closed", 34),
    ("resolved", 14),
    ("in_progress", 12),
    ("assigned", 10),
    ("verified", 7),
    ("submitted", 8),
    ("need_info", 5),
    ("rejected", 10),
)


@kpi.scale_generator("masyarakat", order=50)
def scale_generate(factor: float, log) -> None:
    from django.conf import settings
    from django.core.management.base import CommandError
    from django.db import connection, transaction

    from binjai_portal.accounts import roles
    from binjai_portal.accounts.models import User
    from binjai_portal.core import sequences
    from binjai_portal.core.models import Sequence
    from binjai_portal.core.regions import village_list

    from .models import Category

    if connection.vendor != "postgresql":
        raise CommandError(
            "masyarakat: the scale data set needs PostgreSQL "
            "(generate_series); SQLite is not supported."
        )
    target = max(1, round(SCALE_FULL * factor))
    with transaction.atomic():
        with connection.cursor() as cursor:  # real submissions wait until we commit
            cursor.execute(f"LOCK TABLE {Sequence._meta.db_table} IN EXCLUSIVE MODE")
        have = Ticket.objects.filter(title__startswith=SCALE_MARK).count()
        if have >= target:
            log(f"masyarakat: {have} scale tickets already there (target {target})")
            return
        categories = list(
            Category.objects.filter(is_active=True)
            .order_by("pk")
            .values_list("pk", "agency_id", "sla_days")
        )
        if not categories:
            from .demo import seed

            seed(log)  # the demo categories (is_demo), idempotent
            categories = list(
                Category.objects.filter(is_active=True)
                .order_by("pk")
                .values_list("pk", "agency_id", "sla_days")
            )
        villages = list(village_list().values_list("pk", flat=True))
        reporters = list(
            User.objects.filter(is_active=True, groups__name=roles.WARGA)
            .order_by("-is_demo", "pk")
            .values_list("pk", flat=True)[:50]
        )
        if not (categories and villages and reporters):
            raise CommandError(
                "masyarakat: categories, kelurahan or citizens missing; "
                "run `manage.py seed_demo` first."
            )
        states = _scale_weighted(SCALE_STATES)
        t = connection.ops.quote_name(Sequence._meta.db_table)
        local = "(s.ts AT TIME ZONE %(tz)s)::date"
        working = "s.st IN ('assigned', 'in_progress', 'need_info', 'resolved', 'closed')"
        done = "s.st IN ('resolved', 'closed')"
        sla = "(%(sla)s::int[])[s.ci]"
        resolved_at = f"LEAST(now(), s.ts + s.r * {sla} * interval '2 days')"
        due = f"({local} + ceil({sla} * 1.4)::int)"  # working days ≈ 7/5 calendar days
        with_sql = f"""
        WITH drawn AS MATERIALIZED (
            SELECT g, random() AS r, 1 + floor(random() * %(ncat)s)::int AS ci,
                   (%(states)s::text[])[1 + floor(random() * %(nstates)s)::int] AS st
            FROM generate_series(1, %(n)s) AS g),
        base AS MATERIALIZED (  -- open tickets are recent, closed ones span the year
            SELECT drawn.*, now() - random() * CASE WHEN st = ANY(%(open)s::text[])
                THEN interval '45 days' ELSE interval '365 days' END AS ts
            FROM drawn),
        s AS MATERIALIZED (
            SELECT base.*, extract(year FROM ts AT TIME ZONE %(tz)s)::int AS yr,
                   row_number() OVER (PARTITION BY extract(year FROM ts AT TIME ZONE %(tz)s)
                                      ORDER BY ts, g) AS rn
            FROM base),
        counters AS (
            INSERT INTO {t} (key, year, last) SELECT %(seq)s, yr, count(*) FROM s GROUP BY yr
            ON CONFLICT (key, year) DO UPDATE SET last = {t}.last + EXCLUDED.last RETURNING 1)"""  # noqa: S608 (model table names)
        number = "coalesce(c.last, 0) + s.rn"
        exprs = {
            "number": f"'ADU-' || s.yr || '-' || lpad(({number})::text, "
            f"greatest(6, length(({number})::text)), '0')",
            "category_id": "(%(cats)s::bigint[])[s.ci]",
            "title": "%(mark)s || (%(titles)s::text[])[1 + s.g %% %(ntitles)s]",
            "description": "'Laporan warga untuk uji skala (data demo), urutan ' || s.g",
            "kelurahan_id": "(%(villages)s::bigint[])[1 + (s.g * 7) %% %(nvillages)s]",
            "address": "'Jl. Demo Skala No. ' || (1 + s.g %% 250)",
            "lat": "round((3.565 + s.r * 0.075)::numeric, 6)",
            "lng": "round((98.455 + ((s.g * 37) %% 1000) * 0.00006)::numeric, 6)",
            "attributes": "'{}'::jsonb",
            "reporter_id": "(%(reporters)s::bigint[])[1 + s.g %% %(nreporters)s]",
            "show_name": "(s.g %% 3 = 0)",
            "confidential": "false",
            "status": "s.st",
            "agency_id": f"CASE WHEN {working} THEN (%(agencies)s::bigint[])[s.ci] END",
            "assigned_on": f"CASE WHEN {working} THEN {local} + 1 END",
            "sla_due": f"CASE WHEN {working} THEN {due} END",
            "sla_paused_on": f"CASE WHEN s.st = 'need_info' THEN {local} + 2 END",
            "status_notes": "''",
            "resolution": f"CASE WHEN {done} THEN 'Sudah ditangani petugas.' ELSE '' END",
            "resolved_at": f"CASE WHEN {done} THEN {resolved_at} END",
            "resolved_on_time": f"CASE WHEN {done} THEN "
            f"({resolved_at} AT TIME ZONE %(tz)s)::date <= {due} END",
            "resolution_days": f"CASE WHEN {done} THEN ceil(s.r * {sla} * 2 * 5 / 7.0)::int END",
            "closed_at": f"CASE WHEN s.st = 'closed' THEN "
            f"LEAST(now(), {resolved_at} + interval '3 days') END",
            "rating": "CASE WHEN s.st = 'closed' AND s.g %% 5 < 3 THEN 1 + s.g %% 5 + "
            "(s.g %% 7 > 2)::int END",
            "rating_comment": "''",
            "me_too_count": "(s.g %% 4)",
            "created_at": "s.ts",
            "updated_at": "s.ts",
            "is_demo": "true",
        }
        add = target - have
        params = {
            "n": add,
            "seq": sequences.TICKET,
            "tz": settings.TIME_ZONE,
            "states": states,
            "nstates": len(states),
            "open": list(Ticket.OPEN_STATES),
            "ncat": len(categories),
            "cats": [c[0] for c in categories],
            "agencies": [c[1] for c in categories],
            "sla": [c[2] for c in categories],
            "mark": SCALE_MARK,
            "titles": list(SCALE_TITLES),
            "ntitles": len(SCALE_TITLES),
            "villages": villages,
            "nvillages": len(villages),
            "reporters": reporters,
            "nreporters": len(reporters),
        }
        made = scale_insert(
            Ticket,
            exprs,
            f"FROM s LEFT JOIN {t} AS c ON c.key = %(seq)s AND c.year = s.yr",
            params,
            with_sql,
        )
    log(f"masyarakat: {made} scale tickets added ({have + made} of {target})")


def _scale_weighted(states) -> list[str]:
    return [s for s, weight in states for _ in range(weight)]
