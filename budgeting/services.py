"""Every write of e-Budgeting. Every state change (budget, price list, fiscal year)
goes through the workflow engine."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from binjai_portal.accounts import roles
from binjai_portal.accounts.scoping import scope_queryset
from binjai_portal.core.codetree import code_tree_load
from binjai_portal.core.formatting import rupiah
from binjai_portal.core.models import Urusan
from binjai_portal.core.workflow import TransitionRefused, transition, workflow_start
from musrenbang import selectors as musrenbang_selectors
from musrenbang import services as musrenbang_services

from . import imports
from .models import (
    Account,
    Activity,
    AgencyBidang,
    Budget,
    FiscalYear,
    FundedProposal,
    Line,
    Nomenclature,
    PriceItem,
    PriceList,
    Realisation,
)
from .workflows import BUDGET, FISCAL_YEAR, PRICE_LIST

ACCOUNTS_FILE = Path(__file__).resolve().parent / "data" / "rekening_belanja.csv"
RUPIAH = Decimal("1")
MAX_FACTORS = 4
INSPECTORATE_UNIT = "inspektorat"


# --- rights ---------------------------------------------------------------------------


def _is_tapd(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.has_role(roles.TAPD)))


def _ensure_tapd(user) -> None:
    if not _is_tapd(user):
        raise PermissionDenied(_("Hanya TAPD yang dapat melakukan tindakan ini."))


def _ensure_admin(user) -> None:
    if not (
        user
        and user.is_authenticated
        and (user.is_superuser or user.has_role(roles.ADMINISTRATOR, roles.TAPD))
    ):
        raise PermissionDenied(_("Hanya administrator atau TAPD yang dapat mengimpor data."))


def _ensure_agency_editor(user, budget: Budget) -> None:
    """The agency's own budget officers edit its RKA, and only while it is a draft or
    returned; anyone else gets 404 (outside their unit) or a refusal."""
    if not scope_queryset(Budget.objects.filter(pk=budget.pk), user, unit_field="agency").exists():
        raise Http404
    if not (user.is_superuser or user.has_role(roles.PETUGAS_OPD)):
        raise PermissionDenied(_("Hanya petugas anggaran OPD yang dapat mengubah RKA."))
    if budget.status not in Budget.EDITABLE:
        raise ValidationError(
            _("RKA berstatus %(status)s tidak dapat diubah.")
            % {"status": budget.get_status_display()},
            code="locked",
        )


def refused_message(exc) -> str:
    if isinstance(exc, TransitionRefused):
        return str(exc.message)
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc)


# --- reference data -------------------------------------------------------------------


def accounts_load_shipped(*, path: Path = ACCOUNTS_FILE):
    """Levels 1–3 of the expense accounts from the shipped file. Idempotent."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: (r["code"].count("."), r["code"]))
    return code_tree_load(Account, rows)


def _read(data: bytes, filename: str, kind: str) -> list[tuple[int, dict]]:
    return imports.to_dicts(imports.read_table(data, filename), kind)


@transaction.atomic
def account_import(*, data: bytes, filename: str, actor) -> imports.ImportReport:
    """Import deeper account levels. Nothing is written when a row is bad."""
    _ensure_admin(actor)
    report = imports.ImportReport()
    pairs = _read(data, filename, "accounts")
    existing = dict(Account.objects.values_list("code", "level"))
    imports.check_tree(
        pairs,
        levels=imports.ACCOUNT_LEVELS,
        patterns=imports.ACCOUNT_PATTERNS,
        existing=existing,
        report=report,
    )
    if not report.ok:
        return report
    result = code_tree_load(Account, [row for _n, row in pairs])
    report.created, report.updated = result.created, result.updated
    return report


