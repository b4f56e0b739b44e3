"""e-Musrenbang's share of the city-scale data set for the benchmarks (issue 9, "Speed at
city scale"): registered with `kpi.scale_generator`, run by
`manage.py generate_scale_data`. The figures themselves are in metrics.py."""

from __future__ import annotations

from binjai_portal.core import kpi
from binjai_portal.core.scale import scale_insert

from .models import Proposal

# `manage.py generate_scale_data --factor F` calls this: factor 1.0 is 100,000 proposals.
# PostgreSQL only (one INSERT ... SELECT ... FROM generate_series; SQLite is refused with
# a message). The factor is a target, so re-running is safe: proposals already generated
# (title starting with SCALE_MARK) count towards it and only the difference is added.
# They go into the newest cycle (a demo cycle is seeded when there is none); references
# continue the plan year's core.Sequence row, moved past them while that row is locked,
# so later real submissions carry on after them. Scale rows are demo rows (is_demo) with
# statuses spread over the workflow (not merged or carried over, which need a partner
# row), created over the past 365 days; they get no StatusChange history, supports,
# flags or photos.

SCALE_FULL = 100_000
SCALE_MARK = "[DEMO-SKALA] "
SCALE_TITLES = (
    "Pengaspalan jalan lingkungan",
    "Perbaikan drainase",
    "Lampu penerangan jalan",
    "Rehabilitasi posyandu",
    "Pelatihan UMKM",
    "Sumur bor air bersih",
    "Pembangunan jembatan kecil",
    "Taman bermain anak",
    "Bank sampah",
    "Pelatihan kader PKK",
)
SCALE_STATES = (
    ("submitted", 14),
    ("returned", 4),
    ("rejected", 8),
    ("verified", 12),
    ("ranked_kelurahan", 10),
    ("forwarded_kecamatan", 10),
    ("ranked_kecamatan", 8),
    ("forwarded_city", 8),
    ("accepted", 8),
    ("not_accepted", 8),
    ("funded", 6),
    ("completed", 2),
    ("draft", 2),
)
SCALE_AGENCY_STATES = ("forwarded_city", "accepted", "not_accepted", "funded", "completed")


