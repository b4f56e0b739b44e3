"""What e-Perizinan puts on the officer's desk and on the citizen's "Aktivitas saya"."""

from __future__ import annotations

import rules
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from binjai_portal.core import desk

from . import selectors
from . import workflows as wf

OFFICER_STEP = {
    wf.SUBMITTED: _("Periksa kelengkapan berkas"),
    wf.SURVEY: _("Jadwalkan survei lapangan"),
    wf.SURVEY_SCHEDULED: _("Laporkan hasil survei"),
    wf.REVIEW: _("Beri rekomendasi kajian teknis"),
    wf.DECISION: _("Putuskan: terbitkan atau tolak"),
    wf.PAYMENT: _("Catat pembayaran retribusi"),
}
CITIZEN_STEP = {
    wf.DRAFT: _("Lengkapi berkas dan kirim permohonan"),
    wf.SUBMITTED: _("Menunggu pemeriksaan berkas oleh DPMPTSP"),
    wf.REVISION: _("Perbaiki berkas sesuai catatan petugas, lalu kirim ulang"),
    wf.SURVEY: _("Menunggu jadwal survei lapangan"),
    wf.SURVEY_SCHEDULED: _("Siapkan lokasi untuk survei pada tanggal yang dijadwalkan"),
    wf.REVIEW: _("Menunggu kajian teknis dinas terkait"),
    wf.DECISION: _("Menunggu keputusan Kepala DPMPTSP"),
    wf.PAYMENT: _("Bayar retribusi sesuai tagihan di halaman permohonan"),
    wf.ISSUED: _("Unduh sertifikat izin dari halaman permohonan"),
}


@desk.waiting("perizinan", title=_("e-Perizinan"), order=40)
def applications_waiting(user, *, limit: int) -> desk.Pile | None:
    if not (user.is_staff and rules.has_perm("perizinan.work_on_applications", user)):
        return None
    qs = selectors.inbox_queryset(user=user)
    today = timezone.localdate()
    items = tuple(
        desk.Item(
            kind=pgettext_lazy("record kind", "Permohonan izin"),
            reference=a.number or f"#{a.pk}",
            title=a.permit_type.name,
            state=wf.APPLICATION.label(a.status),
            url=a.get_absolute_url(),
            since=a.submitted_on,
            due=None if a.sla_paused_on else a.sla_due,
            next_step=OFFICER_STEP.get(a.status, ""),
        )
        for a in qs.order_by("sla_due", "submitted_on", "pk")[:limit]
    )
    overdue = qs.filter(sla_due__lt=today, sla_paused_on__isnull=True).count()
    return desk.Pile(
        count=qs.count(), items=items, overdue=overdue, list_url=reverse("perizinan:work-queue")
    )


@desk.activity("perizinan", order=40)
def my_applications(user, *, limit: int) -> list[desk.Item]:
    return [
        desk.Item(
            kind=pgettext_lazy("record kind", "Permohonan izin"),
            reference=a.number or str(_("Draf")),
            title=a.permit_type.name,
            state=wf.APPLICATION.label(a.status),
            url=a.get_absolute_url(),
            since=a.submitted_on or a.created_at,
            due=a.sla_due if a.status in wf.IN_PROGRESS and not a.sla_paused_on else None,
            next_step=CITIZEN_STEP.get(a.status, ""),
        )
        for a in selectors.application_list_for_applicant(user=user)[:limit]
    ]
