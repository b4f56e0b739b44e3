"""Demo data: a fiscal year, a demo price list, demo accounts and programs (all marked
[DEMO] and is_demo — not official codes), RKA of five agencies in every workflow state,
and some realisation. Idempotent."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from binjai_portal.accounts.models import Unit, User
from binjai_portal.core.codetree import code_tree_load
from binjai_portal.core.models import Urusan

from . import services
from .models import Account, AgencyBidang, Budget, FiscalYear, Nomenclature

ACCOUNTS = [  # (code, name, level, parent) — demo codes 9x, marked in the name
    ("5.1.02.91", "[DEMO] Belanja Barang Pakai Habis", "objek", "5.1.02"),
    ("5.1.02.91.01", "[DEMO] Belanja Alat Tulis dan Bahan", "rincian", "5.1.02.91"),
    ("5.1.02.91.01.0001", "[DEMO] Alat Tulis Kantor", "sub_rincian", "5.1.02.91.01"),
    ("5.1.02.91.01.0002", "[DEMO] Makanan dan Minuman Rapat", "sub_rincian", "5.1.02.91.01"),
    ("5.1.02.92", "[DEMO] Belanja Jasa", "objek", "5.1.02"),
    ("5.1.02.92.01", "[DEMO] Honorarium", "rincian", "5.1.02.92"),
    ("5.1.02.92.01.0001", "[DEMO] Honorarium Narasumber", "sub_rincian", "5.1.02.92.01"),
    ("5.2.04.91", "[DEMO] Belanja Modal Jalan dan Saluran", "objek", "5.2.04"),
    ("5.2.04.91.01", "[DEMO] Saluran Drainase", "rincian", "5.2.04.91"),
    ("5.2.04.91.01.0001", "[DEMO] Konstruksi Saluran Beton", "sub_rincian", "5.2.04.91.01"),
]
# agency, bidang, ceiling, target state
AGENCIES = [
    ("dpupr", "1.03", 900_000_000, Budget.Status.LOCKED),
    ("dinkes", "1.02", 250_000_000, Budget.Status.APPROVED),
    ("dlh", "2.11", 150_000_000, Budget.Status.VERIFIED),
    ("satpolpp", "1.05", 120_000_000, Budget.Status.RETURNED),
    ("disdik", "1.01", 200_000_000, Budget.Status.SUBMITTED),
    ("dinsos", "1.06", 100_000_000, Budget.Status.DRAFT),
]
STEPS = {
    Budget.Status.DRAFT: [],
    Budget.Status.SUBMITTED: ["submit"],
    Budget.Status.RETURNED: ["submit", "review", "return"],
    Budget.Status.VERIFIED: ["submit", "review", "verify"],
    Budget.Status.APPROVED: ["submit", "verify", "approve"],
    Budget.Status.LOCKED: ["submit", "verify", "approve", "lock"],
}
ITEMS = [  # code, name, spec, unit, price, kind, account
    ("DEMO-SSH-001", "[DEMO] Kertas HVS", "A4 80 gram", "rim", "58000", "ssh", "5.1.02.91.01.0001"),
    (
        "DEMO-SSH-002",
        "[DEMO] Snack rapat",
        "per orang",
        "kotak",
        "25000",
        "ssh",
        "5.1.02.91.01.0002",
    ),
    (
        "DEMO-ASB-001",
        "[DEMO] Honor narasumber",
        "per jam",
        "OJ",
        "900000",
        "asb",
        "5.1.02.92.01.0001",
    ),
    (
        "DEMO-HSPK-001",
        "[DEMO] Saluran beton U-ditch",
        "40x40 cm",
        "m",
        "1250000",
        "hspk",
        "5.2.04.91.01.0001",
    ),
]


def _nomenclature(bidang: Urusan) -> Nomenclature:
    code = f"{bidang.code}.91"
    program, _c = Nomenclature.objects.get_or_create(
        code=code,
        defaults={
            "name": f"[DEMO] Program {bidang.name}",
            "level": "program",
            "bidang": bidang,
            "is_demo": True,
        },
    )
    kegiatan, _c = Nomenclature.objects.get_or_create(
        code=f"{code}.1.01",
        defaults={
            "name": f"[DEMO] Kegiatan layanan {bidang.name}",
            "level": "kegiatan",
            "parent": program,
            "bidang": bidang,
            "is_demo": True,
        },
    )
    sub, _c = Nomenclature.objects.get_or_create(
        code=f"{code}.1.01.0001",
        defaults={
            "name": f"[DEMO] Sub kegiatan {bidang.name}",
            "level": "sub_kegiatan",
            "parent": kegiatan,
            "bidang": bidang,
            "output_indicator": "[DEMO] Jumlah layanan",
            "output_unit": "paket",
            "is_demo": True,
        },
    )
    return sub


@transaction.atomic
def seed(log) -> None:
    year = timezone.localdate().year + 1
    if FiscalYear.objects.filter(is_demo=True).exists():
        log("budgeting: demo fiscal year already there")
        return
    tapd = User.objects.filter(is_demo=True, groups__name="tapd").first()
    units = {u.code: u for u in Unit.objects.filter(code__in=[a[0] for a in AGENCIES])}
    bidang = {u.code: u for u in Urusan.objects.filter(level="bidang")}
    if not (tapd and len(units) == len(AGENCIES) and bidang):
        log("budgeting: units, bidang or the demo TAPD user missing; skipped")
        return
    services.accounts_load_shipped()
    code_tree_load(
        Account, [{"code": c, "name": n, "level": lv, "parent_code": p} for c, n, lv, p in ACCOUNTS]
    )
    Account.objects.filter(code__in=[a[0] for a in ACCOUNTS]).update(is_demo=True)
    accounts = {a.code: a for a in Account.objects.filter(code__in=[a[0] for a in ACCOUNTS])}
    fy = FiscalYear.objects.filter(
        year=year, version="murni"
    ).first() or services.fiscal_year_create(year=year, actor=tapd, is_demo=True)
    pl = services.price_list_create(year=year, actor=tapd, is_demo=True)
    items = {}
    for code, name, spec, unit, price, kind, account in ITEMS:
        items[code] = services.price_item_add(
            price_list=pl,
            actor=tapd,
            code=code,
            name=name,
            specification=spec,
            unit=unit,
            price=Decimal(price),
            kind=kind,
            accounts=[accounts[account]],
        )
    services.price_list_publish(price_list=pl, actor=tapd)
    officers = {
        u.unit.code: u
        for u in User.objects.filter(is_demo=True, groups__name="petugas_opd").select_related(
            "unit"
        )
    }
    for code, bidang_code, ceiling, state in AGENCIES:
        agency = units[code]
        AgencyBidang.objects.get_or_create(agency=agency, bidang=bidang[bidang_code])
        sub = _nomenclature(bidang[bidang_code])
        budget = services.budget_create(
            fiscal_year=fy, agency=agency, ceiling=Decimal(ceiling), actor=tapd, is_demo=True
        )
        # Demo officers exist for some agencies only; the admin stands in for the rest.
        officer = officers.get(code) or User.objects.filter(is_demo=True, is_superuser=True).first()
        activity = services.activity_create(
            budget=budget,
            actor=officer,
            sub_kegiatan=sub,
            output_target=Decimal(12),
            funding_source="pad",
        )

        def add(item, *f, activity=activity, officer=officer):
            services.line_add(
                activity=activity,
                actor=officer,
                account=accounts[ITEMS_BY[item]],
                price_item_id=items[item].pk,
                factors=list(f),
            )

        add("DEMO-SSH-001", ("40", "rim"))
        add("DEMO-SSH-002", ("30", "orang"), ("4", "kali"))
        add("DEMO-ASB-001", ("2", "orang"), ("3", "jam"))
        if code == "dpupr":
            add("DEMO-HSPK-001", ("400", "m"))
        if state == Budget.Status.DRAFT:
            services.line_add(
                activity=activity,
                actor=officer,
                account=accounts["5.1.02.91.01.0001"],
                description="[DEMO] Tinta printer khusus",
                unit="botol",
                unit_price="175000",
                factors=[("10", "botol")],
                justification="[DEMO] Tidak ada di daftar harga standar.",
            )
        for action in STEPS[state]:
            actor = officer if action == "submit" else tapd
            services.budget_act(
                budget=budget,
                action=action,
                actor=actor,
                note="[DEMO] Volume rapat terlalu besar" if action == "return" else "",
            )
        if state == Budget.Status.LOCKED:
            for month, amount in ((1, "150000000"), (2, "220000000"), (3, "95000000")):
                services.realisation_set(activity=activity, month=month, amount=amount, actor=tapd)
    log(f"budgeting: fiscal year {year}, demo price list, {len(AGENCIES)} demo RKA")


ITEMS_BY = {code: account for code, *_rest, account in ITEMS}
