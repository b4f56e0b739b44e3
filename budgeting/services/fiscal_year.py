"""The fiscal year: opened, moved through its phases, revised (APBD perubahan)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from binjai_portal.core.workflow import transition, workflow_start

from ..models import (
    Activity,
    Budget,
    FiscalYear,
    Line,
)
from ..workflows import BUDGET, FISCAL_YEAR
from .rights import _ensure_tapd


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
