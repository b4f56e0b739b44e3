"""Reads of e-Budgeting, scoped to who is asking, with their joins in place.

Totals are summed in SQL over Decimal columns, so they are exact whatever the number
of lines.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Substr
from django.http import Http404
from django.shortcuts import get_object_or_404

from binjai_portal.accounts import roles
from binjai_portal.accounts.scoping import scope_queryset
from binjai_portal.core.workflow import timeline

from .models import (
    Account,
    Activity,
    Budget,
    FiscalYear,
    FundedProposal,
    Line,
    Nomenclature,
    PriceItem,
    PriceList,
    Realisation,
)
from .services import INSPECTORATE_UNIT
from .workflows import BUDGET, PRICE_LIST

logger = logging.getLogger(__name__)

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=2))
STAFF_ROLES = (
    roles.PETUGAS_OPD,
    roles.TAPD,
    roles.BAPPEDA,
    roles.PIMPINAN,
    roles.ADMINISTRATOR,
    roles.PENGAMAT,
)


def is_inspectorate(user) -> bool:
    return bool(user.is_authenticated and user.unit_id and user.unit.code == INSPECTORATE_UNIT)


def can_use_budgeting(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_staff
        and (user.is_superuser or user.has_role(*STAFF_ROLES))
    )


def can_see_history(user) -> bool:
    """Change history of the lines: TAPD and the Inspectorate."""
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.has_role(roles.TAPD) or is_inspectorate(user))
    )


def is_tapd(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(roles.TAPD)))


def fiscal_year_list() -> QuerySet[FiscalYear]:
    return FiscalYear.objects.order_by("-year", "-version")


def _budgets_visible(user) -> QuerySet[Budget]:
    if not can_use_budgeting(user):
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
    return qs.order_by("-fiscal_year__year", "-fiscal_year__version", "agency__name")


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


def leaf_accounts() -> QuerySet[Account]:
    """Accounts a line may use: the most detailed ones (no children)."""
    return Account.objects.filter(children__isnull=True, code__startswith="5").order_by("code")


def sub_kegiatan_for_agency(*, agency) -> QuerySet[Nomenclature]:
    """Sub-kegiatan of the agency's bidang; all of them when none is mapped yet."""
    qs = Nomenclature.objects.filter(level=Nomenclature.Level.SUB_KEGIATAN).select_related("bidang")
    mapped = agency.budget_bidang.values("bidang")
    if agency.budget_bidang.exists():
        qs = qs.filter(bidang__in=mapped)
    return qs.order_by("code")


def price_list_current(*, year: int) -> PriceList | None:
    return PriceList.objects.filter(year=year, status=PriceList.Status.PUBLISHED).first()


def price_list_list() -> QuerySet[PriceList]:
    return PriceList.objects.select_related("created_by", "published_by", "previous").order_by(
        "-year", "-version"
    )


def price_list_timeline(*, price_list: PriceList, viewer):
    """The list's history: created, published, superseded (who, when, why)."""
    return timeline(price_list, workflow=PRICE_LIST, viewer=viewer)


def price_items_for(
    *, year: int, account: Account | None = None, q: str = "", limit: int = 50
) -> list[PriceItem]:
    """Items of the year's published list, optionally for one account or a search."""
    qs = PriceItem.objects.filter(
        price_list__year=year, price_list__status=PriceList.Status.PUBLISHED
    )
    if account is not None:
        qs = qs.filter(accounts=account)
    q = (q or "").strip()[:60]
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(specification__icontains=q))
    return list(qs.prefetch_related("accounts").order_by("code")[:limit])


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


# --- public transparency ----------------------------------------------------------------


def fiscal_year_public() -> FiscalYear | None:
    """The newest budget version with at least one approved RKA."""
    return (
        FiscalYear.objects.filter(budgets__status__in=Budget.PUBLIC)
        .distinct()
        .order_by("-year", "-version")
        .first()
    )


def _public_lines(fiscal_year: FiscalYear) -> QuerySet[Line]:
    return Line.objects.filter(
        activity__budget__fiscal_year=fiscal_year, activity__budget__status__in=Budget.PUBLIC
    )


def _public_realisation(fiscal_year: FiscalYear) -> QuerySet[Realisation]:
    return Realisation.objects.filter(
        activity__budget__fiscal_year=fiscal_year, activity__budget__status__in=Budget.PUBLIC
    )


@dataclass(frozen=True)
class Summary:
    total: Decimal
    spent: Decimal
    by_urusan: list[tuple[str, str, Decimal]]
    by_agency: list[tuple[str, Decimal, Decimal, Decimal]]  # name, total, spent, ceiling
    by_group: list[tuple[str, str, Decimal]]  # kelompok/jenis code, name, total

    @property
    def absorption(self) -> Decimal | None:
        if not self.total:
            return None
        return (self.spent * 100 / self.total).quantize(Decimal("0.1"))


PUBLIC_VERSION_KEY = "budgeting:public:version"
SUMMARY_SECONDS = 3600


def public_budget_changed() -> None:
    """Forget the cached public summaries (called by the services, on commit, whenever a
    budget becomes or stops being public, or its spending changes)."""
    try:
        cache.set(PUBLIC_VERSION_KEY, secrets.token_hex(8), None)
    except Exception:  # the cache is down: nothing cached to forget
        logger.warning("budget summary cache unavailable", exc_info=True)


