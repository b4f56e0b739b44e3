"""e-Budgeting figures for the command center, for the fiscal year chosen in the filters
(by default the newest one planned by the period's end: in 2026 that is the 2027 budget
being drawn up, which a filter on the period's own year never showed)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from binjai_portal.core import kpi
from binjai_portal.core.scale import scale_insert as _scale_insert

from .models import Budget, FiscalYear, FundedProposal, Line, Realisation


def _fy(filters: kpi.Filters) -> FiscalYear | None:
    years = FiscalYear.objects.all()
    if filters.fiscal_year:
        years = years.filter(year=filters.fiscal_year)
    else:
        years = years.filter(year__lte=filters.period.end.year + 1)
    return years.order_by("-year", "-version").first()


def _budgets(filters: kpi.Filters):
    fy = _fy(filters)
    qs = Budget.objects.filter(fiscal_year=fy) if fy else Budget.objects.none()
    if filters.agency:
        qs = qs.filter(agency__code=filters.agency)
    return qs


def _url() -> str:
    return reverse("budgeting:transparency")


def _pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@kpi.figure("budgeting", "budget_total", label=_l("Total RKA"), unit="Rp")
def budget_total(filters):
    total = Line.objects.filter(activity__budget__in=_budgets(filters)).aggregate(s=Sum("total"))[
        "s"
    ]
    return kpi.Value(total or Decimal(0), reverse("budgeting:budget-list"))


@kpi.figure("budgeting", "ceiling_use", label=_l("RKA terhadap pagu"), unit="%", better="lower")
def ceiling_use(filters):
    budgets = _budgets(filters)
    total = Line.objects.filter(activity__budget__in=budgets).aggregate(s=Sum("total"))["s"]
    return kpi.Value(
        _pct(total, budgets.aggregate(s=Sum("ceiling"))["s"]), reverse("budgeting:budget-list")
    )


@kpi.figure("budgeting", "absorption", label=_l("Penyerapan anggaran"), unit="%")
def absorption(filters):
    budgets = _budgets(filters).filter(status__in=Budget.PUBLIC)
    total = Line.objects.filter(activity__budget__in=budgets).aggregate(s=Sum("total"))["s"]
    spent = Realisation.objects.filter(activity__budget__in=budgets).aggregate(s=Sum("amount"))["s"]
    return kpi.Value(_pct(spent, total), _url())


@kpi.figure(
    "budgeting",
    "nonstandard_pending",
    label=_l("Item non-standar menunggu TAPD"),
    unit=_l("rincian"),
    better="lower",
)
def nonstandard_pending(filters):
    n = Line.objects.filter(
        activity__budget__in=_budgets(filters), standard=Line.Standard.PENDING
    ).count()
    return kpi.Value(n, reverse("budgeting:budget-list"))


@kpi.figure(
    "budgeting", "proposals_funded", label=_l("Usulan musrenbang didanai"), unit=_l("usulan")
)
def proposals_funded(filters):
    return kpi.Value(
        FundedProposal.objects.filter(activity__budget__in=_budgets(filters)).count(), _url()
    )


@kpi.figure(
    "budgeting", "proposals_funded_amount", label=_l("Nilai usulan musrenbang didanai"), unit="Rp"
)
def proposals_funded_amount(filters):
    total = FundedProposal.objects.filter(activity__budget__in=_budgets(filters)).aggregate(
        s=Sum("estimated_cost")
    )["s"]
    return kpi.Value(total or Decimal(0), _url())


@kpi.section("budgeting", "ceilings")
def ceilings(filters):
    budgets = _budgets(filters)
    totals = dict(
        Line.objects.filter(activity__budget__in=budgets)
        .values("activity__budget")
        .annotate(s=Sum("total"))
        .values_list("activity__budget", "s")
    )
    rows = tuple(
        (b.agency.name, str(b.get_status_display()), b.ceiling, totals.get(b.pk) or Decimal(0))
        for b in budgets.select_related("agency").order_by("agency__name")
    )
    by_urusan = (
        Line.objects.filter(activity__budget__in=budgets)
        .values("activity__sub_kegiatan__bidang__parent__name")
        .annotate(s=Sum("total"), n=Count("pk"))
        .order_by("activity__sub_kegiatan__bidang__parent__name")
    )
    chart = kpi.Chart(
        kind="bar",
        title=_("RKA per urusan (Rp)"),
        labels=tuple(r["activity__sub_kegiatan__bidang__parent__name"] or "-" for r in by_urusan),
        series=(kpi.Series(_("Anggaran"), tuple(r["s"] for r in by_urusan)),),
    )
    table = kpi.Table(
        title=_("RKA terhadap pagu per perangkat daerah"),
        columns=(_("Perangkat daerah"), _("Status"), _("Pagu (Rp)"), _("Total RKA (Rp)")),
        rows=rows,
    )
    return kpi.Section("budgeting", "ceilings", _("e-Budgeting"), charts=(chart,), tables=(table,))


# --- city-scale data set (issue 9, "Speed at city scale") -----------------------------
#
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
        made = _scale_insert(Line, exprs, "FROM s", params, with_sql)
    log(f"budgeting: {made} scale budget lines added ({have + made} of {target})")
