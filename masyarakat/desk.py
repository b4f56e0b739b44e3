"""What e-Masyarakat puts on the officer's desk and on the citizen's "Aktivitas saya"."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from binjai_portal.accounts import roles
from binjai_portal.core import desk

from . import selectors
from .workflows import TICKET

WAITING_FOR = {
    roles.MODERATOR_PENGADUAN: ("submitted", "verified"),
    roles.PETUGAS_OPD: ("assigned", "in_progress"),
}
OFFICER_STEP = {
    "submitted": _("Verifikasi atau tolak"),
    "verified": _("Teruskan ke OPD yang berwenang"),
    "assigned": _("Mulai tangani"),
    "in_progress": _("Selesaikan atau minta informasi pelapor"),
}
CITIZEN_STEP = {
    "submitted": _("Menunggu verifikasi moderator"),
    "verified": _("Menunggu diteruskan ke OPD"),
    "assigned": _("Menunggu penanganan OPD"),
    "in_progress": _("Sedang ditangani OPD"),
    "need_info": _("Jawab pertanyaan petugas di halaman pengaduan"),
    "resolved": _("Periksa hasilnya: tutup atau buka kembali, dan beri penilaian"),
}


@desk.waiting("masyarakat", title=_("e-Masyarakat"), order=20)
def tickets_waiting(user, *, limit: int) -> desk.Pile | None:
    states = {
        s
        for role, role_states in WAITING_FOR.items()
        if user.is_superuser or user.has_role(role)
        for s in role_states
    }
    if not states:
        return None
    qs = selectors.ticket_list_for_user(user=user).filter(status__in=states)
    rows = qs.select_related(None).order_by("sla_due", "created_at", "pk")[:limit]
    today = timezone.localdate()
    items = tuple(
        desk.Item(
            kind=pgettext_lazy("record kind", "Pengaduan"),
            reference=t.number,
            title=t.title,
            state=TICKET.label(t.status),
            url=t.get_absolute_url(),
            since=t.created_at,
            due=t.sla_due,
            next_step=OFFICER_STEP.get(t.status, ""),
        )
        for t in rows
    )
    overdue = qs.filter(sla_due__lt=today).count()
    return desk.Pile(
        count=qs.count(),
        items=items,
        overdue=overdue,
        list_url=reverse("masyarakat:work-queue"),
    )


@desk.activity("masyarakat", order=20)
def my_tickets(user, *, limit: int) -> list[desk.Item]:
    return [
        desk.Item(
            kind=pgettext_lazy("record kind", "Pengaduan"),
            reference=t.number,
            title=t.title,
            state=TICKET.label(t.status),
            url=t.get_absolute_url(),
            since=t.created_at,
            due=t.sla_due if t.status in ("assigned", "in_progress") else None,
            next_step=CITIZEN_STEP.get(t.status, ""),
        )
        for t in selectors.ticket_list_own(user=user)[:limit]
    ]