def apbd_summary(*, fiscal_year: FiscalYear, agency=None) -> Summary:
    """The approved budget by urusan, agency and account group, with spending so far.

    Its sums read every line of the year (200,000 at city scale, ~40 ms each), and a
    public budget changes only through the services, which call public_budget_changed:
    so it is cached until then, and a visitor's page costs the same at any size."""
    try:
        version = cache.get(PUBLIC_VERSION_KEY) or "0"
        key = f"budgeting:apbd:{version}:{fiscal_year.pk}:{getattr(agency, 'pk', '-')}"
        found = cache.get(key)
    except Exception:
        logger.warning("budget summary cache unavailable", exc_info=True)
        return _apbd_summary(fiscal_year=fiscal_year, agency=agency)
    if found is None:
        found = _apbd_summary(fiscal_year=fiscal_year, agency=agency)
        try:
            cache.set(key, found, SUMMARY_SECONDS)
        except Exception:
            logger.warning("budget summary cache unavailable", exc_info=True)
    return found


def _apbd_summary(*, fiscal_year: FiscalYear, agency=None) -> Summary:
    lines = _public_lines(fiscal_year)
    spent_qs = _public_realisation(fiscal_year)
    if agency is not None:
        lines = lines.filter(activity__budget__agency=agency)
        spent_qs = spent_qs.filter(activity__budget__agency=agency)
    total = lines.aggregate(s=Sum("total"))["s"] or Decimal(0)
    spent = spent_qs.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    by_urusan = [
        (
            r["activity__sub_kegiatan__bidang__parent__code"],
            r["activity__sub_kegiatan__bidang__parent__name"],
            r["s"],
        )
        for r in lines.values(
            "activity__sub_kegiatan__bidang__parent__code",
            "activity__sub_kegiatan__bidang__parent__name",
        )
        .annotate(s=Sum("total"))
        .order_by("activity__sub_kegiatan__bidang__parent__code")
    ]
    spent_by_agency = dict(
        spent_qs.values("activity__budget__agency_id")
        .annotate(s=Sum("amount"))
        .values_list("activity__budget__agency_id", "s")
    )
    agencies = (
        Budget.objects.filter(fiscal_year=fiscal_year, status__in=Budget.PUBLIC)
        .select_related("agency")
        .order_by("agency__name")
    )
    if agency is not None:
        agencies = agencies.filter(agency=agency)
    total_by_agency = dict(
        lines.values("activity__budget__agency_id")
        .annotate(s=Sum("total"))
        .values_list("activity__budget__agency_id", "s")
    )
    by_agency = [
        (
            b.agency.name,
            total_by_agency.get(b.agency_id) or Decimal(0),
            spent_by_agency.get(b.agency_id) or Decimal(0),
            b.ceiling,
        )
        for b in agencies
    ]
    groups = (
        lines.annotate(group=Substr("account__code", 1, 6))
        .values("group")
        .annotate(s=Sum("total"))
        .order_by("group")
    )
    names = dict(Account.objects.filter(level=Account.Level.JENIS).values_list("code", "name"))
    by_group = [(g["group"], names.get(g["group"], ""), g["s"]) for g in groups]
    return Summary(total, spent, by_urusan, by_agency, by_group)


PUBLIC_COLUMNS = (
    "fiscal_year",
    "budget_version",
    "urusan_code",
    "urusan_name",
    "bidang_code",
    "bidang_name",
    "agency_code",
    "agency_name",
    "sub_kegiatan_code",
    "sub_kegiatan_name",
    "account_group_code",
    "account_group_name",
    "account_code",
    "account_name",
    "funding_source",
    "amount",
)


def public_rows(*, fiscal_year: FiscalYear):
    """The approved budget per agency, sub-kegiatan and account (no personal data)."""
    names = dict(Account.objects.filter(level=Account.Level.JENIS).values_list("code", "name"))
    rows = (
        _public_lines(fiscal_year)
        .values(
            "activity__sub_kegiatan__bidang__parent__code",
            "activity__sub_kegiatan__bidang__parent__name",
            "activity__sub_kegiatan__bidang__code",
            "activity__sub_kegiatan__bidang__name",
            "activity__budget__agency__code",
            "activity__budget__agency__name",
            "activity__sub_kegiatan__code",
            "activity__sub_kegiatan__name",
            "account__code",
            "account__name",
            "activity__funding_source",
        )
        .annotate(amount=Sum("total"))
        .order_by("activity__budget__agency__name", "activity__sub_kegiatan__code", "account__code")
    )
    for r in rows.iterator(chunk_size=2000):
        group = r["account__code"][:6]
        yield (
            fiscal_year.year,
            fiscal_year.version,
            r["activity__sub_kegiatan__bidang__parent__code"],
            r["activity__sub_kegiatan__bidang__parent__name"],
            r["activity__sub_kegiatan__bidang__code"],
            r["activity__sub_kegiatan__bidang__name"],
            r["activity__budget__agency__code"],
            r["activity__budget__agency__name"],
            r["activity__sub_kegiatan__code"],
            r["activity__sub_kegiatan__name"],
            group,
            names.get(group, ""),
            r["account__code"],
            r["account__name"],
            r["activity__funding_source"],
            r["amount"],
        )


def rka_rows(*, budget: Budget):
    """The RKA's lines in print order, with their activity (for Excel and PDF)."""
    return list(
        Line.objects.filter(activity__budget=budget)
        .select_related("account", "activity", "activity__sub_kegiatan")
        .order_by("activity__sub_kegiatan__code", "activity_id", "account__code", "pk")
    )
