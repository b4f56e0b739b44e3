"""Demo data that tells a believable story (rows marked is_demo; idempotent):

- last year's cycle (plan year = this year) is finished: proposals went through the
  kelurahan and kecamatan forums (with ranks) to the RKPD; most were accepted, some not;
  e-Budgeting's demo then funds them, records realisation month by month and completes
  some (budgeting/demo.py); one accepted but unfunded proposal is carried over;
- this year's cycle (plan year = next year) is in intake: drafts, submitted, returned,
  verified, rejected and merged proposals only; nothing of it is accepted or done.

Map points lie around an approximate centre of each kelurahan, jittered: the kelurahan
have no shipped boundaries, so the centres are demo approximations, not survey data."""

from __future__ import annotations

import datetime
import hashlib
import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from binjai_portal.accounts.models import Unit, User
from binjai_portal.core.models import Urusan
from binjai_portal.core.regions import village_list
from binjai_portal.core.workflow import transition

from . import services
from .models import Cycle, Proposal, Status, Support
from .workflows import PROPOSAL

TITLES = [
    ("Perbaikan drainase lingkungan", "1.03", "meter", 150),
    ("Pengaspalan jalan gang", "1.03", "meter", 200),
    ("Lampu penerangan jalan umum", "1.04", "titik", 12),
    ("Posyandu balita dan lansia", "1.02", "paket", 1),
    ("Pelatihan menjahit ibu-ibu PKK", "2.07", "orang", 25),
    ("Bak sampah terpilah", "2.11", "unit", 20),
    ("Rehabilitasi ruang kelas SD", "1.01", "ruang", 2),
    ("Pos ronda", "1.05", "unit", 1),
]
STEPS = {
    Status.DRAFT: [],
    Status.SUBMITTED: ["submit"],
    Status.RETURNED: ["submit", "return"],
    Status.REJECTED: ["submit", "reject"],
    Status.MERGED: ["submit", "merge"],
    Status.VERIFIED: ["submit", "verify"],
    Status.RANKED_KELURAHAN: ["submit", "verify", "rank_kelurahan"],
}
STEPS[Status.FORWARDED_KECAMATAN] = [*STEPS[Status.RANKED_KELURAHAN], "forward_kecamatan"]
STEPS[Status.RANKED_KECAMATAN] = [*STEPS[Status.FORWARDED_KECAMATAN], "rank_kecamatan"]
STEPS[Status.FORWARDED_CITY] = [*STEPS[Status.RANKED_KECAMATAN], "forward_city"]
STEPS[Status.ACCEPTED] = [*STEPS[Status.FORWARDED_CITY], "accept"]
STEPS[Status.NOT_ACCEPTED] = [*STEPS[Status.FORWARDED_CITY], "not_accept"]
NOTES = {
    "return": "Lengkapi foto lokasi dan RT/RW.",
    "reject": "Bukan kewenangan pemerintah kota.",
    "merge": "Sama dengan usulan lain di kelurahan ini.",
    "not_accept": "Pagu indikatif tidak mencukupi tahun ini.",
}


def _actors():
    demo = {
        u.unit.code if u.unit_id else u.full_name: u
        for u in User.objects.filter(is_demo=True).select_related("unit")
    }
    admin = User.objects.filter(is_demo=True, is_superuser=True).first()
    return demo, admin


def _walk(
    p: Proposal, status: str, demo: dict, admin, opd: list[Unit], keep_submitted: bool = False
) -> None:
    for action in STEPS[status]:
        if action in ("submit", "carry_over"):
            actor = p.proposer
        elif action in (
            "verify",
            "return",
            "reject",
            "merge",
            "rank_kelurahan",
            "forward_kecamatan",
        ):
            actor = demo.get(f"kelurahan-{p.kelurahan.code.replace('.', '-')}", admin)
        elif action in ("rank_kecamatan", "forward_city"):
            actor = demo.get(f"kecamatan-{p.kelurahan.parent.code.replace('.', '-')}", admin)
        else:
            actor = demo.get("bappeda", admin)
        extra = []
        if action == "accept":
            p.agency, p.program = opd[p.pk % len(opd)], "[DEMO] Program Pembangunan Lingkungan"
            extra = ["agency", "program"]
        if action in ("return", "reject", "not_accept", "merge"):
            p.decision_note = NOTES[action]
            extra.append("decision_note")
        if action == "submit" and not keep_submitted:
            p.submitted_at = timezone.now()
            extra.append("submitted_at")
        transition(
            p,
            workflow=PROPOSAL,
            action=action,
            actor=actor,
            note=NOTES.get(action, ""),
            extra_fields=extra,
        )


