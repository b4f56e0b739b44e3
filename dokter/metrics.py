"""e-Dokter's key figures for the command center (registered at startup)."""

from __future__ import annotations

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from binjai_portal.core import kpi

from . import clock
from .models import Booking

S = Booking.Status


def _bookings(filters: kpi.Filters):
    qs = Booking.objects.filter(date__range=(filters.period.start, filters.period.end))
    if filters.kecamatan:
        qs = qs.filter(facility__unit__region__code__startswith=filters.kecamatan)
    if filters.agency:
        qs = qs.filter(facility__unit__code=filters.agency)
    return qs


def _minutes(qs, start: str, end: str) -> float | None:
    value = qs.filter(**{f"{start}__isnull": False, f"{end}__isnull": False}).aggregate(
        v=Avg(ExpressionWrapper(F(end) - F(start), output_field=DurationField()))
    )["v"]
    return round(value.total_seconds() / 60, 1) if value is not None else None


def _url() -> str:
    return reverse("dokter:index")


@kpi.figure("dokter", "bookings", label=_l("Antrean (daring dan di tempat)"), unit=_l("nomor"))
def bookings(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_bookings(filters).exclude(status=S.CANCELLED)
                     .exclude(channel=Booking.Channel.TRANSFER).count(), _url())


@kpi.figure("dokter", "served", label=_l("Pasien dilayani"), unit=_l("pasien"))
def served(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_bookings(filters).filter(status__in=(S.DONE, S.TRANSFERRED)).count(),
                     _url())


@kpi.figure("dokter", "avg_wait", label=_l("Rata-rata tunggu (hadir sampai dipanggil)"),
            unit=_l("menit"), better="lower")
def avg_wait(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_minutes(_bookings(filters), "checked_in_at", "called_at"), _url())


@kpi.figure("dokter", "avg_service", label=_l("Rata-rata lama pelayanan"), unit=_l("menit"),
            better="lower")
def avg_service(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_minutes(_bookings(filters), "service_started_at", "finished_at"), _url())


@kpi.figure("dokter", "no_show", label=_l("Tidak hadir"), unit="%", better="lower")
def no_show(filters: kpi.Filters) -> kpi.Value:
    agg = _bookings(filters).exclude(status__in=(S.CANCELLED, *Booking.ACTIVE)).aggregate(
        total=Count("pk"), absent=Count("pk", filter=Q(status=S.ABSENT)))
    if not agg["total"]:
        return kpi.Value(None, _url())
    return kpi.Value(round(100 * agg["absent"] / agg["total"], 1), _url())


@kpi.section("dokter", "queues")
def queues(filters: kpi.Filters) -> kpi.Section:
    """Per facility and poli over the period, and the live state of today's queues."""
    rows = (
        _bookings(filters).exclude(status=S.CANCELLED)
        .values("facility__unit__name", "poli__name")
        .annotate(total=Count("pk"),
                  online=Count("pk", filter=Q(channel=Booking.Channel.ONLINE)),
                  served=Count("pk", filter=Q(status__in=(S.DONE, S.TRANSFERRED))),
                  absent=Count("pk", filter=Q(status=S.ABSENT)))
        .order_by("facility__unit__name", "poli__name")
    )
    period = kpi.Table(
        title=_("Antrean per fasilitas dan poli"),
        columns=(_("Fasilitas"), _("Poli"), _("Total"), _("Daring"), _("Dilayani"),
                 _("Tidak hadir")),
        rows=tuple((r["facility__unit__name"], r["poli__name"], r["total"], r["online"],
                    r["served"], r["absent"]) for r in rows),
    )
    live_rows = (
        Booking.objects.filter(date=clock.today()).exclude(status=S.CANCELLED)
        .values("facility__unit__name", "poli__name")
        .annotate(waiting=Count("pk", filter=Q(status__in=Booking.WAITING)),
                  called=Count("pk", filter=Q(status=S.CALLED)),
                  serving=Count("pk", filter=Q(status=S.SERVING)),
                  done=Count("pk", filter=Q(status__in=(S.DONE, S.TRANSFERRED))))
        .order_by("facility__unit__name", "poli__name")
    )
    live = kpi.Table(
        title=_("Antrean hari ini (langsung)"),
        columns=(_("Fasilitas"), _("Poli"), _("Menunggu"), _("Dipanggil"), _("Dilayani"),
                 _("Selesai")),
        rows=tuple((r["facility__unit__name"], r["poli__name"], r["waiting"], r["called"],
                    r["serving"], r["done"]) for r in live_rows),
    )
    chart = kpi.Chart(
        kind="bar", title=_("Antrean per poli"),
        labels=tuple(f"{r[0]} · {r[1]}" for r in period.rows),
        series=(kpi.Series(_("Total"), tuple(r[2] for r in period.rows)),
                kpi.Series(_("Dilayani"), tuple(r[4] for r in period.rows))),
    )
    return kpi.Section("dokter", "queues", _("e-Dokter: antrean layanan kesehatan"),
                       charts=(chart,), tables=(period, live))
