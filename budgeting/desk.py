"""What e-Budgeting puts on the officer's desk (no citizen activity: budgets are agencies')."""

from __future__ import annotations

import rules
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from binjai_portal.accounts import roles
from binjai_portal.core import desk
from binjai_portal.core.translations import localized

from . import selectors
from .models import Budget
from .workflows import BUDGET

S = Budget.Status
WAITING_FOR = {
    roles.TAPD: (S.SUBMITTED, S.IN_REVIEW, S.VERIFIED, S.APPROVED),
    roles.PETUGAS_OPD: (S.DRAFT, S.RETURNED),
}
OFFICER_STEP = {
    S.DRAFT: _("Lengkapi rincian belanja dan ajukan"),
    S.RETURNED: _("Perbaiki sesuai catatan TAPD dan ajukan ulang"),
    S.SUBMITTED: _("Telaah RKA"),
    S.IN_REVIEW: _("Verifikasi atau kembalikan ke OPD"),
    S.VERIFIED: _("Setujui (APBD ditetapkan)"),
    S.APPROVED: _("Kunci menjadi DPA"),
}


@desk.waiting("budgeting", title=_("e-Budgeting"), order=50)
def budgets_waiting(user, *, limit: int) -> desk.Pile | None:
    if not rules.has_perm("budgeting.use_budgeting", user):
        return None
    states = {
        s
        for role, role_states in WAITING_FOR.items()
        if user.is_superuser or user.has_role(role)
        for s in role_states
    }
    if not states:
        return None
    qs = selectors.budget_list_for_user(user=user).filter(status__in=states)
    rows = qs.order_by("fiscal_year__year", localized("agency__name"), "pk")[:limit]
    items = tuple(
        desk.Item(
            kind=pgettext_lazy("record kind", "RKA"),
            reference=str(b.fiscal_year),
            title=b.agency.name,
            state=BUDGET.label(b.status),
            url=b.get_absolute_url(),
            next_step=OFFICER_STEP.get(b.status, ""),
        )
        for b in rows
    )
    return desk.Pile(count=qs.count(), items=items, list_url=reverse("budgeting:budget-list"))
