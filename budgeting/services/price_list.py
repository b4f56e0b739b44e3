"""The standard price list (SSH/HSPK/ASB): draft, published and locked, superseded."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binjai_portal.core.workflow import transition, workflow_start

from .. import imports
from ..models import (
    Account,
    PriceItem,
    PriceList,
)
from ..workflows import PRICE_LIST
from .reference import _read
from .rights import _ensure_tapd


@transaction.atomic
def price_list_create(*, year: int, actor, is_demo: bool = False) -> PriceList:
    _ensure_tapd(actor)
    if PriceList.objects.filter(year=year).exists():
        raise ValidationError(
            _("Daftar harga tahun %(year)s sudah ada; buat versi baru.") % {"year": year},
            code="exists",
        )
    pl = PriceList(
        year=year, version=1, created_by=actor, is_demo=is_demo, reason=_("Versi pertama")
    )
    pl.full_clean()
    pl.save()
    workflow_start(pl, workflow=PRICE_LIST, state=PriceList.Status.DRAFT, actor=actor)
    return pl


def _ensure_draft(price_list: PriceList) -> None:
    if price_list.status != PriceList.Status.DRAFT:
        raise ValidationError(
            _("Daftar harga yang sudah terbit terkunci. Buat versi baru untuk mengubahnya."),
            code="price_list_locked",
        )


@transaction.atomic
def price_list_import(
    *, price_list: PriceList, data: bytes, filename: str, actor
) -> imports.ImportReport:
    """Add or replace the items of a draft list; nothing is written when a row is bad."""
    _ensure_tapd(actor)
    price_list = PriceList.objects.select_for_update().get(pk=price_list.pk)
    _ensure_draft(price_list)
    report = imports.ImportReport()
    pairs = _read(data, filename, "prices")
    accounts = dict(Account.objects.values_list("code", "pk"))
    seen: dict[str, int] = {}
    for n, row in pairs:
        if not row["code"]:
            report.add(n, _("Kode kosong."))
        elif row["code"] in seen:
            report.add(
                n,
                _("Kode %(code)s ganda (juga di baris %(other)s).")
                % {"code": row["code"], "other": seen[row["code"]]},
            )
        else:
            seen[row["code"]] = n
        if not row["name"]:
            report.add(n, _("Uraian kosong."))
        if not row["unit"]:
            report.add(n, _("Satuan kosong."))
        price = imports.parse_money(row["price"])
        if price is None or price <= 0:
            report.add(n, _("Harga '%(price)s' bukan angka positif.") % {"price": row["price"]})
        else:
            row["price"] = price.quantize(Decimal("0.01"))
        if row["kind"].lower() not in imports.PRICE_KINDS:
            report.add(
                n, _("Jenis '%(kind)s' tidak dikenal (SSH, HSPK atau ASB).") % {"kind": row["kind"]}
            )
        codes = [c.strip() for c in row["accounts"].replace(";", ",").split(",") if c.strip()]
        unknown = [c for c in codes if c not in accounts]
        if not codes:
            report.add(n, _("Kode rekening kosong."))
        elif unknown:
            report.add(
                n, _("Kode rekening tidak ditemukan: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        row["account_ids"] = [accounts.get(c) for c in codes]
    if not report.ok:
        return report
    current = {i.code: i for i in price_list.items.all()}
    for _n, row in pairs:
        item = current.get(row["code"]) or PriceItem(price_list=price_list, code=row["code"])
        report.created += item.pk is None
        report.updated += item.pk is not None
        item.name, item.specification, item.unit = row["name"], row["specification"], row["unit"]
        item.price, item.kind = row["price"], row["kind"].lower()
        item.full_clean()
        item.save()
        item.accounts.set(row["account_ids"])
    return report


@transaction.atomic
def price_item_add(
    *,
    price_list: PriceList,
    actor,
    code: str,
    name: str,
    unit: str,
    price: Decimal,
    kind: str,
    accounts: Sequence[Account],
    specification: str = "",
) -> PriceItem:
    _ensure_tapd(actor)
    _ensure_draft(PriceList.objects.select_for_update().get(pk=price_list.pk))
    item = PriceItem(
        price_list=price_list,
        code=code,
        name=name,
        unit=unit,
        price=price,
        kind=kind,
        specification=specification,
    )
    item.full_clean()
    item.save()
    item.accounts.set(accounts)
    return item


@transaction.atomic
def price_item_update(*, item: PriceItem, actor, price: Decimal) -> PriceItem:
    """Change a price: only in a draft list (a published list is locked)."""
    _ensure_tapd(actor)
    _ensure_draft(PriceList.objects.select_for_update().get(pk=item.price_list_id))
    item.price = price
    item.full_clean()
    item.save(update_fields=["price"])
    return item


@transaction.atomic
def price_list_publish(*, price_list: PriceList, actor) -> PriceList:
    """Publish and lock the list; the previously published version of the year is
    superseded (lines already priced from it keep their price)."""
    _ensure_tapd(actor)
    price_list = PriceList.objects.select_for_update().get(pk=price_list.pk)
    _ensure_draft(price_list)
    if not price_list.items.exists():
        raise ValidationError(_("Daftar harga masih kosong."), code="empty")
    replaced = PriceList.objects.filter(
        year=price_list.year, status=PriceList.Status.PUBLISHED
    ).exclude(pk=price_list.pk)
    for old in replaced:
        transition(
            old,
            workflow=PRICE_LIST,
            action="supersede",
            actor=actor,
            note=_("Diganti versi %(version)s") % {"version": price_list.version},
        )
    price_list.published_by, price_list.published_at = actor, timezone.now()
    transition(
        price_list,
        workflow=PRICE_LIST,
        action="publish",
        actor=actor,
        extra_fields=["published_by", "published_at"],
    )
    return price_list


@transaction.atomic
def price_list_revise(*, price_list: PriceList, actor, reason: str) -> PriceList:
    """A change to a locked list: a new draft version copying its items, with who and why."""
    _ensure_tapd(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Alasan perubahan wajib diisi."), code="reason")
    # The year's first list is the year's mutex: two revisions at once queue on it, and
    # the second then reads (in a new statement) the version the first one made.
    PriceList.objects.select_for_update().filter(year=price_list.year).order_by("version").first()
    versions = list(PriceList.objects.filter(year=price_list.year).order_by("-version"))
    if any(v.status == PriceList.Status.DRAFT for v in versions):
        raise ValidationError(_("Masih ada versi draf daftar harga tahun ini."), code="draft")
    new = PriceList(
        year=price_list.year,
        version=versions[0].version + 1,
        reason=reason,
        previous=price_list,
        created_by=actor,
        is_demo=price_list.is_demo,
    )
    new.full_clean()
    new.save()
    workflow_start(new, workflow=PRICE_LIST, state=PriceList.Status.DRAFT, actor=actor, note=reason)
    old_items = list(price_list.items.prefetch_related("accounts"))
    copies = PriceItem.objects.bulk_create(
        [
            PriceItem(
                price_list=new,
                code=i.code,
                name=i.name,
                specification=i.specification,
                unit=i.unit,
                price=i.price,
                kind=i.kind,
            )
            for i in old_items
        ]
    )
    through = PriceItem.accounts.through
    through.objects.bulk_create(
        [
            through(priceitem_id=c.pk, account_id=a.pk)
            for c, i in zip(copies, old_items, strict=True)
            for a in i.accounts.all()
        ]
    )
    return new
