"""e-Budgeting's share of the city-scale data set for the benchmarks (issue 9, "Speed at
city scale"): registered with `kpi.scale_generator`, run by
`manage.py generate_scale_data`. The figures themselves are in metrics.py."""

from __future__ import annotations

from binjai_portal.core import kpi
from binjai_portal.core.scale import scale_insert

from .models import Line

# `manage.py generate_scale_data --factor F` calls this: factor 1.0 is 200,000 budget
# lines. PostgreSQL only (one INSERT ... SELECT ... FROM generate_series; SQLite is refused
# with a message). The factor is a target, so re-running is safe: lines already generated
# (description starting with SCALE_MARK) count towards it and only the difference is
# added. Each scale line copies the account, price item, unit and price of one of the
# existing lines (the demo RKA are seeded when there are none) with a varied volume, and
# is spread over the existing activities, so totals stay consistent (price × volume).
# Lines have no dates, no demo flag (SCALE_MARK marks them) and no counter; no
# simple_history rows or StatusChange rows are written for them. They inflate the demo
# budgets far past their ceilings: the set exists to measure the pages, not to be worked.

SCALE_FULL = 200_000
SCALE_MARK = "[DEMO-SKALA] "


@kpi.scale_generator("budgeting", order=70)
def scale_generate(factor: float, log) -> None:
    from django.core.management.base import CommandError
    from django.db import connection, transaction

    from .models import Activity

    if connection.vendor != "postgresql":
        raise CommandError(
            "budgeting: the scale data set needs PostgreSQL "
            "(generate_series); SQLite is not supported."
        )
    target = max(1, round(SCALE_FULL * factor))
    with transaction.atomic():
        have = Line.objects.filter(description__startswith=SCALE_MARK).count()
        if have >= target:
            log(f"budgeting: {have} scale budget lines already there (target {target})")
            return
        templates = (
            Line.objects.exclude(description__startswith=SCALE_MARK)
            .order_by("pk")
            .values_list(
                "account_id", "price_item_id", "description", "unit", "unit_price", "standard"
            )[:50]
        )
        if not templates:
            from .demo import seed

            seed(log)  # the demo fiscal year, price list and RKA (is_demo), idempotent
        templates = list(templates.all())
        activities = list(Activity.objects.order_by("pk").values_list("pk", flat=True))
        if not (templates and activities):
            raise CommandError(
                "budgeting: no activities or budget lines to model the scale "
                "lines on; run `manage.py seed_demo` first."
            )
        with_sql = """
        WITH s AS MATERIALIZED (
            SELECT g, 1 + floor(random() * %(ntemplates)s)::int AS ti,
                   (1 + floor(random() * 200))::numeric AS vol
            FROM generate_series(1, %(n)s) AS g)"""
        price = "(%(prices)s::numeric[])[s.ti]"
        exprs = {
            "activity_id": "(%(activities)s::bigint[])[1 + s.g %% %(nactivities)s]",
            "account_id": "(%(accounts)s::bigint[])[s.ti]",
            "price_item_id": "(%(items)s::bigint[])[s.ti]",
            "description": "%(mark)s || (%(descriptions)s::text[])[s.ti]",
            "specification": "''",
            "unit": "(%(units)s::text[])[s.ti]",
            "unit_price": price,
            "factors": "jsonb_build_array(jsonb_build_object('qty', s.vol::text, "
            "'unit', (%(units)s::text[])[s.ti]))",
            "volume": "s.vol",
            "volume_unit": "(%(units)s::text[])[s.ti]",
            "total": f"round({price} * s.vol, 2)",
            "standard": "(%(standards)s::text[])[s.ti]",
            "justification": "CASE WHEN (%(standards)s::text[])[s.ti] <> 'standard' "
            "THEN 'Data uji skala (demo).' ELSE '' END",
            "review_note": "''",
            "source_id": "NULL",
        }
        params = {
            "n": target - have,
            "ntemplates": len(templates),
            "accounts": [t[0] for t in templates],
            "items": [t[1] for t in templates],
            "descriptions": [t[2].removeprefix("[DEMO] ") for t in templates],
            "units": [t[3] for t in templates],
            "prices": [t[4] for t in templates],
            "standards": [t[5] for t in templates],
            "mark": SCALE_MARK,
            "activities": activities,
            "nactivities": len(activities),
        }
        made = scale_insert(Line, exprs, "FROM s", params, with_sql)
    log(f"budgeting: {made} scale budget lines added ({have + made} of {target})")
