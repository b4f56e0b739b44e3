"""Who may do what in e-Budgeting (the checks every service starts with)."""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from binjai_portal.accounts.scoping import scope_queryset

from ..models import (
    Budget,
)
from ..rules import INSPECTORATE_UNIT  # noqa: F401 (re-exported by services)


def _ensure_tapd(user) -> None:
    if not rules.has_perm("budgeting.act_as_tapd", user):
        raise PermissionDenied(_("Hanya TAPD yang dapat melakukan tindakan ini."))


def _ensure_admin(user) -> None:
    if not rules.has_perm("budgeting.import_reference", user):
        raise PermissionDenied(_("Hanya administrator atau TAPD yang dapat mengimpor data."))


def _ensure_agency_editor(user, budget: Budget) -> None:
    """The agency's own budget officers edit its RKA, and only while it is a draft or
    returned; anyone else gets 404 (outside their unit) or a refusal."""
    if not scope_queryset(Budget.objects.filter(pk=budget.pk), user, unit_field="agency").exists():
        raise Http404
    if not rules.has_perm("budgeting.act_for_agency", user):
        raise PermissionDenied(_("Hanya petugas anggaran OPD yang dapat mengubah RKA."))
    if budget.status not in Budget.EDITABLE:
        raise ValidationError(
            _("RKA berstatus %(status)s tidak dapat diubah.")
            % {"status": budget.get_status_display()},
            code="locked",
        )
