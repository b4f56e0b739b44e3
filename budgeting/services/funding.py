"""The tie to e-Musrenbang: activities fund accepted proposals, through its services."""

from __future__ import annotations

from decimal import Decimal

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils.translation import gettext as _

from binjai_portal.accounts.scoping import scope_queryset
from musrenbang import selectors as musrenbang_selectors
from musrenbang import services as musrenbang_services

from ..models import (
    Activity,
    Budget,
    FiscalYear,
    FundedProposal,
    Line,
)


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
    if not rules.has_perm("budgeting.fund_proposal", actor):
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
    if not rules.has_perm("budgeting.act_for_agency", actor):
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