@kpi.scale_generator("musrenbang", order=50)
def scale_generate(factor: float, log) -> None:
    from django.conf import settings
    from django.core.management.base import CommandError
    from django.db import connection, transaction

    from binjai_portal.accounts import roles
    from binjai_portal.accounts.models import Unit, User
    from binjai_portal.core import sequences
    from binjai_portal.core.models import Urusan
    from binjai_portal.core.regions import village_list
    from binjai_portal.core.sequences import sequence_advance

    from .models import Cycle

    if connection.vendor != "postgresql":
        raise CommandError(
            "musrenbang: the scale data set needs PostgreSQL "
            "(generate_series); SQLite is not supported."
        )
    target = max(1, round(SCALE_FULL * factor))
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().order_by("-plan_year").first()
        if cycle is None:
            from .demo import seed

            seed(log)  # a demo cycle (is_demo), idempotent
            cycle = Cycle.objects.select_for_update().order_by("-plan_year").first()
        # by=0 only locks the year's numbering: real submissions wait until we commit.
        last = sequence_advance(key=sequences.PROPOSAL, year=cycle.plan_year, by=0)
        have = Proposal.objects.filter(title__startswith=SCALE_MARK).count()
        if have >= target:
            log(f"musrenbang: {have} scale proposals already there (target {target})")
            return
        bidang = list(
            Urusan.objects.filter(level="bidang").order_by("pk").values_list("pk", flat=True)
        )
        agencies = list(
            Unit.objects.filter(kind=roles.OPD).order_by("pk").values_list("pk", flat=True)
        )
        villages = list(village_list().values_list("pk", flat=True))
        proposers = list(
            User.objects.filter(is_active=True, groups__name=roles.WARGA)
            .order_by("-is_demo", "pk")
            .values_list("pk", flat=True)[:50]
        )
        if not (cycle and bidang and agencies and villages and proposers):
            raise CommandError(
                "musrenbang: cycle, bidang, agencies, kelurahan or citizens "
                "missing; run `manage.py seed_demo` first."
            )
        states = [s for s, weight in SCALE_STATES for _ in range(weight)]
        with_sql = """
        WITH s AS MATERIALIZED (
            SELECT g, now() - random() * interval '365 days' AS ts, random() AS r,
                   (%(states)s::text[])[1 + floor(random() * %(nstates)s)::int] AS st
            FROM generate_series(1, %(n)s) AS g)"""
        number = "(%(last)s + s.g)"
        exprs = {
            "cycle_id": "%(cycle)s",
            "reference": f"%(year)s || '-' || lpad({number}::text, "
            f"greatest(5, length({number}::text)), '0')",
            "title": "%(mark)s || (%(titles)s::text[])[1 + s.g %% %(ntitles)s]",
            "problem": "'Permasalahan warga untuk uji skala (data demo), urutan ' || s.g",
            "activity": "'Kegiatan yang diusulkan untuk uji skala (data demo).'",
            "category_id": "(%(bidang)s::bigint[])[1 + s.g %% %(nbidang)s]",
            "agency_id": "CASE WHEN s.st = ANY(%(agency_states)s::text[]) THEN "
            "(%(agencies)s::bigint[])[1 + (s.g * 3) %% %(nagencies)s] END",
            "program": "''",
            "kelurahan_id": "(%(villages)s::bigint[])[1 + (s.g * 7) %% %(nvillages)s]",
            "rt": "lpad((1 + s.g %% 15)::text, 3, '0')",
            "rw": "lpad((1 + s.g %% 8)::text, 3, '0')",
            "address": "'Jl. Demo Skala No. ' || (1 + s.g %% 250)",
            "latitude": "round((3.565 + s.r * 0.075)::numeric, 6)",
            "longitude": "round((98.455 + ((s.g * 37) %% 1000) * 0.00006)::numeric, 6)",
            "volume": "(1 + s.g %% 500)::numeric",
            "volume_unit": "(ARRAY['m', 'unit', 'paket', 'orang'])[1 + s.g %% 4]",
            "estimated_cost": "round((5000000 + s.r * 495000000)::numeric, -3)",
            "beneficiaries": "(10 + s.g %% 990)",
            "proposer_id": "(%(proposers)s::bigint[])[1 + s.g %% %(nproposers)s]",
            "show_proposer_name": "(s.g %% 3 = 0)",
            "status": "s.st",
            "rank_kelurahan": "CASE WHEN s.st NOT IN ('draft', 'submitted', 'returned', "
            "'rejected', 'verified') THEN 1 + s.g %% 10 END",
            "decision_note": "''",
            "budget_reference": "''",
            "support_count": "(s.g %% 25)",
            "flag_count": "0",
            "is_hidden": "false",
            "is_demo": "true",
            "created_at": "s.ts",
            "submitted_at": "CASE WHEN s.st <> 'draft' THEN s.ts + interval '1 hour' END",
            "updated_at": "s.ts",
        }
        add = target - have
        params = {
            "n": add,
            "tz": settings.TIME_ZONE,
            "states": states,
            "nstates": len(states),
            "cycle": cycle.pk,
            "year": str(cycle.plan_year),
            "last": last,
            "mark": SCALE_MARK,
            "titles": list(SCALE_TITLES),
            "ntitles": len(SCALE_TITLES),
            "bidang": bidang,
            "nbidang": len(bidang),
            "agencies": agencies,
            "nagencies": len(agencies),
            "agency_states": list(SCALE_AGENCY_STATES),
            "villages": villages,
            "nvillages": len(villages),
            "proposers": proposers,
            "nproposers": len(proposers),
        }
        made = scale_insert(Proposal, exprs, "FROM s", params, with_sql)
        sequence_advance(key=sequences.PROPOSAL, year=cycle.plan_year, by=made)
    log(
        f"musrenbang: {made} scale proposals added ({have + made} of {target}, "
        f"cycle {cycle.plan_year})"
    )