# Approximate centres of the kecamatan, for demo map points only (not survey data).
KECAMATAN_CENTRES = {
    "12.75.01": (3.640, 98.492),
    "12.75.02": (3.600, 98.487),
    "12.75.03": (3.608, 98.462),
    "12.75.04": (3.603, 98.515),
    "12.75.05": (3.565, 98.488),
}
# The agency that takes up each bidang of the demo titles (budgeting/demo.py's agencies).
AGENCY_OF = {
    "1.03": "dpupr",
    "1.04": "dpupr",
    "1.02": "dinkes",
    "2.07": "dinsos",
    "2.11": "dlh",
    "1.01": "disdik",
    "1.05": "satpolpp",
}
CURRENT_STATES = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.SUBMITTED,
    Status.RETURNED,
    Status.VERIFIED,
    Status.SUBMITTED,
    Status.REJECTED,
    Status.VERIFIED,
    Status.MERGED,
    Status.DRAFT,
]
PAST_STATES = [
    Status.ACCEPTED,
    Status.ACCEPTED,
    Status.NOT_ACCEPTED,
    Status.ACCEPTED,
    Status.REJECTED,
    Status.ACCEPTED,
    Status.ACCEPTED,
    Status.NOT_ACCEPTED,
    Status.ACCEPTED,
    Status.MERGED,
    Status.ACCEPTED,
    Status.ACCEPTED,
]


