"""Agency budgets (RKA), their activities and lines, and the RKA's workflow."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from binjai_portal.accounts import roles
from binjai_portal.core.formatting import rupiah
from binjai_portal.core.workflow import transition, workflow_start

from .. import imports
from ..models import (
    Account,
    Activity,
    Budget,
    FiscalYear,
    Line,
    Nomenclature,
    PriceItem,
    PriceList,
)
from ..workflows import BUDGET, FISCAL_YEAR
from .funding import _report_funding_on_approval
from .rights import _ensure_agency_editor, _ensure_tapd

RUPIAH = Decimal("1")
MAX_FACTORS = 4


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


def _public_budget_changed() -> None:
    from ..selectors import public_budget_changed

    public_budget_changed()