@transaction.atomic
def nomenclature_import(
    *, data: bytes, filename: str, actor, is_demo: bool = False
) -> imports.ImportReport:
    """Import programs, kegiatan and sub-kegiatan (with output indicator and unit)."""
    _ensure_admin(actor)
    report = imports.ImportReport()
    pairs = _read(data, filename, "nomenclature")
    bidang = {u.code: u for u in Urusan.objects.filter(level=Urusan.Level.BIDANG)}
    existing = dict(Nomenclature.objects.values_list("code", "level"))
    imports.check_tree(
        pairs,
        levels=imports.NOMENCLATURE_LEVELS,
        patterns=imports.NOMENCLATURE_PATTERNS,
        existing=existing,
        report=report,
        top_parents=set(bidang),
    )
    for n, row in pairs:
        if row["level"] == "sub_kegiatan" and not (row["output_indicator"] and row["output_unit"]):
            report.add(n, _("Sub kegiatan wajib punya indikator dan satuan keluaran."))
    if not report.ok:
        return report
    report.errors.sort()
    known = {o.code: o for o in Nomenclature.objects.all()}
    for _n, row in pairs:
        parent = None if row["level"] == "program" else known[row["parent_code"]]
        values = {
            "name": row["name"],
            "level": row["level"],
            "parent": parent,
            "bidang": bidang[row["code"][:4]],
            "output_indicator": row["output_indicator"],
            "output_unit": row["output_unit"],
            "is_demo": is_demo,
        }
        item = known.get(row["code"])
        if item is None:
            item = Nomenclature(code=row["code"], **values)
            report.created += 1
        elif any(getattr(item, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(item, k, v)
            report.updated += 1
        else:
            continue
        item.full_clean()
        item.save()
        known[item.code] = item
    return report


@transaction.atomic
def agency_bidang_set(*, agency, bidang: Sequence[Urusan], actor) -> None:
    _ensure_admin(actor)
    AgencyBidang.objects.filter(agency=agency).exclude(bidang__in=bidang).delete()
    have = set(AgencyBidang.objects.filter(agency=agency).values_list("bidang_id", flat=True))
    AgencyBidang.objects.bulk_create(
        [AgencyBidang(agency=agency, bidang=b) for b in bidang if b.pk not in have]
    )


@transaction.atomic
def fiscal_year_create(*, year: int, actor, is_demo: bool = False) -> FiscalYear:
    _ensure_tapd(actor)
    fy = FiscalYear(year=year, is_demo=is_demo)
    fy.full_clean()
    fy.save()
    workflow_start(fy, workflow=FISCAL_YEAR, state=FiscalYear.Phase.PLANNING, actor=actor)
    return fy


@transaction.atomic
def fiscal_year_set_phase(
    *, fiscal_year: FiscalYear, phase: str, actor, note: str = ""
) -> FiscalYear:
    """Move the year to `phase` by the declared step that leads there from its current
    phase (planning → enactment → execution → closed); any other move is refused."""
    _ensure_tapd(actor)
    current = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk).phase
    action = next(
        (a.name for a in FISCAL_YEAR.actions if a.target == phase and current in a.sources),
        "set_phase",  # undeclared: transition() refuses it, naming the current phase
    )
    transition(fiscal_year, workflow=FISCAL_YEAR, action=action, actor=actor, note=note)
    fiscal_year.refresh_from_db(fields=["phase"])
    return fiscal_year


# --- standard price list ---------------------------------------------------------------


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


# --- budgets, activities, lines ---------------------------------------------------------


@transaction.atomic
def budget_create(
    *, fiscal_year: FiscalYear, agency, ceiling: Decimal, actor, is_demo: bool = False
) -> Budget:
    """Open an agency's RKA with its ceiling (pagu indikatif), set by TAPD."""
    _ensure_tapd(actor)
    if agency.kind != roles.OPD:
        raise ValidationError(_("RKA hanya untuk perangkat daerah (OPD)."), code="not_opd")
    if Budget.objects.filter(fiscal_year=fiscal_year, agency=agency).exists():
        raise ValidationError(
            _("RKA %(agency)s untuk %(fy)s sudah ada.") % {"agency": agency, "fy": fiscal_year},
            code="exists",
        )
    budget = Budget(fiscal_year=fiscal_year, agency=agency, ceiling=ceiling, is_demo=is_demo)
    budget.full_clean()
    budget.save()
    workflow_start(budget, workflow=BUDGET, state=Budget.Status.DRAFT, actor=actor)
    return budget


@transaction.atomic
def budget_ceiling_set(*, budget: Budget, ceiling: Decimal, actor) -> Budget:
    _ensure_tapd(actor)
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if budget.status in (Budget.Status.APPROVED, Budget.Status.LOCKED):
        raise ValidationError(
            _("Pagu RKA yang sudah ditetapkan tidak dapat diubah."), code="locked"
        )
    budget.ceiling = ceiling
    budget.full_clean()
    budget.save(update_fields=["ceiling"])
    return budget


@transaction.atomic
def activity_create(
    *,
    budget: Budget,
    actor,
    sub_kegiatan: Nomenclature,
    output_target: Decimal,
    funding_source: str,
    kecamatan=None,
    kelurahan=None,
) -> Activity:
    _ensure_agency_editor(actor, budget)
    if sub_kegiatan.level != Nomenclature.Level.SUB_KEGIATAN:
        raise ValidationError(_("Pilih sebuah sub kegiatan."), code="level")
    if kelurahan is not None and kecamatan is not None and kelurahan.parent_id != kecamatan.pk:
        raise ValidationError(
            _("Kelurahan tidak berada di kecamatan yang dipilih."), code="location"
        )
    if kelurahan is not None and kecamatan is None:
        kecamatan = kelurahan.parent
    activity = Activity(
        budget=budget,
        sub_kegiatan=sub_kegiatan,
        output_target=output_target,
        funding_source=funding_source,
        kecamatan=kecamatan,
        kelurahan=kelurahan,
    )
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, actor) -> None:
    _ensure_agency_editor(actor, activity.budget)
    if activity.proposals.exists():
        raise ValidationError(
            _("Kegiatan ini mendanai usulan musrenbang; tidak dapat dihapus."), code="funded"
        )
    activity.delete()


