"""e-Masyarakat figures for the command center (registered with the KPI registry)."""

from __future__ import annotations

import datetime
import statistics
from urllib.parse import urlencode

from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from binjai_portal.core import kpi

from .models import Ticket

APP = "masyarakat"


def _scoped(filters: kpi.Filters):
    qs = Ticket.objects.all()
    if filters.kecamatan:
        qs = qs.filter(kelurahan__parent__code=filters.kecamatan)
    if filters.agency:
        qs = qs.filter(Q(agency__code=filters.agency)
                       | Q(agency__isnull=True, category__agency__code=filters.agency))
    return qs


def _bounds(period: kpi.Period):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(period.end, datetime.time.max, tzinfo=tz)
    return start, end


def _feed(filters: kpi.Filters, **extra) -> str:
    params = {"kecamatan": filters.kecamatan or "", **extra}
    return reverse("masyarakat:index") + "?" + urlencode({k: v for k, v in params.items() if v})


def _resolved_in(filters):
    start, end = _bounds(filters.period)
    return _scoped(filters).filter(resolved_at__range=(start, end))


@kpi.figure(APP, "open_backlog", label=_l("Pengaduan terbuka"), unit=_l("tiket"),
            better="lower")
def open_backlog(filters: kpi.Filters) -> kpi.Value:
    _start, end = _bounds(filters.period)
    n = _scoped(filters).filter(status__in=Ticket.OPEN_STATES, created_at__lte=end).count()
    return kpi.Value(n, _feed(filters, status="open"))


@kpi.figure(APP, "sla_compliance", label=_l("Selesai tepat waktu (SLA)"), unit="%",
            better="higher")
def sla_compliance(filters: kpi.Filters) -> kpi.Value:
    row = _resolved_in(filters).filter(resolved_on_time__isnull=False).aggregate(
        total=Count("pk"), on_time=Count("pk", filter=Q(resolved_on_time=True)))
    if not row["total"]:
        return kpi.Value(None, _feed(filters, status="closed"))
    return kpi.Value(round(100 * row["on_time"] / row["total"], 1), _feed(filters,
                                                                          status="closed"))


@kpi.figure(APP, "median_resolution_days", label=_l("Median lama penanganan"),
            unit=_l("hari kerja"), better="lower")
def median_resolution_days(filters: kpi.Filters) -> kpi.Value:
    days = list(_resolved_in(filters).filter(resolution_days__isnull=False)
                .values_list("resolution_days", flat=True))
    return kpi.Value(statistics.median(days) if days else None, _feed(filters, status="closed"))


@kpi.figure(APP, "average_rating", label=_l("Rata-rata penilaian warga"), unit="/5",
            better="higher")
def average_rating(filters: kpi.Filters) -> kpi.Value:
    start, end = _bounds(filters.period)
    avg = _scoped(filters).filter(closed_at__range=(start, end), rating__isnull=False) \
        .aggregate(v=Avg("rating"))["v"]
    return kpi.Value(round(avg, 2) if avg is not None else None, _feed(filters, status="closed"))


@kpi.figure(APP, "overdue", label=_l("Pengaduan lewat batas waktu"), unit=_l("tiket"),
            better="lower")
def overdue(filters: kpi.Filters) -> kpi.Value:
    day = min(filters.period.end, timezone.localdate())
    n = _scoped(filters).filter(status__in=Ticket.WORKING_STATES, sla_due__lt=day).count()
    return kpi.Value(n, _feed(filters, status="open"))


def _chart(title, rows) -> kpi.Chart:
    rows = list(rows)
    return kpi.Chart("bar", title, tuple(str(r[0] or "—") for r in rows),
                     (kpi.Series(_("Pengaduan"), tuple(r[1] for r in rows)),))


@kpi.section(APP, "overview")
def overview(filters: kpi.Filters) -> kpi.Section:
    start, end = _bounds(filters.period)
    created = _scoped(filters).filter(created_at__range=(start, end))
    by_category = created.values_list("category__name").annotate(n=Count("pk")).order_by("-n")
    by_agency = created.values_list("category__agency__short_name").annotate(
        n=Count("pk")).order_by("-n")
    by_kecamatan = created.values_list("kelurahan__parent__name").annotate(
        n=Count("pk")).order_by("-n")
    today = timezone.localdate()
    oldest = (_scoped(filters).filter(status__in=Ticket.OPEN_STATES)
              .select_related("category", "agency").order_by("created_at")[:10])
    rows = tuple(
        (t.number, _("(rahasia)") if t.confidential else t.title,
         t.agency.short_name or t.agency.name if t.agency else "—",
         str(Ticket.Status(t.status).label),
         (today - timezone.localtime(t.created_at).date()).days)
        for t in oldest)
    return kpi.Section(
        APP, "overview", _("e-Masyarakat: pengaduan warga"),
        charts=(
            _chart(_("Pengaduan per kategori"), by_category),
            _chart(_("Pengaduan per OPD"), by_agency),
            _chart(_("Pengaduan per kecamatan"), by_kecamatan),
        ),
        tables=(kpi.Table(_("Pengaduan terbuka tertua"),
                          (_("Nomor"), _("Judul"), _("OPD"), _("Status"), _("Umur (hari)")),
                          rows),),
    )
