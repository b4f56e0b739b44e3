"""Demo data: an open cycle with about 40 proposals across all kecamatan in every state,
plus last year's cycle with one proposal carried over. Idempotent; rows marked is_demo."""

from __future__ import annotations

import datetime
from decimal import Decimal

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
STEPS[Status.FUNDED] = [*STEPS[Status.ACCEPTED], "fund"]
STEPS[Status.COMPLETED] = [*STEPS[Status.FUNDED], "complete"]
NOTES = {
    "return": "Lengkapi foto lokasi dan RT/RW.",
    "reject": "Bukan kewenangan pemerintah kota.",
    "merge": "Sama dengan usulan lain di kelurahan ini.",
    "not_accept": "Pagu indikatif tidak mencukupi tahun ini.",
    "fund": "DPA-DEMO-001",
}


def _actors():
    demo = {
        u.unit.code if u.unit_id else u.full_name: u
        for u in User.objects.filter(is_demo=True).select_related("unit")
    }
    admin = User.objects.filter(is_demo=True, is_superuser=True).first()
    return demo, admin


def _walk(p: Proposal, status: str, demo: dict, admin, opd: list[Unit]) -> None:
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
        elif action == "fund":
            actor = demo.get("bpkad", admin)
        else:
            actor = demo.get("bappeda", admin)
        extra = []
        if action == "accept":
            p.agency, p.program = opd[p.pk % len(opd)], "Program Pembangunan Lingkungan"
            extra = ["agency", "program"]
        if action in ("return", "reject", "not_accept", "merge"):
            p.decision_note = NOTES[action]
            extra.append("decision_note")
        if action == "fund":
            p.budget_reference = NOTES["fund"]
            extra.append("budget_reference")
        if action == "submit":
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


@transaction.atomic
def seed(log) -> None:
    if Proposal.objects.filter(is_demo=True).exists():
        log("musrenbang: demo proposals already there")
        return
    demo, admin = _actors()
    proposer = User.objects.filter(is_demo=True, groups__name="warga").first()
    villages = list(village_list())
    bidang = {u.code: u for u in Urusan.objects.filter(level="bidang")}
    opd = list(Unit.objects.filter(kind="opd").order_by("code"))
    if not (proposer and admin and villages and bidang and opd):
        log("musrenbang: regions, bidang, units or demo users missing; skipped")
        return
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
    states = [s for s in STEPS]
    made = []
    for i in range(40):
        # Every kecamatan: step through the villages so all five appear.
        village = villages[(i * 7) % len(villages)]
        title, code, unit, volume = TITLES[i % len(TITLES)]
        status = states[i % len(states)]
        data = {
            "title": f"{title} RT {i % 9 + 1:03d} {village.name}",
            "problem": "Warga mengeluhkan kondisi yang sudah lama rusak atau belum tersedia.",
            "activity": f"{title} di lingkungan RT {i % 9 + 1:03d}.",
            "category": bidang.get(code) or next(iter(bidang.values())),
            "kelurahan": village,
            "rt": f"{i % 9 + 1:03d}",
            "rw": f"{i % 4 + 1:03d}",
            "address": f"Jl. Demo {i + 1}",
            "latitude": Decimal("3.5700") + Decimal(i % 8) * Decimal("0.0090"),
            "longitude": Decimal("98.4600") + Decimal(i // 8) * Decimal("0.0110"),
            "volume": Decimal(volume),
            "volume_unit": unit,
            "estimated_cost": Decimal(25_000_000 + (i % 10) * 35_000_000),
            "beneficiaries": 50 + i * 13,
            "show_proposer_name": i % 3 == 0,
        }
        p = services.proposal_create(proposer=proposer, cycle=cycle, data=data, is_demo=True)
        if status == Status.MERGED and made:
            p.duplicate_of = made[0]
            p.save(update_fields=["duplicate_of"])
        _walk(p, status, demo, admin, opd)
        made.append(p)
        if status != Status.DRAFT:
            fans = supporters[: i % (len(supporters) + 1)]
            Support.objects.bulk_create([Support(proposal=p, user=u) for u in fans])
            Proposal.objects.filter(pk=p.pk).update(support_count=len(fans))
    # Last year's cycle: one completed, one accepted but unfunded carried into this year.
    old_data = {**data, "title": "Perbaikan jembatan penyeberangan", "kelurahan": villages[0]}
    done = services.proposal_create(proposer=proposer, cycle=past, data=old_data, is_demo=True)
    _walk(done, Status.COMPLETED, demo, admin, opd)
    left = services.proposal_create(
        proposer=proposer,
        cycle=past,
        data={**old_data, "title": "Taman bermain anak"},
        is_demo=True,
    )
    _walk(left, Status.ACCEPTED, demo, admin, opd)
    services.proposal_carry_over(
        proposal=Proposal.objects.get(pk=left.pk), actor=proposer, cycle=cycle
    )
    log(
        f"musrenbang: cycles {past.plan_year} and {cycle.plan_year}, "
        f"{Proposal.objects.filter(is_demo=True).count()} demo proposals"
    )
