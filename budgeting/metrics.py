"""e-Budgeting figures for the command center, for the fiscal year chosen in the filters
(by default the newest one planned by the period's end: in 2026 that is the 2027 budget
being drawn up, which a filter on the period's own year never showed)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import pgettext_lazy

from binjai_portal.core import kpi
from binjai_portal.core.models import Urusan
from binjai_portal.core.translations import localized

from .models import Activity, Budget, FiscalYear, FundedProposal, Line, Realisation


def _fy(filters: kpi.Filters) -> FiscalYear | None:
    def compute():
        years = FiscalYear.objects.all()
        if filters.fiscal_year:
            years = years.filter(year=filters.fiscal_year)
        else:
            years = years.filter(year__lte=filters.period.end.year + 1)
        return years.order_by("-year", "-version").first()

    return kpi.shared(("budgeting:fy", filters.fiscal_year, filters.period.end.year), compute)


def _budgets(filters: kpi.Filters):
    fy = _fy(filters)
    qs = Budget.objects.filter(fiscal_year=fy) if fy else Budget.objects.none()
    if filters.agency:
        qs = qs.filter(agency__code=filters.agency)
    return qs


def _activities(filters: kpi.Filters) -> list[tuple[int, int, int | None, Decimal, int, int]]:
    """(activity pk, budget pk, urusan pk, total of its lines, lines, lines whose
    non-standard price waits for TAPD) for the filters' budget year and agency.

    One scan of the lines, grouped by activity (the covering index line_activity_cover
    answers it from the index alone), for every budget figure, the ceilings table and
    the chart per urusan, and for the previous period too when it falls in the same
    budget year (kpi.shared); the activities' budgets and urusan are a second, small
    query rather than three joins on every line. The urusan by key, not name: the beat
    task shares this scan across the copies of every language, each naming it in its own."""
    fy = _fy(filters)

    def compute():
        activities = Activity.objects.filter(budget__in=_budgets(filters))
        lines = {
            pk: (total, n, pending)
            for pk, total, n, pending in Line.objects.filter(activity__in=activities)
            .order_by()
            .values_list("activity_id")
            .annotate(
                s=Sum("total"),
                # not the pk, which the index does not hold: no row is read
                n=Count("standard"),
                pending=Count("standard", filter=Q(standard=Line.Standard.PENDING)),
            )
        }
        return [
            (pk, budget, urusan, *lines.get(pk, (Decimal(0), 0, 0)))
            for pk, budget, urusan in activities.values_list(
                "pk", "budget_id", "sub_kegiatan__bidang__parent_id"
            )
        ]

    return kpi.shared(("budgeting:activities", fy.pk if fy else None, filters.agency), compute)


def _totals(filters: kpi.Filters) -> dict[int, tuple[str, Decimal, Decimal]]:
    """{budget pk: (status, ceiling, total of its lines)} for the filters' budget year and
    agency (kpi.shared, as _activities)."""
    fy = _fy(filters)

    def compute():
        lines: dict[int, Decimal] = {}
        for _pk, budget, _urusan, total, _n, _pending in _activities(filters):
            lines[budget] = lines.get(budget, Decimal(0)) + (total or Decimal(0))
        return {
            pk: (status, ceiling, lines.get(pk) or Decimal(0))
            for pk, status, ceiling in _budgets(filters).values_list("pk", "status", "ceiling")
        }

    return kpi.shared(("budgeting:totals", fy.pk if fy else None, filters.agency), compute)


def _url() -> str:
    return reverse("budgeting:transparency")


def _pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@kpi.figure("budgeting", "budget_total", label=_l("Total RKA"), unit="Rp")
def budget_total(filters):
    total = sum((lines for _s, _c, lines in _totals(filters).values()), Decimal(0))
    return kpi.Value(total, reverse("budgeting:budget-list"))


@kpi.figure("budgeting", "ceiling_use", label=_l("RKA terhadap pagu"), unit="%", better="lower")
def ceiling_use(filters):
    totals = _totals(filters).values()
    total = sum((lines for _s, _c, lines in totals), Decimal(0))
    ceiling = sum((c for _s, c, _l in totals if c is not None), Decimal(0))
    return kpi.Value(_pct(total, ceiling), reverse("budgeting:budget-list"))


@kpi.figure("budgeting", "absorption", label=_l("Penyerapan anggaran"), unit="%")
def absorption(filters):
    budgets = _budgets(filters).filter(status__in=Budget.PUBLIC)
    public = {pk: lines for pk, (s, _c, lines) in _totals(filters).items() if s in Budget.PUBLIC}
    if not public:
        return kpi.Value(None, _url())
    total = sum(public.values(), Decimal(0))
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
    n = sum(pending for *_rest, pending in _activities(filters))
    return kpi.Value(n, reverse("budgeting:budget-list"))


@kpi.figure(
    "budgeting",
    "proposals_funded",
    label=_l("Usulan musrenbang didanai"),
    unit=pgettext_lazy("satuan", "usulan"),
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
    totals = _totals(filters)
    rows = tuple(
        (
            b.agency.name,
            str(b.get_status_display()),
            b.ceiling,
            totals.get(b.pk, (0, 0, Decimal(0)))[2],
        )
        for b in budgets.select_related("agency").order_by(localized("agency__name"), "pk")
    )
    per_key: dict[int | None, Decimal] = {}
    for _pk, _budget, urusan, total, n, _pending in _activities(filters):
        if n:  # an urusan shows when it has lines (as the join on lines did)
            per_key[urusan] = per_key.get(urusan, Decimal(0)) + total
    # the reader's language (modeltranslation's descriptor), Indonesian where no English
    names = {u.pk: u.name for u in Urusan.objects.filter(pk__in=[k for k in per_key if k])}
    per_urusan: dict[str | None, Decimal] = {}
    for key, total in per_key.items():
        name = names.get(key)
        per_urusan[name] = per_urusan.get(name, Decimal(0)) + total
    # by name, an activity without urusan last (PostgreSQL's ORDER BY puts NULL last)
    by_urusan = sorted(per_urusan.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
    chart = kpi.Chart(
        kind="bar",
        title=_("RKA per urusan (Rp)"),
        labels=tuple(name or "-" for name, _s in by_urusan),
        series=(kpi.Series(_("Anggaran"), tuple(s for _name, s in by_urusan)),),
    )
    table = kpi.Table(
        title=_("RKA terhadap pagu per perangkat daerah"),
        columns=(_("Perangkat daerah"), _("Status"), _("Pagu (Rp)"), _("Total RKA (Rp)")),
        rows=rows,
    )
    return kpi.Section("budgeting", "ceilings", _("e-Budgeting"), charts=(chart,), tables=(table,))
