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