def volume_from_factors(factors: Sequence[tuple]) -> tuple[Decimal, str, list[dict]]:
    """2 orang × 3 hari → (6, 'orang × hari', [...]); refuses empty, zero or text."""
    clean = []
    for qty, unit in factors:
        qty_text, unit = str(qty or "").strip(), (unit or "").strip()
        if not qty_text and not unit:
            continue
        value = imports.parse_money(qty_text)
        if value is None or value <= 0:
            raise ValidationError(
                _("Koefisien volume '%(qty)s' harus angka lebih dari nol.") % {"qty": qty_text},
                code="factor",
            )
        if not unit:
            raise ValidationError(_("Setiap koefisien volume perlu satuan."), code="factor")
        clean.append({"qty": format(value.normalize(), "f"), "unit": unit[:20]})
    if not clean:
        raise ValidationError(_("Isi paling sedikit satu koefisien volume."), code="factor")
    if len(clean) > MAX_FACTORS:
        raise ValidationError(
            _("Paling banyak %(n)s koefisien volume.") % {"n": MAX_FACTORS}, code="factor"
        )
    volume = Decimal(1)
    for f in clean:
        volume *= Decimal(f["qty"])
    volume = volume.quantize(Decimal("0.0001"))
    if volume <= 0:
        raise ValidationError(_("Volume terlalu kecil."), code="factor")
    return volume, " × ".join(f["unit"] for f in clean), clean


def line_total(unit_price: Decimal, volume: Decimal) -> Decimal:
    """Whole rupiah, half up (the RKA is drawn up in whole rupiah)."""
    return (unit_price * volume).quantize(RUPIAH, rounding=ROUND_HALF_UP)


def _price_item_for(budget: Budget, price_item_id) -> PriceItem:
    try:
        return PriceItem.objects.select_related("price_list").get(
            pk=int(price_item_id),
            price_list__year=budget.fiscal_year.year,
            price_list__status=PriceList.Status.PUBLISHED,
        )
    except (PriceItem.DoesNotExist, TypeError, ValueError) as exc:
        raise ValidationError(
            _("Item tidak ada di daftar harga standar yang berlaku untuk tahun %(year)s.")
            % {"year": budget.fiscal_year.year},
            code="price_item",
        ) from exc


