"""Budgets (RKA), activities and lines, scoped to who is asking; history and comparison.

Totals are summed in SQL over Decimal columns, so they are exact whatever the number
of lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import rules
from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from binjai_portal.accounts.scoping import scope_queryset
from binjai_portal.core.translations import localized
from binjai_portal.core.workflow import timeline

from ..models import (
    Activity,
    Budget,
    FiscalYear,
    FundedProposal,
    Line,
    Realisation,
)
from ..rules import is_inspectorate
from ..workflows import BUDGET

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=2))


def fiscal_year_list() -> QuerySet[FiscalYear]:
    return FiscalYear.objects.order_by("-year", "-version")


def _budgets_visible(user) -> QuerySet[Budget]:
    if not rules.has_perm("budgeting.use_budgeting", user):
        return Budget.objects.none()
    if is_inspectorate(user):
        return Budget.objects.all()
    return scope_queryset(Budget.objects.all(), user, unit_field="agency")


def budget_list_for_user(
    *, user, fiscal_year: FiscalYear | None = None, status: str | None = None
) -> QuerySet[Budget]:
    """RKA the user may see (officers: their agency; TAPD, Bappeda, Inspectorate: all),
    each with its total."""
    totals = (
        Line.objects.filter(activity__budget=OuterRef("pk"))
        .order_by()
        .values("activity__budget")
        .annotate(s=Sum("total"))
        .values("s")[:1]
    )
    qs = (
        _budgets_visible(user)
        .select_related("agency", "fiscal_year")
        .annotate(total=Coalesce(Subquery(totals), ZERO))
    )
    if fiscal_year is not None:
        qs = qs.filter(fiscal_year=fiscal_year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by(
        "-fiscal_year__year", "-fiscal_year__version", localized("agency__name"), "pk"
    )


def budget_get_for_user(*, user, pk) -> Budget:
    return get_object_or_404(budget_list_for_user(user=user), pk=pk)


def activity_list(*, budget: Budget) -> QuerySet[Activity]:
    totals = (
        Line.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(s=Sum("total"))
        .values("s")[:1]
    )
    spent = (
        Realisation.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(s=Sum("amount"))
        .values("s")[:1]
    )
    return (
        budget.activities.select_related(
            "sub_kegiatan",
            "sub_kegiatan__parent",
            "sub_kegiatan__parent__parent",
            "kecamatan",
            "kelurahan",
        )
        .annotate(total=Coalesce(Subquery(totals), ZERO), spent=Coalesce(Subquery(spent), ZERO))
        .order_by("sub_kegiatan__code", "pk")
    )


def funded_proposal_get_for_user(*, user, pk) -> FundedProposal:
    """A funded proposal of an activity the user may open (activity_get_for_user's rule)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    funded = get_object_or_404(FundedProposal.objects.only("pk", "activity_id"), pk=pk)
    activity = activity_get_for_user(user=user, pk=funded.activity_id)
    funded = FundedProposal.objects.get(pk=pk)
    funded.activity = activity
    return funded


def activity_get_for_user(*, user, pk) -> Activity:
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    activity = get_object_or_404(
        Activity.objects.select_related(
            "budget",
            "budget__agency",
            "budget__fiscal_year",
            "sub_kegiatan",
            "kecamatan",
            "kelurahan",
        ),
        pk=pk,
    )
    if not _budgets_visible(user).filter(pk=activity.budget_id).exists():
        raise Http404
    return activity


def line_list(*, activity: Activity) -> QuerySet[Line]:
    return activity.lines.select_related("account", "price_item").order_by("account__code", "pk")


def line_get_for_user(*, user, pk) -> Line:
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    line = get_object_or_404(
        Line.objects.select_related(
            "activity",
            "activity__budget",
            "activity__budget__agency",
            "activity__budget__fiscal_year",
            "account",
        ),
        pk=pk,
    )
    if not _budgets_visible(user).filter(pk=line.activity.budget_id).exists():
        raise Http404
    return line


def budget_total(*, budget: Budget) -> Decimal:
    return Line.objects.filter(activity__budget=budget).aggregate(s=Sum("total"))["s"] or Decimal(0)


def budget_timeline(*, budget: Budget, viewer):
    return timeline(budget, workflow=BUDGET, viewer=viewer)


def line_history(*, budget: Budget, limit: int = 500) -> list:
    """Every recorded version of the budget's lines (who, when, old and new values),
    newest first; deleted lines too."""
    return list(
        Line.history.filter(activity_id__in=Activity.objects.filter(budget=budget).values("pk"))
        .select_related("history_user", "account")
        .order_by("-history_date", "-history_id")[:limit]
    )


@dataclass
class Diff:
    kind: str  # added, removed, changed
    before: Line | None
    after: Line | None


@dataclass
class ActivityDiff:
    name: str
    total_before: Decimal = Decimal(0)
    total_after: Decimal = Decimal(0)
    diffs: list[Diff] = field(default_factory=list)

    @property
    def change(self) -> Decimal:
        return self.total_after - self.total_before


COMPARED = ("account_id", "price_item_id", "description", "unit_price", "volume", "total")


def budget_compare(*, budget: Budget) -> list[ActivityDiff]:
    """A revised RKA against the locked one it was copied from: added, removed and
    changed lines, with totals before and after per activity."""
    if budget.source_id is None:
        return []
    before = list(
        Line.objects.filter(activity__budget_id=budget.source_id).select_related(
            "account", "activity__sub_kegiatan"
        )
    )
    after = list(
        Line.objects.filter(activity__budget=budget).select_related(
            "account", "activity__sub_kegiatan", "activity"
        )
    )
    groups: dict[str, ActivityDiff] = {}

    def group(line: Line) -> ActivityDiff:
        name = str(line.activity.sub_kegiatan)
        return groups.setdefault(name, ActivityDiff(name))

    copied = {ln.source_id: ln for ln in after if ln.source_id}
    for old in before:
        g = group(old)
        g.total_before += old.total
        new = copied.get(old.pk)
        if new is None:
            g.diffs.append(Diff("removed", old, None))
        elif any(getattr(old, f) != getattr(new, f) for f in COMPARED):
            g.diffs.append(Diff("changed", old, new))
    for new in after:
        g = group(new)
        g.total_after += new.total
        if new.source_id is None:
            g.diffs.append(Diff("added", None, new))
    return sorted(groups.values(), key=lambda g: g.name)


def absorption_by_activity(*, budget: Budget) -> list[Activity]:
    return list(activity_list(budget=budget))


def rka_rows(*, budget: Budget):
    """The RKA's lines in print order, with their activity (for Excel and PDF)."""
    return list(
        Line.objects.filter(activity__budget=budget)
        .select_related("account", "activity", "activity__sub_kegiatan")
        .order_by("activity__sub_kegiatan__code", "activity_id", "account__code", "pk")
    )
