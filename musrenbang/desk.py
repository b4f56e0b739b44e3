"""What e-Musrenbang puts on the officer's desk and on the citizen's "Aktivitas saya"."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from binjai_portal.accounts import roles
from binjai_portal.core import desk

from . import selectors
from .models import Status
from .workflows import PROPOSAL

# The states in which a proposal waits for each role (the workflow's actions).
WAITING_FOR = {
    roles.PETUGAS_KELURAHAN: (Status.SUBMITTED, Status.VERIFIED, Status.RANKED_KELURAHAN),
    roles.PETUGAS_KECAMATAN: (Status.FORWARDED_KECAMATAN, Status.RANKED_KECAMATAN),
    roles.BAPPEDA: (Status.FORWARDED_CITY, Status.FUNDED),
    roles.TAPD: (Status.ACCEPTED,),
}
OFFICER_STEP = {
    Status.SUBMITTED: _("Verifikasi, kembalikan atau tolak"),
    Status.VERIFIED: _("Peringkatkan di forum kelurahan"),
    Status.RANKED_KELURAHAN: _("Teruskan ke kecamatan"),
    Status.FORWARDED_KECAMATAN: _("Peringkatkan di forum kecamatan"),
    Status.RANKED_KECAMATAN: _("Teruskan ke kota"),
    Status.FORWARDED_CITY: _("Terima atau tolak dalam RKPD"),
    Status.ACCEPTED: _("Danai dalam APBD"),
    Status.FUNDED: _("Tandai selesai dilaksanakan"),
}
CITIZEN_STEP = {
    Status.DRAFT: _("Lengkapi dan ajukan usulan Anda"),
    Status.RETURNED: _("Perbaiki sesuai catatan petugas, lalu ajukan ulang"),
    Status.SUBMITTED: _("Menunggu verifikasi petugas kelurahan"),
    Status.VERIFIED: _("Menunggu forum musrenbang kelurahan"),
    Status.RANKED_KELURAHAN: _("Menunggu diteruskan ke kecamatan"),
    Status.FORWARDED_KECAMATAN: _("Menunggu forum musrenbang kecamatan"),
    Status.RANKED_KECAMATAN: _("Menunggu diteruskan ke kota"),
    Status.FORWARDED_CITY: _("Menunggu keputusan Bappeda"),
    Status.ACCEPTED: _("Menunggu pendanaan APBD"),
    Status.FUNDED: _("Sedang dilaksanakan"),
}


def _states_for(user) -> set[str]:
    if user.is_superuser:
        return {s for states in WAITING_FOR.values() for s in states}
    return {s for role, states in WAITING_FOR.items() if user.has_role(role) for s in states}


@desk.waiting("musrenbang", title=_("e-Musrenbang"), order=10)
def proposals_waiting(user, *, limit: int) -> desk.Pile | None:
    states = _states_for(user)
    if not states:
        return None
    qs = selectors.proposal_list_for_officer(user=user).filter(status__in=states)
    rows = qs.order_by("submitted_at", "pk")[:limit]
    items = tuple(
        desk.Item(
            kind=pgettext_lazy("record kind", "Usulan"),
            reference=p.reference,
            title=p.title,
            state=PROPOSAL.label(p.status),
            url=p.get_absolute_url(),
            since=p.submitted_at or p.created_at,
            next_step=OFFICER_STEP.get(p.status, ""),
            who=p.kelurahan.name if p.kelurahan_id else "",
        )
        for p in rows
    )
    return desk.Pile(count=qs.count(), items=items, list_url=reverse("musrenbang:work-queue"))


@desk.activity("musrenbang", order=10)
def my_proposals(user, *, limit: int) -> list[desk.Item]:
    return [
        desk.Item(
            kind=pgettext_lazy("record kind", "Usulan"),
            reference=p.reference,
            title=p.title,
            state=PROPOSAL.label(p.status),
            url=p.get_absolute_url(),
            since=p.submitted_at or p.created_at,
            next_step=CITIZEN_STEP.get(p.status, ""),
        )
        for p in selectors.proposal_list_mine(user=user)[:limit]
    ]