def _fill_line(
    line: Line,
    *,
    budget: Budget,
    account: Account,
    price_item_id,
    factors,
    description: str,
    specification: str,
    unit: str,
    unit_price,
    justification: str,
) -> None:
    if account.children.exists():
        raise ValidationError(_("Pilih kode rekening pada tingkat paling rinci."), code="account")
    volume, volume_unit, clean = volume_from_factors(factors)
    if price_item_id:
        item = _price_item_for(budget, price_item_id)
        if not item.accounts.filter(pk=account.pk).exists():
            raise ValidationError(
                _("Item %(item)s tidak boleh dipakai dengan kode rekening %(account)s.")
                % {"item": item.code, "account": account.code},
                code="account_mismatch",
            )
        if unit_price not in (None, "") and _money(unit_price) != item.price:
            # The price lock: the list's price is the price; a request with another one is
            # refused rather than quietly corrected, so tampering shows.
            raise ValidationError(
                _("Harga satuan item standar dikunci pada %(price)s dan tidak dapat diubah.")
                % {"price": rupiah(item.price)},
                code="price_locked",
            )
        line.price_item = item
        line.description, line.specification = item.name, item.specification
        line.unit, line.unit_price = item.unit, item.price
        line.standard, line.justification = Line.Standard.STANDARD, ""
    else:
        justification = (justification or "").strip()
        if not justification:
            raise ValidationError(
                _("Item di luar daftar harga standar wajib disertai justifikasi tertulis."),
                code="justification",
            )
        price = _money(unit_price)
        if price is None or price <= 0:
            raise ValidationError(_("Harga satuan harus angka lebih dari nol."), code="price")
        if not (description or "").strip() or not (unit or "").strip():
            raise ValidationError(
                _("Uraian dan satuan item non-standar wajib diisi."), code="description"
            )
        changed = (
            line.pk is None
            or line.price_item_id is not None
            or line.unit_price != price
            or line.standard == Line.Standard.REJECTED
        )
        line.price_item = None
        line.description, line.specification = description.strip(), (specification or "").strip()
        line.unit, line.unit_price, line.justification = unit.strip(), price, justification
        if changed:
            line.standard = Line.Standard.PENDING
    line.account = account
    line.factors, line.volume, line.volume_unit = clean, volume, volume_unit
    line.total = line_total(line.unit_price, volume)


def _money(value) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    parsed = imports.parse_money(str(value or ""))
    return parsed.quantize(Decimal("0.01")) if parsed is not None else None


@transaction.atomic
def line_add(
    *,
    activity: Activity,
    actor,
    account: Account,
    factors,
    price_item_id=None,
    description: str = "",
    specification: str = "",
    unit: str = "",
    unit_price=None,
    justification: str = "",
) -> Line:
    """Add a line. A standard item's unit price always comes from the locked list."""
    budget = Budget.objects.select_for_update().get(pk=activity.budget_id)
    _ensure_agency_editor(actor, budget)
    line = Line(activity=activity)
    _fill_line(
        line,
        budget=budget,
        account=account,
        price_item_id=price_item_id,
        factors=factors,
        description=description,
        specification=specification,
        unit=unit,
        unit_price=unit_price,
        justification=justification,
    )
    line.full_clean()
    line._change_reason = "add"
    line.save()
    return line


@transaction.atomic
def line_update(
    *,
    line: Line,
    actor,
    account: Account,
    factors,
    price_item_id=None,
    description: str = "",
    specification: str = "",
    unit: str = "",
    unit_price=None,
    justification: str = "",
) -> Line:
    budget = Budget.objects.select_for_update().get(pk=line.activity.budget_id)
    _ensure_agency_editor(actor, budget)
    _fill_line(
        line,
        budget=budget,
        account=account,
        price_item_id=price_item_id,
        factors=factors,
        description=description,
        specification=specification,
        unit=unit,
        unit_price=unit_price,
        justification=justification,
    )
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def line_delete(*, line: Line, actor) -> None:
    budget = Budget.objects.select_for_update().get(pk=line.activity.budget_id)
    _ensure_agency_editor(actor, budget)
    line.delete()


