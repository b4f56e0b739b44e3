"""What e-Dokter puts on the clinic clerk's desk and on the citizen's "Aktivitas saya"."""

from __future__ import annotations

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from binjai_portal.accounts import roles
from binjai_portal.core import desk
from binjai_portal.core.notifications import Text
from binjai_portal.core.translations import localized

from . import selectors
from .models import Booking
from .workflows import BOOKING

S = Booking.Status
RUNNING = (S.BOOKED, S.CHECKED_IN, S.CALLED, S.SERVING)
CITIZEN_STEP = {
    S.BOOKED: _("Datang dan lapor kehadiran (check-in) sebelum jadwal"),
    S.CHECKED_IN: _("Tunggu nomor Anda dipanggil"),
    S.CALLED: _("Nomor Anda dipanggil: masuk ke ruang poli"),
    S.SERVING: _("Sedang dilayani"),
    S.TRANSFERRED: _("Menuju poli rujukan"),
}


@desk.waiting("dokter", title=_("e-Dokter"), order=30)
def queues_waiting(user, *, limit: int) -> desk.Pile | None:
    """Today's queues of the clerk's facility: one row per poli, patients not yet done."""
    if not (user.unit_id and (user.is_superuser or user.has_role(roles.PETUGAS_PUSKESMAS))):
        return None
    today = timezone.localdate()
    polis = list(
        Booking.objects.filter(facility__unit_id=user.unit_id, date=today, status__in=RUNNING)
        .values("poli__code", poli_name=localized("poli__name"))
        .annotate(
            n=Count("pk"),
            present=Count("pk", filter=Q(status=S.CHECKED_IN)),
            first=Min("created_at"),
        )
        .order_by("poli_name")[:limit]
    )
    items = tuple(
        desk.Item(
            kind=pgettext_lazy("record kind", "Antrean"),
            reference=row["poli_name"],
            title=str(
                Text(
                    _("%(n)s pasien hari ini, %(present)s hadir menunggu dipanggil"),
                    n=row["n"],
                    present=row["present"],
                )
            ),
            state=_("Berjalan"),
            url=reverse("dokter:console", args=[row["poli__code"]]),
            since=row["first"],
            next_step=_("Panggil pasien berikutnya"),
        )
        for row in polis
    )
    return desk.Pile(
        count=sum(row["n"] for row in polis),
        items=items,
        list_url=reverse("dokter:console-index"),
    )


@desk.activity("dokter", order=30)
def my_bookings(user, *, limit: int) -> list[desk.Item]:
    """Bookings the user made (for themself or a family member) or is the patient of."""
    rows = selectors.booking_list_for_user(user=user).select_related(
        "patient_dependant", "patient_user"
    )[:limit]
    items = []
    for b in rows:
        if b.patient_dependant_id:
            who = b.patient_dependant.full_name
        elif b.patient_user_id and b.patient_user_id != user.pk:
            who = b.patient_user.full_name
        else:
            who = ""
        items.append(
            desk.Item(
                kind=pgettext_lazy("record kind", "Antrean berobat"),
                reference=f"{b.queue_number} · {b.date:%d-%m-%Y}",
                title=f"{b.poli.name} — {b.facility.unit.name}",
                state=BOOKING.label(b.status),
                url=b.get_absolute_url(),
                since=b.created_at,
                next_step=CITIZEN_STEP.get(b.status, "") if b.date >= timezone.localdate() else "",
                who=who,
            )
        )
    return items
