"""e-Masyarakat figures for the command center (registered with the KPI registry)."""

from __future__ import annotations

import datetime
from collections import Counter
from urllib.parse import urlencode

from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from binjai_portal.core import kpi, workdays
from binjai_portal.core.aggregates import Median, as_number, median
from binjai_portal.core.models import Region
from binjai_portal.core.notifications import Text
from binjai_portal.core.translations import localized

from .models import Category, Ticket
from .selectors import ticket_list_public

APP = "masyarakat"


def _scoped(filters: kpi.Filters):
    qs = Ticket.objects.all()
    if filters.kecamatan:
        qs = qs.filter(kelurahan__parent__code=filters.kecamatan)
    if filters.agency:
        qs = qs.filter(
            Q(agency__code=filters.agency)
            | Q(agency__isnull=True, category__agency__code=filters.agency)
        )
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


@kpi.figure(APP, "open_backlog", label=_l("Pengaduan terbuka"), unit=_l("tiket"), better="lower")
def open_backlog(filters: kpi.Filters) -> kpi.Value:
    _start, end = _bounds(filters.period)
    n = _scoped(filters).filter(status__in=Ticket.OPEN_STATES, created_at__lte=end).count()
    return kpi.Value(n, _feed(filters, status="open"))


def _resolved(filters: kpi.Filters) -> dict:
    """Of the tickets resolved in the period: how many have an on-time verdict, how many
    were on time, and the median working days they took. One scan for both figures
    (kpi.shared); percentile_cont on PostgreSQL, Python elsewhere (SQLite, `make run`)."""

    def compute():
        from django.db import connection

        qs = _resolved_in(filters)
        row = {
            "total": Count("pk", filter=Q(resolved_on_time__isnull=False)),
            "on_time": Count("pk", filter=Q(resolved_on_time=True)),
        }
        if connection.vendor == "postgresql":
            row = qs.aggregate(**row, median=Median("resolution_days"))
            row["median"] = as_number(row["median"])
        else:
            row = {**qs.aggregate(**row), "median": median(qs, "resolution_days")}
        return row

    return kpi.shared(("masyarakat:resolved", filters), compute)


@kpi.figure(APP, "sla_compliance", label=_l("Selesai tepat waktu (SLA)"), unit="%", better="higher")
def sla_compliance(filters: kpi.Filters) -> kpi.Value:
    row = _resolved(filters)
    if not row["total"]:
        return kpi.Value(None, _feed(filters, status="closed"))
    return kpi.Value(round(100 * row["on_time"] / row["total"], 1), _feed(filters, status="closed"))


@kpi.figure(
    APP,
    "median_resolution_days",
    label=_l("Median lama penanganan"),
    unit=_l("hari kerja"),
    better="lower",
)
def median_resolution_days(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_resolved(filters)["median"], _feed(filters, status="closed"))


@kpi.figure(
    APP, "average_rating", label=_l("Rata-rata penilaian warga"), unit="/5", better="higher"
)
def average_rating(filters: kpi.Filters) -> kpi.Value:
    start, end = _bounds(filters.period)
    avg = (
        _scoped(filters)
        .filter(closed_at__range=(start, end), rating__isnull=False)
        .aggregate(v=Avg("rating"))["v"]
    )
    return kpi.Value(round(avg, 2) if avg is not None else None, _feed(filters, status="closed"))


@kpi.figure(
    APP, "overdue", label=_l("Pengaduan lewat batas waktu"), unit=_l("tiket"), better="lower"
)
def overdue(filters: kpi.Filters) -> kpi.Value:
    day = min(filters.period.end, timezone.localdate())
    n = _scoped(filters).filter(status__in=Ticket.WORKING_STATES, sla_due__lt=day).count()
    return kpi.Value(n, _feed(filters, status="open"))


def _period_cells(filters: kpi.Filters) -> list[tuple[int, int, int, int]]:
    """Tickets created in the period by (category, kelurahan): public ones and all, from
    one index-only scan (ticket_created_cover). The overview's three charts and the map's
    counts per kelurahan are sums over it (kpi.shared: one scan when refreshed together)."""

    def compute():
        start, end = filters.period.datetimes()
        public = Q(confidential=False) & ~Q(status__in=Ticket.HIDDEN_STATES)
        return list(
            _scoped(filters)
            .filter(created_at__gte=start, created_at__lt=end)
            .order_by()
            .values_list("category_id", "kelurahan_id")
            .annotate(public=Count("pk", filter=public), n=Count("pk"))
        )

    return kpi.shared(("masyarakat:cells", filters), compute)


def _chart(title, rows) -> kpi.Chart:
    rows = list(rows)
    return kpi.Chart(
        "bar",
        title,
        tuple(str(r[0] or "—") for r in rows),
        (kpi.Series(_("Pengaduan"), tuple(r[1] for r in rows)),),
    )