@transaction.atomic
def line_note(*, line: Line, actor, note: str) -> Line:
    """TAPD's review note on one line (kept in the line's change history)."""
    _ensure_tapd(actor)
    budget = Budget.objects.get(pk=line.activity.budget_id)
    if budget.status not in (Budget.Status.SUBMITTED, Budget.Status.IN_REVIEW):
        raise ValidationError(
            _("Catatan per rincian hanya selama telaah TAPD."), code="not_in_review"
        )
    line.review_note = (note or "").strip()[:2000]
    line.save(update_fields=["review_note"])
    return line


@transaction.atomic
def line_nonstandard_decide(*, line: Line, actor, approve: bool, note: str = "") -> Line:
    _ensure_tapd(actor)
    if line.standard not in (Line.Standard.PENDING, Line.Standard.APPROVED, Line.Standard.REJECTED):
        raise ValidationError(_("Rincian ini memakai harga standar."), code="standard")
    if Budget.objects.get(pk=line.activity.budget_id).status in Budget.PUBLIC:
        raise ValidationError(_("RKA sudah ditetapkan."), code="locked")
    if not approve and not (note or "").strip():
        raise ValidationError(_("Alasan penolakan wajib diisi."), code="note")
    line.standard = Line.Standard.APPROVED if approve else Line.Standard.REJECTED
    fields = ["standard"]
    if note:
        line.review_note = note.strip()[:2000]
        fields.append("review_note")
    line.save(update_fields=fields)
    return line


def budget_total(budget: Budget) -> Decimal:
    return Line.objects.filter(activity__budget=budget).aggregate(s=Sum("total"))["s"] or Decimal(0)


def _unapproved_lines(budget: Budget) -> list[Line]:
    return list(
        Line.objects.filter(activity__budget=budget)
        .exclude(standard__in=(Line.Standard.STANDARD, Line.Standard.APPROVED))
        .select_related("account")
        .order_by("pk")
    )


def _describe(lines: list[Line]) -> str:
    shown = "; ".join(f"#{ln.pk} {ln.account.code} {ln.description}" for ln in lines[:10])
    more = len(lines) - 10
    return shown + (_(" dan %(n)s lainnya") % {"n": more} if more > 0 else "")


def _check_submit(budget: Budget) -> None:
    total = budget_total(budget)
    problems = []
    if not Line.objects.filter(activity__budget=budget).exists():
        problems.append(_("RKA belum berisi rincian belanja."))
    if total > budget.ceiling:
        problems.append(
            _(
                "Total RKA %(total)s melebihi pagu %(ceiling)s sebesar %(over)s. "
                "Kurangi rincian belanja sebesar itu."
            )
            % {
                "total": rupiah(total),
                "ceiling": rupiah(budget.ceiling),
                "over": rupiah(total - budget.ceiling),
            }
        )
    pending = _unapproved_lines(budget)
    if pending:
        problems.append(
            _("%(n)s rincian non-standar belum disetujui TAPD: %(lines)s.")
            % {"n": len(pending), "lines": _describe(pending)}
        )
    if problems:
        raise ValidationError(" ".join(str(p) for p in problems), code="submit_refused")


def _check_verify(budget: Budget) -> None:
    pending = _unapproved_lines(budget)
    if pending:
        raise ValidationError(
            _("RKA belum dapat diverifikasi: %(n)s rincian non-standar belum disetujui: %(lines)s.")
            % {"n": len(pending), "lines": _describe(pending)},
            code="verify_refused",
        )


@transaction.atomic
def budget_act(*, budget: Budget, action: str, actor, note: str = "") -> Budget:
    """Move the RKA through its workflow. Submitting checks the ceiling and the
    non-standard items; verifying checks the non-standard items again."""
    budget = Budget.objects.select_for_update().select_related("fiscal_year").get(pk=budget.pk)
    declared = BUDGET.action(action)
    # The workflow's own role and unit checks come first (inside transition); the budget
    # rules are checked only for someone who may take the action, so nobody outside the
    # agency learns its totals from a refusal.
    allowed = declared is not None and any(
        a.name == action for a in BUDGET.available_actions(budget, actor)
    )
    if allowed and action in ("submit", "resubmit"):
        _check_submit(budget)
    elif allowed and action == "verify":
        _check_verify(budget)
    transition(budget, workflow=BUDGET, action=action, actor=actor, note=note)
    transaction.on_commit(_public_budget_changed)
    if action == "approve":
        _report_funding_on_approval(budget, actor=actor, note=note)
        fy = budget.fiscal_year
        if (
            fy.phase == FiscalYear.Phase.PLANNING
            and not fy.budgets.exclude(status__in=Budget.PUBLIC).exists()
        ):
            transition(
                fy,
                workflow=FISCAL_YEAR,
                action="enact",
                actor=actor,
                note=_("Semua RKA tahun anggaran ini telah disetujui."),
            )
    budget.refresh_from_db()
    return budget


