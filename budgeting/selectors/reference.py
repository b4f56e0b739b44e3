"""Reference data for the line and activity forms, and the standard price lists."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from binjai_portal.core.workflow import timeline

from ..models import (
    Account,
    Nomenclature,
    PriceItem,
    PriceList,
)
from ..workflows import PRICE_LIST


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


def price_list_timeline(*, price_list: PriceList, viewer):
    """The list's history: created, published, superseded (who, when, why)."""
    return timeline(price_list, workflow=PRICE_LIST, viewer=viewer)
