"""The public transparency pages and open data: approved budgets only."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import F, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils.translation import get_language

from binjai_portal.core.translations import localized

from ..models import (
    Account,
    Budget,
    FiscalYear,
    Line,
    Realisation,
)

logger = logging.getLogger(__name__)


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
        language = get_language() or "-"
        key = f"budgeting:apbd:{version}:{language}:{fiscal_year.pk}:{getattr(agency, 'pk', '-')}"
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
        (r["code"], r["name"], r["s"])
        for r in lines.values(
            code=F("activity__sub_kegiatan__bidang__parent__code"),
            name=localized("activity__sub_kegiatan__bidang__parent__name"),
        )
        .annotate(s=Sum("total"))
        .order_by("code")
    ]
    spent_by_agency = dict(
        spent_qs.values("activity__budget__agency_id")
        .annotate(s=Sum("amount"))
        .values_list("activity__budget__agency_id", "s")
    )
    agencies = (
        Budget.objects.filter(fiscal_year=fiscal_year, status__in=Budget.PUBLIC)
        .select_related("agency")
        .order_by(localized("agency__name"), "pk")
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
            "activity__sub_kegiatan__bidang__code",
            "activity__budget__agency__code",
            "activity__sub_kegiatan__code",
            "activity__sub_kegiatan__name",
            "account__code",
            "account__name",
            "activity__funding_source",
            urusan_name=localized("activity__sub_kegiatan__bidang__parent__name"),
            bidang_name=localized("activity__sub_kegiatan__bidang__name"),
            agency_name=localized("activity__budget__agency__name"),
        )
        .annotate(amount=Sum("total"))
        .order_by("agency_name", "activity__sub_kegiatan__code", "account__code")
    )
    for r in rows.iterator(chunk_size=2000):
        group = r["account__code"][:6]
        yield (
            fiscal_year.year,
            fiscal_year.version,
            r["activity__sub_kegiatan__bidang__parent__code"],
            r["urusan_name"],
            r["activity__sub_kegiatan__bidang__code"],
            r["bidang_name"],
            r["activity__budget__agency__code"],
            r["agency_name"],
            r["activity__sub_kegiatan__code"],
            r["activity__sub_kegiatan__name"],
            group,
            names.get(group, ""),
            r["account__code"],
            r["account__name"],
            r["activity__funding_source"],
            r["amount"],
        )
