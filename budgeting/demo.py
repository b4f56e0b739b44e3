"""Demo data: a fiscal year, a demo price list, demo accounts and programs (all marked
[DEMO] and is_demo — not official codes), RKA of five agencies in every workflow state,
and some realisation. Idempotent.

The current year's budget (DPA locked, being spent) funds the proposals that last year's
musrenbang accepted for it: through e-Musrenbang's services, as a real year would, with
realisation month by month up to last month and completed work for the activities
already spent in full."""

from __future__ import annotations

import datetime
import io
from decimal import ROUND_CEILING, Decimal

from django.db import transaction
from django.utils import timezone

from binjai_portal.accounts.models import Unit, User
from binjai_portal.core.codetree import code_tree_load
from binjai_portal.core.models import Urusan
from binjai_portal.core.uploads import CleanFile
from musrenbang import selectors as musrenbang_selectors
from musrenbang import services as musrenbang_services

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
    _seed_current_year(log, tapd=tapd, units=units, bidang=bidang, accounts=accounts)


def _photo() -> CleanFile:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (640, 400), (120, 150, 170))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 260, 640, 400), fill=(90, 90, 90))
    draw.rectangle((40, 280, 600, 320), fill=(170, 170, 160))
    draw.text((20, 20), "[DEMO] Foto hasil pekerjaan", fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return CleanFile(
        content=out.getvalue(), name="hasil-pekerjaan-demo.png", content_type="image/png"
    )


# agency -> (item priced, account), the line that carries the funded proposals' work
WORK_LINES = {
    "dpupr": "DEMO-HSPK-001",
    "dinkes": "DEMO-ASB-001",
    "dlh": "DEMO-ASB-001",
    "disdik": "DEMO-ASB-001",
    "dinsos": "DEMO-ASB-001",
}
# Share of the budget spent by last month, per agency: full ones are completed.
SPENT = {
    "dpupr": Decimal("1"),
    "dinkes": Decimal("0.8"),
    "dlh": Decimal("1"),
    "disdik": Decimal("0.55"),
    "dinsos": Decimal("0.35"),
}


def _seed_current_year(log, *, tapd, units, bidang, accounts) -> None:
    """This year's APBD funds what last year's musrenbang accepted for it."""
    today = timezone.localdate()
    year = today.year
    accepted = list(musrenbang_selectors.proposal_list_accepted(plan_year=year))
    if not accepted or FiscalYear.objects.filter(year=year).exists():
        log("budgeting: no accepted proposals of last year's musrenbang; current year skipped")
        return
    admin = User.objects.filter(is_demo=True, is_superuser=True).first()
    officers = {
        u.unit.code: u
        for u in User.objects.filter(is_demo=True, groups__name="petugas_opd").select_related(
            "unit"
        )
    }
    fy = services.fiscal_year_create(year=year, actor=tapd, is_demo=True)
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
    by_agency: dict[str, list] = {}
    for p in accepted:
        by_agency.setdefault(p.agency.code, []).append(p)
    funded = 0
    for code, item_code in WORK_LINES.items():
        proposals = by_agency.get(code)
        if not proposals or code not in units:
            continue
        bidang_code = next(b for a, b, *_r in AGENCIES if a == code)
        sub = _nomenclature(bidang[bidang_code])
        officer = officers.get(code) or admin
        cost = sum((p.estimated_cost for p in proposals), Decimal(0))
        item = items[item_code]
        qty = (cost / item.price).quantize(Decimal(1), rounding=ROUND_CEILING)
        budget = services.budget_create(
            fiscal_year=fy,
            agency=units[code],
            ceiling=(cost * Decimal("1.1")).quantize(Decimal(1)),
            actor=tapd,
            is_demo=True,
        )
        activity = services.activity_create(
            budget=budget,
            actor=officer,
            sub_kegiatan=sub,
            output_target=Decimal(len(proposals)),
            funding_source="pad",
        )
        services.line_add(
            activity=activity,
            actor=officer,
            account=accounts[ITEMS_BY[item_code]],
            price_item_id=item.pk,
            factors=[(str(qty), item.unit)],
        )
        for p in proposals:
            services.activity_fund_proposal(activity=activity, proposal_id=p.pk, actor=tapd)
            funded += 1
        services.budget_act(budget=budget, action="submit", actor=officer)
        for action in ("verify", "approve", "lock"):
            services.budget_act(budget=budget, action=action, actor=tapd)
        total = services.activity_amount(activity)
        months = list(range(2, today.month))  # work starts in February, up to last month
        target = (total * SPENT[code]).quantize(Decimal(1))
        spent = Decimal(0)
        # Uneven, as real spending is: slow at the start, a peak in the middle.
        weights = [1 + (n * 7) % 5 for n in range(len(months))]
        for n, month in enumerate(months, start=1):
            amount = (target * sum(weights[:n]) / sum(weights)).quantize(Decimal(1)) - spent
            services.realisation_set(activity=activity, month=month, amount=amount, actor=tapd)
            spent += amount
        if SPENT[code] == 1:
            for n, link in enumerate(list(activity.proposals.all())):
                services.funded_proposal_complete(
                    funded=link,
                    actor=officer,
                    photo=_photo(),
                    note="[DEMO] Pekerjaan selesai dan sudah diperiksa bersama warga.",
                    completed_on=datetime.date(year, max(today.month - 1, 1), 10 + n % 15),
                )
    # Some supporters confirm the completed work; one says it is not right yet.
    citizens = list(User.objects.filter(is_demo=True, is_staff=False))
    for n, p in enumerate(
        musrenbang_selectors.promise_list(year=year, region=None, figure="completed")
    ):
        for m, user in enumerate(citizens[: 1 + n % 3]):
            if user.pk != p.proposer_id:
                musrenbang_services.proposal_completion_feedback(
                    proposal=p, user=user, confirmed=(n + m) % 5 != 4
                )
    log(f"budgeting: APBD {year} funds {funded} proposals of musrenbang {year}")


ITEMS_BY = {code: account for code, *_rest, account in ITEMS}