# --- musrenbang link -------------------------------------------------------------------


def activity_amount(activity: Activity) -> Decimal:
    """What the activity's lines add up to: the money that serves its proposals."""
    return Line.objects.filter(activity=activity).aggregate(s=Sum("total"))["s"] or Decimal(0)


def _funding_phase(budget: Budget) -> str:
    if budget.status not in Budget.PUBLIC:
        return "draft"
    return "revised" if budget.fiscal_year.version == FiscalYear.Version.REVISED else "approved"


@transaction.atomic
def activity_fund_proposal(*, activity: Activity, proposal_id: int, actor) -> FundedProposal:
    """Fund an accepted e-Musrenbang proposal from this activity, through musrenbang's own
    service (which records it in the proposal's history and tells the proposer and
    supporters). One activity per proposal: a second one is refused, naming the first."""
    budget = Budget.objects.select_related("fiscal_year", "agency").get(pk=activity.budget_id)
    if not (actor.is_superuser or actor.has_role(roles.TAPD, roles.BAPPEDA)):
        raise PermissionDenied(_("Hanya TAPD atau Bappeda yang dapat menandai usulan didanai."))
    if budget.status == Budget.Status.LOCKED:
        raise ValidationError(_("DPA sudah dikunci."), code="locked")
    existing = (
        FundedProposal.objects.select_related(
            "activity__sub_kegiatan", "activity__budget__agency", "activity__budget__fiscal_year"
        )
        .filter(proposal_id=proposal_id)
        .first()
    )
    if existing is not None:
        other = existing.activity
        raise ValidationError(
            _(
                "Usulan %(ref)s sudah didanai oleh kegiatan %(code)s %(name)s (%(agency)s, "
                "%(fy)s). Satu usulan hanya dapat didanai oleh satu kegiatan."
            )
            % {
                "ref": existing.reference,
                "code": other.sub_kegiatan.code,
                "name": other.sub_kegiatan.name,
                "agency": other.budget.agency,
                "fy": other.budget.fiscal_year,
            },
            code="already_funded",
        )
    proposal = (
        musrenbang_selectors.proposal_list_accepted(
            plan_year=budget.fiscal_year.year, agency=budget.agency
        )
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise ValidationError(
            _(
                "Usulan tidak ditemukan di antara usulan yang diterima untuk "
                "%(agency)s tahun %(year)s."
            )
            % {"agency": budget.agency, "year": budget.fiscal_year.year},
            code="proposal",
        )
    reference = f"APBD {budget.fiscal_year.year} {budget.agency.code} {activity.sub_kegiatan.code}"
    musrenbang_services.proposal_mark_funded(
        proposal_id=proposal.pk,
        actor=actor,
        budget_reference=reference,
        agency=budget.agency,
        sub_kegiatan_code=activity.sub_kegiatan.code,
        sub_kegiatan_name=activity.sub_kegiatan.name,
        fiscal_year=budget.fiscal_year.year,
        amount=activity_amount(activity),
        phase=_funding_phase(budget),
    )
    link = FundedProposal(
        activity=activity,
        proposal_id=proposal.pk,
        reference=proposal.reference,
        title=proposal.title[:200],
        estimated_cost=proposal.estimated_cost or 0,
        funded_by=actor,
    )
    link.full_clean()
    link.save()
    return link


def _report_funding_on_approval(budget: Budget, *, actor, note: str = "") -> None:
    """Tell e-Musrenbang what the approved (or revised) budget gives each proposal it
    funds. A revision whose copy of the activity lost its lines, or lost the activity,
    takes the funding back visibly, with the reason."""
    revised = budget.fiscal_year.version == FiscalYear.Version.REVISED
    phase = "revised" if revised else "approved"
    activities = list(budget.activities.select_related("sub_kegiatan"))
    totals = dict(
        Line.objects.filter(activity__budget=budget)
        .values_list("activity")
        .annotate(s=Sum("total"))
        .values_list("activity", "s")
    )
    if revised and budget.source_id:
        copies = {a.source_id: a for a in activities if a.source_id}
        funded = list(
            FundedProposal.objects.filter(activity__budget_id=budget.source_id).select_related(
                "activity__sub_kegiatan"
            )
        )
    else:
        copies = {}
        funded = list(FundedProposal.objects.filter(activity__budget=budget))
    by_pk = {a.pk: a for a in activities}
    for link in funded:
        target = copies.get(link.activity_id) if revised else by_pk.get(link.activity_id)
        amount = totals.get(target.pk) if target is not None else None
        if not amount:
            if target is None:
                reason = _("sub kegiatan %(code)s dihapus dari %(fy)s.") % {
                    "code": link.activity.sub_kegiatan.code,
                    "fy": budget.fiscal_year,
                }
            else:
                reason = _("rincian belanja sub kegiatan %(code)s dihapus pada %(fy)s.") % {
                    "code": target.sub_kegiatan.code,
                    "fy": budget.fiscal_year,
                }
            if note.strip():
                reason = f"{reason} {note.strip()}"
            musrenbang_services.proposal_defund(
                proposal_id=link.proposal_id, actor=actor, reason=reason
            )
            link.delete()
            continue
        if revised and link.activity_id != target.pk:
            link.activity = target
            link.save(update_fields=["activity"])
        musrenbang_services.proposal_funding_report(
            proposal_id=link.proposal_id, actor=actor, amount=amount, phase=phase, reason=note
        )


@transaction.atomic
def funded_proposal_complete(
    *, funded: FundedProposal, actor, photo, note: str, completed_on=None
) -> FundedProposal:
    """The agency marks the work it did for a proposal completed (photo and note), through
    e-Musrenbang's service and the proposal's workflow."""
    budget = Budget.objects.get(pk=funded.activity.budget_id)
    if not scope_queryset(Budget.objects.filter(pk=budget.pk), actor, unit_field="agency").exists():
        raise Http404
    if not (actor.is_superuser or actor.has_role(roles.PETUGAS_OPD)):
        raise PermissionDenied(_("Hanya petugas OPD pelaksana yang dapat menandai selesai."))
    if budget.status != Budget.Status.LOCKED:
        raise ValidationError(
            _("Pekerjaan hanya dapat ditandai selesai untuk DPA yang sudah dikunci."),
            code="not_locked",
        )
    musrenbang_services.proposal_complete(
        proposal_id=funded.proposal_id,
        actor=actor,
        photo=photo,
        note=note,
        completed_on=completed_on,
    )
    return funded


# --- revision ---------------------------------------------------------------------------


@transaction.atomic
def fiscal_year_revise(*, fiscal_year: FiscalYear, actor) -> FiscalYear:
    """Start the revised budget (APBD perubahan): copies of every locked RKA as drafts."""
    _ensure_tapd(actor)
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    if fiscal_year.version != FiscalYear.Version.ORIGINAL:
        raise ValidationError(_("Perubahan dibuat dari APBD murni."), code="version")
    if FiscalYear.objects.filter(
        year=fiscal_year.year, version=FiscalYear.Version.REVISED
    ).exists():
        raise ValidationError(
            _("APBD perubahan %(year)s sudah ada.") % {"year": fiscal_year.year}, code="exists"
        )
    budgets = list(fiscal_year.budgets.filter(status=Budget.Status.LOCKED))
    if not budgets:
        raise ValidationError(_("Belum ada DPA terkunci untuk diubah."), code="no_locked")
    revised = FiscalYear(
        year=fiscal_year.year,
        version=FiscalYear.Version.REVISED,
        revises=fiscal_year,
        is_demo=fiscal_year.is_demo,
    )
    revised.full_clean()
    revised.save()
    workflow_start(revised, workflow=FISCAL_YEAR, state=FiscalYear.Phase.PLANNING, actor=actor)
    for old in budgets:
        budget = Budget(
            fiscal_year=revised,
            agency_id=old.agency_id,
            ceiling=old.ceiling,
            source=old,
            is_demo=old.is_demo,
        )
        budget.save()
        workflow_start(
            budget,
            workflow=BUDGET,
            state=Budget.Status.DRAFT,
            actor=actor,
            note=_("Disalin dari DPA %(fy)s") % {"fy": fiscal_year},
        )
        old_acts = list(old.activities.all())
        new_acts = Activity.objects.bulk_create(
            [
                Activity(
                    budget=budget,
                    sub_kegiatan_id=a.sub_kegiatan_id,
                    output_target=a.output_target,
                    kecamatan_id=a.kecamatan_id,
                    kelurahan_id=a.kelurahan_id,
                    funding_source=a.funding_source,
                    source=a,
                )
                for a in old_acts
            ]
        )
        by_old = {o.pk: n for o, n in zip(old_acts, new_acts, strict=True)}
        bulk_create_with_history(
            [
                Line(
                    activity=by_old[ln.activity_id],
                    account_id=ln.account_id,
                    price_item_id=ln.price_item_id,
                    description=ln.description,
                    specification=ln.specification,
                    unit=ln.unit,
                    unit_price=ln.unit_price,
                    factors=ln.factors,
                    volume=ln.volume,
                    volume_unit=ln.volume_unit,
                    total=ln.total,
                    standard=ln.standard,
                    justification=ln.justification,
                    source=ln,
                )
                for ln in Line.objects.filter(activity__budget=old)
            ],
            Line,
            default_user=actor,
            default_change_reason="revision copy",
        )
    return revised


# --- realisation ------------------------------------------------------------------------


@transaction.atomic
def realisation_set(*, activity: Activity, month: int, amount, actor) -> Realisation:
    """Record an activity's spending for a month (replaces what was there)."""
    budget = Budget.objects.get(pk=activity.budget_id)
    if not scope_queryset(Budget.objects.filter(pk=budget.pk), actor, unit_field="agency").exists():
        raise Http404
    if not (actor.is_superuser or actor.has_role(roles.PETUGAS_OPD, roles.TAPD)):
        raise PermissionDenied(_("Anda tidak berwenang mencatat realisasi."))
    if budget.status != Budget.Status.LOCKED:
        raise ValidationError(
            _("Realisasi hanya dicatat untuk DPA yang sudah dikunci."), code="not_locked"
        )
    try:
        month = int(month)
    except (TypeError, ValueError):
        month = 0
    if not 1 <= month <= 12:
        raise ValidationError(_("Bulan harus 1 sampai 12."), code="month")
    value = _money(amount)
    if value is None or value < 0:
        raise ValidationError(_("Realisasi harus angka nol atau lebih."), code="amount")
    planned = activity.lines.aggregate(s=Sum("total"))["s"] or Decimal(0)
    others = activity.realisations.exclude(month=month).aggregate(s=Sum("amount"))["s"] or Decimal(
        0
    )
    if others + value > planned:
        raise ValidationError(
            _("Realisasi kumulatif %(sum)s melebihi anggaran kegiatan %(planned)s.")
            % {"sum": rupiah(others + value), "planned": rupiah(planned)},
            code="over_budget",
        )
    row, _created = Realisation.objects.update_or_create(
        activity=activity,
        month=month,
        defaults={"amount": value, "entered_by": actor, "entered_at": timezone.now()},
    )
    for proposal_id in activity.proposals.values_list("proposal_id", flat=True):
        musrenbang_services.proposal_realisation_report(
            proposal_id=proposal_id, month=month, amount=value, actor=actor
        )
    transaction.on_commit(_public_budget_changed)
    return row


def _public_budget_changed() -> None:
    from .selectors import public_budget_changed

    public_budget_changed()