@kpi.section(APP, "overview")
def overview(filters: kpi.Filters) -> kpi.Section:
    cells = _period_cells(filters)
    categories = {
        pk: (name, agency)
        for pk, name, agency in Category.objects.filter(
            pk__in={c for c, _k, _p, _n in cells}
        ).values_list("pk", "name", "agency__short_name")
    }
    kecamatan = dict(
        Region.objects.filter(pk__in={k for _c, k, _p, _n in cells}).values_list(
            "pk", "parent__name"
        )
    )
    by_category, by_agency, by_kecamatan = Counter(), Counter(), Counter()
    for category, village, _public, n in cells:
        name, agency = categories.get(category, (None, None))
        by_category[name] += n
        by_agency[agency] += n
        by_kecamatan[kecamatan.get(village)] += n
    by_category, by_agency, by_kecamatan = (
        sorted(c.items(), key=lambda r: (-r[1], str(r[0] or "")))
        for c in (by_category, by_agency, by_kecamatan)
    )
    today = timezone.localdate()
    oldest = (
        _scoped(filters)
        .filter(status__in=Ticket.OPEN_STATES)
        .select_related("category", "agency")
        .order_by("created_at")[:10]
    )
    rows = tuple(
        # Only a public ticket's title: the dashboard's viewers are not its handlers.
        (
            t.number,
            t.title if t.is_public else _("(rahasia)"),
            t.agency.short_name or t.agency.name if t.agency else "—",
            str(Ticket.Status(t.status).label),
            (today - timezone.localtime(t.created_at).date()).days,
        )
        for t in oldest
    )
    return kpi.Section(
        APP,
        "overview",
        _("e-Masyarakat: pengaduan warga"),
        charts=(
            _chart(_("Pengaduan per kategori"), by_category),
            _chart(_("Pengaduan per OPD"), by_agency),
            _chart(_("Pengaduan per kecamatan"), by_kecamatan),
        ),
        tables=(
            kpi.Table(
                _("Pengaduan terbuka tertua"),
                (_("Nomor"), _("Judul"), _("OPD"), _("Status"), _("Umur (hari)")),
                rows,
            ),
        ),
    )


# --- command center hooks: alerts, map by region, wallboard panels, open data -------------

LATE_DANGER_DAYS = 5  # working days past the SLA due date before an alert turns red
PANEL_ROWS = 10


def _overdue_tickets(today: datetime.date):
    """Open tickets whose SLA clock runs (not paused) and whose due date has passed."""
    return (
        Ticket.objects.filter(
            status__in=Ticket.WORKING_STATES, sla_due__lt=today, sla_paused_on__isnull=True
        )
        .select_related("category__agency", "agency")
        .order_by("sla_due", "pk")
    )


def _agency(ticket: Ticket):
    return ticket.agency or ticket.category.agency


@kpi.alert_rule(APP, "overdue")
def overdue_alerts(today: datetime.date):
    """One cause per overdue ticket. Number and category only: never the reporter, and
    for a confidential ticket not even its category or title."""
    cal = workdays.Calendar()
    for t in _overdue_tickets(today):
        late = cal.between(t.sla_due, today)
        agency = _agency(t)
        if t.confidential:
            title = Text(_l("Pengaduan rahasia lewat batas waktu: %(n)s"), n=t.number)
        else:
            title = Text(_l("Pengaduan lewat batas waktu: %(n)s (%(c)s)"), n=t.number, c=t.category)
        body = Text(
            _l("Batas waktu SLA %(due)s terlewati %(late)s hari kerja. OPD: %(a)s."),
            due=t.sla_due,
            late=late,
            a=agency.short_name or agency,
        )
        yield kpi.AlertCause(
            key=f"{APP}:overdue:{t.number}",
            title=title,
            body=body,
            url=t.get_absolute_url(),
            unit_codes=(agency.code,),
            severity="danger" if late > LATE_DANGER_DAYS else "warning",
        )


@kpi.region_count(APP, "tickets", label=_l("Pengaduan"))
def tickets_by_village(filters: kpi.Filters) -> dict[str, int]:
    """Public (moderated, non-confidential) tickets created in the period per kelurahan."""
    per_village = Counter()
    for _category, village, public, _n in _period_cells(filters):
        per_village[village] += public
    codes = dict(Region.objects.filter(pk__in=list(per_village)).values_list("pk", "code"))
    return {codes[pk]: n for pk, n in per_village.items() if n and pk in codes}


@kpi.panel(APP, "newest")
def newest_panel() -> kpi.Table:
    rows = tuple(
        (t.number, t.category.name, t.kelurahan.name, str(Ticket.Status(t.status).label))
        for t in ticket_list_public()[:PANEL_ROWS]
    )
    return kpi.Table(
        _("Pengaduan terbaru"), (_("Nomor"), _("Kategori"), _("Kelurahan"), _("Status")), rows
    )


@kpi.panel(APP, "overdue")
def overdue_panel() -> kpi.Table:
    today = timezone.localdate()
    rows, cal = [], workdays.Calendar()
    for t in _overdue_tickets(today)[:PANEL_ROWS]:
        agency = _agency(t)
        rows.append((t.number, agency.short_name or agency.name, cal.between(t.sla_due, today)))
    return kpi.Table(
        _("Pengaduan lewat batas waktu"),
        (_("Nomor"), _("OPD"), _("Terlambat (hari kerja)")),
        tuple(rows),
    )


@kpi.dataset(
    APP,
    "tickets-by-category",
    title=_l("Pengaduan per kategori dan status"),
    description=_l(
        "Jumlah pengaduan warga yang masuk dalam periode, per kategori dan status terakhirnya."
    ),
)
def tickets_by_category(period: kpi.Period) -> kpi.Dataset:
    start, end = _bounds(period)
    rows = (
        Ticket.objects.filter(created_at__range=(start, end))
        .order_by()
        .values_list("category__code", localized("category__name"), "status")
        .annotate(n=Count("pk"))
        .order_by(localized("category__name"), "status")
    )
    return kpi.Dataset(
        (_("Kode kategori"), _("Kategori"), _("Status"), _("Jumlah")),
        tuple((code, name, str(Ticket.Status(status).label), n) for code, name, status, n in rows),
    )