def _point(village, rng: random.Random) -> tuple[Decimal, Decimal]:
    """A point near the village's own (demo) centre inside its kecamatan, jittered."""
    lat0, lng0 = KECAMATAN_CENTRES.get(village.parent.code, settings.MAP_CENTER)
    h = int(hashlib.sha256(village.code.encode()).hexdigest()[:8], 16)
    lat = lat0 + ((h % 1000) / 1000 - 0.5) * 0.018 + rng.uniform(-0.0025, 0.0025)
    lng = lng0 + (((h // 1000) % 1000) / 1000 - 0.5) * 0.018 + rng.uniform(-0.0025, 0.0025)
    return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")


def _data(i: int, village, bidang: dict, rng: random.Random) -> tuple[dict, str]:
    title, code, unit, volume = TITLES[i % len(TITLES)]
    rt = f"{rng.randint(1, 12):03d}"
    lat, lng = _point(village, rng)
    cost = Decimal(rng.randrange(25, 420) * 1_000_000)
    return (
        {
            "title": f"{title} RT {rt} {village.name}",
            "problem": "Warga mengeluhkan kondisi yang sudah lama rusak atau belum tersedia.",
            "activity": f"{title} di lingkungan RT {rt}.",
            "category": bidang.get(code) or next(iter(bidang.values())),
            "kelurahan": village,
            "rt": rt,
            "rw": f"{rng.randint(1, 6):03d}",
            "address": f"Jl. Demo {i + 1}",
            "latitude": lat,
            "longitude": lng,
            "volume": Decimal(volume),
            "volume_unit": unit,
            "estimated_cost": cost,
            "beneficiaries": rng.randint(40, 900),
            "show_proposer_name": i % 3 == 0,
        },
        code,
    )


def _walk_past(p: Proposal, status: str, demo: dict, admin, agency, when, position: int):
    """Take a past-cycle proposal to its final state with forum ranks, dated in its cycle."""
    steps = STEPS[status]
    for action in steps:
        if action == "rank_kelurahan":
            p.rank_kelurahan = position
        if action == "rank_kecamatan":
            p.rank_kecamatan = position
    p.submitted_at = when
    p.save(update_fields=["submitted_at", "rank_kelurahan", "rank_kecamatan"])
    _walk(p, status, demo, admin, [agency], keep_submitted=True)


@transaction.atomic
def seed(log) -> None:
    if Proposal.objects.filter(is_demo=True).exists():
        log("musrenbang: demo proposals already there")
        return
    demo, admin = _actors()
    proposer = User.objects.filter(is_demo=True, groups__name="warga").first()
    villages = list(village_list().select_related("parent"))
    bidang = {u.code: u for u in Urusan.objects.filter(level="bidang")}
    units = {u.code: u for u in Unit.objects.filter(kind="opd")}
    if not (proposer and admin and villages and bidang and units):
        log("musrenbang: regions, bidang, units or demo users missing; skipped")
        return
    rng = random.Random(19)  # the same demo every time
    today = timezone.localdate()
    d = datetime.timedelta
    cycle = Cycle.objects.filter(plan_year=today.year + 1).first() or services.cycle_create(
        plan_year=today.year + 1,
        kelurahan_opens=today - d(days=30),
        kelurahan_closes=today + d(days=30),
        kecamatan_opens=today + d(days=31),
        kecamatan_closes=today + d(days=60),
        city_opens=today + d(days=61),
        city_closes=today + d(days=90),
        is_demo=True,
    )
    past = Cycle.objects.filter(plan_year=today.year).first() or services.cycle_create(
        plan_year=today.year,
        kelurahan_opens=datetime.date(today.year - 1, 1, 5),
        kelurahan_closes=datetime.date(today.year - 1, 2, 5),
        kecamatan_opens=datetime.date(today.year - 1, 2, 10),
        kecamatan_closes=datetime.date(today.year - 1, 3, 10),
        city_opens=datetime.date(today.year - 1, 3, 15),
        city_closes=datetime.date(today.year - 1, 4, 15),
        is_demo=True,
    )
    supporters = list(User.objects.filter(is_demo=True).exclude(pk=proposer.pk)[:6])

    def support(p, i):
        fans = supporters[: i % (len(supporters) + 1)]
        Support.objects.bulk_create([Support(proposal=p, user=u) for u in fans])
        Proposal.objects.filter(pk=p.pk).update(support_count=len(fans))

    # Last year's cycle: finished at the city forum; e-Budgeting's demo funds the accepted.
    done_past = []
    for i in range(24):
        village = villages[(i * 5 + 2) % len(villages)]
        data, code = _data(i, village, bidang, rng)
        status = PAST_STATES[i % len(PAST_STATES)]
        p = services.proposal_create(proposer=proposer, cycle=past, data=data, is_demo=True)
        if status == Status.MERGED and done_past:
            p.duplicate_of = done_past[0]
            p.save(update_fields=["duplicate_of"])
        agency = units.get(AGENCY_OF.get(code, "dpupr")) or next(iter(units.values()))
        when = timezone.make_aware(
            datetime.datetime.combine(past.kelurahan_opens + d(days=i % 28), datetime.time(9))
        )
        _walk_past(p, status, demo, admin, agency, when, position=i % 6 + 1)
        support(p, i)
        done_past.append(p)
    # One accepted proposal was not funded: its proposer carries it into this cycle.
    left = next(p for p in done_past if p.status == Status.ACCEPTED and p.agency.code == "satpolpp")
    services.proposal_carry_over(
        proposal=Proposal.objects.get(pk=left.pk), actor=proposer, cycle=cycle
    )

    # This year's cycle: intake is open, nothing decided beyond the kelurahan's check.
    made = []
    for i in range(40):
        village = villages[(i * 7) % len(villages)]
        data, _code = _data(i + 100, village, bidang, rng)
        status = CURRENT_STATES[i % len(CURRENT_STATES)]
        p = services.proposal_create(proposer=proposer, cycle=cycle, data=data, is_demo=True)
        if status == Status.MERGED and made:
            p.duplicate_of = made[0]
            p.save(update_fields=["duplicate_of"])
        _walk(p, status, demo, admin, list(units.values()))
        made.append(p)
        if status != Status.DRAFT:
            support(p, i)
    log(
        f"musrenbang: cycles {past.plan_year} (finished) and {cycle.plan_year} (intake open), "
        f"{Proposal.objects.filter(is_demo=True).count()} demo proposals"
    )
