"""The data protection officer's desk: open correction/erasure requests (3 x 24 hours)
and open breach incidents, oldest deadline first."""

from __future__ import annotations

import rules
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from binjai_portal.core import desk

from . import workflows as wf
from .models import Incident, RightsRequest


@desk.waiting("privacy", title=_("Pelindungan data pribadi"), order=80)
def privacy_waiting(user, *, limit: int) -> desk.Pile | None:
    if not rules.has_perm("privacy.act_as_protection_officer", user):
        return None
    now = timezone.now()
    requests = RightsRequest.objects.exclude(status__in=(wf.DONE, wf.REFUSED)).order_by(
        "due_at", "received_at", "pk"
    )
    incidents = Incident.objects.exclude(status=wf.CLOSED).order_by("discovered_at", "pk")
    items = [
        desk.Item(
            kind=pgettext_lazy("record kind", "Permintaan hak"),
            reference=r.reference or "",
            title=f"{r.get_kind_display()}: {r.about}",
            state=wf.RIGHTS_REQUEST.label(r.status),
            url=r.get_absolute_url(),
            since=r.received_at,
            due=r.sla_due,
            next_step=_("Jawab dalam 3 x 24 jam"),
        )
        for r in requests[:limit]
    ] + [
        desk.Item(
            kind=pgettext_lazy("record kind", "Insiden"),
            reference=i.reference or "",
            title=i.title,
            state=wf.INCIDENT.label(i.status),
            url=i.get_absolute_url(),
            since=i.discovered_at,
            due=timezone.localdate(i.deadline),
            next_step=_("Beri tahu subjek terdampak dalam 3 x 24 jam"),
        )
        for i in incidents[:limit]
    ]
    items.sort(key=lambda item: (item.due is None, item.due or now.date(), item.since or now))
    overdue = requests.filter(due_at__lt=now).count() + sum(
        1 for i in incidents if i.deadline < now
    )
    return desk.Pile(
        count=requests.count() + incidents.count(),
        items=tuple(items[:limit]),
        overdue=overdue,
        list_url=reverse("privacy:request-list"),
    )
