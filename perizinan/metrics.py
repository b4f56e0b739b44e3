"""e-Perizinan's figures for the command center (read through the KPI registry)."""

from __future__ import annotations

import datetime
import statistics
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binjai_portal.core import kpi, workdays
from binjai_portal.core.notifications import Text
from binjai_portal.core.translations import localized

from . import workflows as wf
from .models import IKM_ELEMENTS, Application, SatisfactionSurvey

APP = "perizinan"


def _submitted(filters: kpi.Filters):
    qs = Application.objects.filter(
        submitted_on__gte=filters.period.start, submitted_on__lte=filters.period.end
    )
    if filters.kecamatan:
        qs = qs.filter(kelurahan__parent__code=filters.kecamatan)
    if filters.agency:
        qs = qs.filter(agency__code=filters.agency)
    return qs


def _url() -> str:
    return reverse("perizinan:work-queue")


@kpi.figure(APP, "applications", label=_("Permohonan izin masuk"), unit=_("berkas"))
def applications(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_submitted(filters).count(), _url())


@kpi.figure(
    APP, "overdue", label=_("Izin melewati standar pelayanan"), unit=_("berkas"), better="lower"
)
def overdue(filters: kpi.Filters) -> kpi.Value:
    today = min(timezone.localdate(), filters.period.end)
    qs = _submitted(filters).filter(
        status__in=wf.IN_PROGRESS, sla_due__lt=today, sla_paused_on__isnull=True
    )
    return kpi.Value(qs.count(), _url())


def _working_days_taken(filters) -> tuple[float | None, int, int]:
    """(median working days taken, files issued, files within their standard) for the
    files issued among those submitted in the period, less the days paused for revision.
    One computation for both figures that read it (kpi.shared)."""
    return kpi.shared(("perizinan:taken", filters), lambda: _taken(filters))


def _taken(filters) -> tuple[float | None, int, int]:
    """_working_days_taken, computed.

    PostgreSQL: one query, percentile_cont over a join with the working-day calendar (a
    running count per day, closures read once). Elsewhere (SQLite, `make run`): the same
    calendar in Python."""
    from django.db import connection

    qs = _submitted(filters).filter(status=wf.ISSUED, finished_on__isnull=False).order_by()
    cal = workdays.Calendar()
    if connection.vendor != "postgresql":
        rows = qs.values_list(
            "submitted_on", "finished_on", "paused_days", "permit_type__service_days"
        )
        taken = [(cal.between(s, f) - p, std) for s, f, p, std in rows]
        if not taken:
            return None, 0, 0
        return (
            statistics.median(d for d, _std in taken),
            len(taken),
            sum(1 for d, std in taken if d <= std),
        )
    # Issued files finished after they were submitted (in the period) and by today.
    first = filters.period.start - datetime.timedelta(days=7)
    last = max(filters.period.end, timezone.localdate()) + datetime.timedelta(days=7)
    days, ordinals = zip(*cal.ordinals(first, last), strict=True)
    inner, params = qs.values_list(
        "submitted_on", "finished_on", "paused_days", "permit_type__service_days"
    ).query.sql_with_params()
    taken = "GREATEST(cf.n - cs.n, 0) - a.paused"
    sql = f"""
        WITH cal(day, n) AS (SELECT * FROM unnest(%s::date[], %s::int[]))
        SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY {taken}), count(*),
               count(*) FILTER (WHERE {taken} <= a.std)
        FROM ({inner}) AS a(submitted, finished, paused, std)
        JOIN cal AS cs ON cs.day = a.submitted JOIN cal AS cf ON cf.day = a.finished"""  # noqa: S608 (Django's own SQL)
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(days), list(ordinals), *params])
        median, total, within = cursor.fetchone()
    return median, total, within


