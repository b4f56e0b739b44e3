"""Monthly spending (realisasi) of a locked budget's activities."""

from __future__ import annotations

from decimal import Decimal

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from binjai_portal.accounts.scoping import scope_queryset
from binjai_portal.core.formatting import rupiah
from musrenbang import services as musrenbang_services

from ..models import (
    Activity,
    Budget,
    Realisation,
)
from .budget import _money, _public_budget_changed


@transaction.atomic
def realisation_set(*, activity: Activity, month: int, amount, actor) -> Realisation:
    """Record an activity's spending for a month (replaces what was there)."""
    budget = Budget.objects.get(pk=activity.budget_id)
    if not scope_queryset(Budget.objects.filter(pk=budget.pk), actor, unit_field="agency").exists():
        raise Http404
    if not rules.has_perm("budgeting.record_realisation", actor):
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