def _number(value):
    """A median as the page shows it: whole days stay whole."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


@kpi.figure(
    APP,
    "median_days",
    label=_("Median hari kerja penyelesaian izin"),
    unit=_("hari kerja"),
    better="lower",
)
def median_days(filters: kpi.Filters) -> kpi.Value:
    median, _total, _within = _working_days_taken(filters)
    return kpi.Value(_number(median))


@kpi.figure(APP, "within_standard", label=_("Izin selesai tepat standar"), unit="%")
def within_standard(filters: kpi.Filters) -> kpi.Value:
    _median, total, within = _working_days_taken(filters)
    if not total:
        return kpi.Value(None)
    return kpi.Value(round(100 * within / total, 1))


@kpi.figure(APP, "levy", label=_("Penerimaan retribusi izin"), unit="Rp")
def levy(filters: kpi.Filters) -> kpi.Value:
    start, end = filters.period.datetimes()
    total = Application.objects.filter(paid_at__gte=start, paid_at__lt=end).aggregate(s=Sum("fee"))[
        "s"
    ]
    return kpi.Value(total or Decimal("0"))


def ikm_value(qs) -> Decimal | None:
    """IKM per PermenPANRB 14/2017: the mean of the nine element averages (each 1-4,
    equal weight 1/9) times 25, on a 25-100 scale."""
    averages = qs.aggregate(**{k: Avg(k) for k, _label in IKM_ELEMENTS})
    if averages["u1"] is None:
        return None
    nrr = sum(Decimal(str(v)) for v in averages.values()) / Decimal(len(IKM_ELEMENTS))
    return (nrr * 25).quantize(Decimal("0.01"))


@kpi.figure(APP, "ikm", label=_("Indeks kepuasan masyarakat (IKM) perizinan"), unit="")
def ikm(filters: kpi.Filters) -> kpi.Value:
    start, end = filters.period.datetimes()
    qs = SatisfactionSurvey.objects.filter(created_at__gte=start, created_at__lt=end)
    return kpi.Value(ikm_value(qs))


@kpi.section(APP, "overview")
def overview(filters: kpi.Filters) -> kpi.Section:
    by_status = dict(_submitted(filters).values_list("status").annotate(n=Count("pk")))
    labels = [s.name for s in wf.APPLICATION.states if s.name != wf.DRAFT]
    by_type = (
        _submitted(filters)
        .values_list(localized("permit_type__name"))
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(overdue_reported_at__isnull=False)))
        .order_by("-n", localized("permit_type__name"))
    )
    today = timezone.localdate()
    late = (
        Application.objects.filter(
            status__in=wf.IN_PROGRESS, sla_due__lt=today, sla_paused_on__isnull=True
        )
        .select_related("permit_type")
        .order_by("sla_due")[:20]
    )
    return kpi.Section(
        app=APP,
        key="overview",
        title=str(_("e-Perizinan")),
        charts=(
            kpi.Chart(
                "bar",
                str(_("Permohonan per status")),
                tuple(str(wf.APPLICATION.label(s)) for s in labels),
                (kpi.Series(str(_("Berkas")), tuple(by_status.get(s, 0) for s in labels)),),
            ),
        ),
        tables=(
            kpi.Table(
                str(_("Permohonan per jenis izin")),
                (str(_("Jenis")), str(_("Berkas")), str(_("Dilaporkan terlambat"))),
                tuple((name, n, late_n) for name, n, late_n in by_type),
            ),
            kpi.Table(
                str(_("Berkas melewati standar pelayanan")),
                (str(_("Nomor")), str(_("Jenis")), str(_("Batas")), str(_("Tahap"))),
                tuple(
                    (
                        a.number,
                        a.permit_type.name,
                        a.sla_due.isoformat(),
                        str(wf.APPLICATION.label(a.status)),
                    )
                    for a in late
                ),
            ),
        ),
    )


# --- command center hooks: alerts, wallboard panel, open data -------------------------------

DPMPTSP = "dpmptsp"
LATE_DANGER_DAYS = 5  # working days past the service standard before an alert turns red
PANEL_ROWS = 10


def _overdue(today):
    """Files in progress past their service standard; not while the applicant revises."""
    return (
        Application.objects.filter(
            status__in=wf.IN_PROGRESS, sla_due__lt=today, sla_paused_on__isnull=True
        )
        .exclude(status=wf.REVISION)
        .select_related("permit_type", "agency")
        .order_by("sla_due", "pk")
    )


@kpi.alert_rule(APP, "overdue")
def overdue_alerts(today):
    """One cause per late file: its number, type and step; never the applicant."""
    cal = workdays.Calendar()
    for app in _overdue(today):
        late = cal.between(app.sla_due, today)
        units = (DPMPTSP, app.agency.code) if app.status == wf.REVIEW else (DPMPTSP,)
        yield kpi.AlertCause(
            key=f"{APP}:overdue:{app.number}",
            title=Text(
                _("Izin melewati standar pelayanan: %(n)s (%(t)s)"),
                n=app.number,
                t=app.permit_type,
            ),
            body=Text(
                _(
                    "Standar %(days)s hari kerja, batas %(due)s, terlambat %(late)s hari "
                    "kerja. Tahap saat ini: %(state)s."
                ),
                days=app.permit_type.service_days,
                due=app.sla_due,
                late=late,
                state=wf.APPLICATION.label(app.status),
            ),
            url=app.get_absolute_url(),
            unit_codes=units,
            severity="danger" if late > LATE_DANGER_DAYS else "warning",
        )


@kpi.panel(APP, "overdue")
def overdue_panel() -> kpi.Table:
    today = timezone.localdate()
    cal = workdays.Calendar()
    rows = tuple(
        (
            a.number,
            a.permit_type.name,
            str(wf.APPLICATION.label(a.status)),
            cal.between(a.sla_due, today),
        )
        for a in _overdue(today)[:PANEL_ROWS]
    )
    return kpi.Table(
        str(_("Izin melewati standar pelayanan")),
        (str(_("Nomor")), str(_("Jenis")), str(_("Tahap")), str(_("Terlambat (hari kerja)"))),
        rows,
    )


@kpi.dataset(
    APP,
    "applications-by-type",
    title=_("Permohonan izin per jenis"),
    description=_(
        "Jumlah permohonan izin yang diajukan dalam periode, per jenis izin dan hasilnya."
    ),
)
def applications_by_type(period: kpi.Period) -> kpi.Dataset:
    rows = (
        _submitted(kpi.Filters(period))
        .order_by()
        .values_list("permit_type__code", localized("permit_type__name"))
        .annotate(
            total=Count("pk"),
            issued=Count("pk", filter=Q(status=wf.ISSUED)),
            rejected=Count("pk", filter=Q(status=wf.REJECTED)),
            withdrawn=Count("pk", filter=Q(status=wf.WITHDRAWN)),
            in_progress=Count("pk", filter=Q(status__in=wf.IN_PROGRESS)),
            late=Count("pk", filter=Q(overdue_reported_at__isnull=False)),
        )
        .order_by(localized("permit_type__name"))
    )
    return kpi.Dataset(
        tuple(
            str(c)
            for c in (
                _("Kode jenis"),
                _("Jenis izin"),
                _("Diajukan"),
                _("Terbit"),
                _("Ditolak"),
                _("Dicabut pemohon"),
                _("Dalam proses"),
                _("Dilaporkan melewati standar"),
            )
        ),
        tuple(tuple(r) for r in rows),
    )
