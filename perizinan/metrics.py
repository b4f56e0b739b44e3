"""e-Perizinan's figures for the command center (read through the KPI registry)."""

from __future__ import annotations

import statistics
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binjai_portal.core import kpi, workdays

from . import workflows as wf
from .models import IKM_ELEMENTS, Application, SatisfactionSurvey

APP = "perizinan"


def _submitted(filters: kpi.Filters):
    qs = Application.objects.filter(submitted_on__gte=filters.period.start,
                                    submitted_on__lte=filters.period.end)
    if filters.kecamatan:
        qs = qs.filter(kelurahan__parent__code=filters.kecamatan)
    if filters.agency:
        qs = qs.filter(agency__code=filters.agency)
    return qs


def _url() -> str:
    return reverse("perizinan:inbox")


@kpi.figure(APP, "applications", label=_("Permohonan izin masuk"), unit=_("berkas"))
def applications(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_submitted(filters).count(), _url())


@kpi.figure(APP, "overdue", label=_("Izin melewati standar pelayanan"), unit=_("berkas"),
            better="lower")
def overdue(filters: kpi.Filters) -> kpi.Value:
    today = min(timezone.localdate(), filters.period.end)
    qs = _submitted(filters).filter(status__in=wf.IN_PROGRESS, sla_due__lt=today,
                                    sla_paused_on__isnull=True)
    return kpi.Value(qs.count(), _url())


def _working_days_taken(filters):
    rows = _submitted(filters).filter(status=wf.ISSUED, finished_on__isnull=False).values_list(
        "submitted_on", "finished_on", "paused_days", "permit_type__service_days")
    return [(workdays.working_days_between(s, f) - p, std) for s, f, p, std in rows]


@kpi.figure(APP, "median_days", label=_("Median hari kerja penyelesaian izin"),
            unit=_("hari kerja"), better="lower")
def median_days(filters: kpi.Filters) -> kpi.Value:
    taken = [d for d, _std in _working_days_taken(filters)]
    return kpi.Value(statistics.median(taken) if taken else None)


@kpi.figure(APP, "within_standard", label=_("Izin selesai tepat standar"), unit="%")
def within_standard(filters: kpi.Filters) -> kpi.Value:
    taken = _working_days_taken(filters)
    if not taken:
        return kpi.Value(None)
    return kpi.Value(round(100 * sum(1 for d, std in taken if d <= std) / len(taken), 1))


@kpi.figure(APP, "levy", label=_("Penerimaan retribusi izin"), unit="Rp")
def levy(filters: kpi.Filters) -> kpi.Value:
    total = Application.objects.filter(
        paid_at__date__gte=filters.period.start, paid_at__date__lte=filters.period.end
    ).aggregate(s=Sum("fee"))["s"]
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
    qs = SatisfactionSurvey.objects.filter(created_at__date__gte=filters.period.start,
                                           created_at__date__lte=filters.period.end)
    return kpi.Value(ikm_value(qs))


@kpi.section(APP, "overview")
def overview(filters: kpi.Filters) -> kpi.Section:
    by_status = dict(_submitted(filters).values_list("status").annotate(n=Count("pk")))
    labels = [s.name for s in wf.APPLICATION.states if s.name != wf.DRAFT]
    by_type = (_submitted(filters).values_list("permit_type__name")
               .annotate(n=Count("pk"),
                         late=Count("pk", filter=Q(overdue_reported_at__isnull=False)))
               .order_by("-n"))
    today = timezone.localdate()
    late = (Application.objects.filter(status__in=wf.IN_PROGRESS, sla_due__lt=today,
                                       sla_paused_on__isnull=True)
            .select_related("permit_type").order_by("sla_due")[:20])
    return kpi.Section(
        app=APP, key="overview", title=str(_("e-Perizinan")),
        charts=(kpi.Chart("bar", str(_("Permohonan per status")),
                          tuple(str(wf.APPLICATION.label(s)) for s in labels),
                          (kpi.Series(str(_("Berkas")), tuple(by_status.get(s, 0)
                                                              for s in labels)),)),),
        tables=(
            kpi.Table(str(_("Permohonan per jenis izin")),
                      (str(_("Jenis")), str(_("Berkas")), str(_("Dilaporkan terlambat"))),
                      tuple((name, n, late_n) for name, n, late_n in by_type)),
            kpi.Table(str(_("Berkas melewati standar pelayanan")),
                      (str(_("Nomor")), str(_("Jenis")), str(_("Batas")), str(_("Tahap"))),
                      tuple((a.number, a.permit_type.name, a.sla_due.isoformat(),
                             str(wf.APPLICATION.label(a.status))) for a in late)),
        ),
    )


# --- command center hooks: alerts, wallboard panel, open data -------------------------------

DPMPTSP = "dpmptsp"
LATE_DANGER_DAYS = 5  # working days past the service standard before an alert turns red
PANEL_ROWS = 10


def _overdue(today):
    """Files in progress past their service standard; not while the applicant revises."""
    return (Application.objects.filter(status__in=wf.IN_PROGRESS, sla_due__lt=today,
                                       sla_paused_on__isnull=True)
            .exclude(status=wf.REVISION)
            .select_related("permit_type", "agency").order_by("sla_due", "pk"))


@kpi.alert_rule(APP, "overdue")
def overdue_alerts(today):
    """One cause per late file: its number, type and step; never the applicant."""
    for app in _overdue(today):
        late = workdays.working_days_between(app.sla_due, today)
        units = (DPMPTSP, app.agency.code) if app.status == wf.REVIEW else (DPMPTSP,)
        yield kpi.AlertCause(
            key=f"{APP}:overdue:{app.number}",
            title=str(_("Izin melewati standar pelayanan: %(n)s (%(t)s)")
                      % {"n": app.number, "t": app.permit_type.name}),
            body=str(_("Standar %(days)s hari kerja, batas %(due)s, terlambat %(late)s hari "
                       "kerja. Tahap saat ini: %(state)s.") % {
                "days": app.permit_type.service_days, "due": app.sla_due.strftime("%d-%m-%Y"),
                "late": late, "state": wf.APPLICATION.label(app.status)}),
            url=app.get_absolute_url(), unit_codes=units,
            severity="danger" if late > LATE_DANGER_DAYS else "warning")


@kpi.panel(APP, "overdue")
def overdue_panel() -> kpi.Table:
    today = timezone.localdate()
    rows = tuple(
        (a.number, a.permit_type.name, str(wf.APPLICATION.label(a.status)),
         workdays.working_days_between(a.sla_due, today))
        for a in _overdue(today)[:PANEL_ROWS])
    return kpi.Table(str(_("Izin melewati standar pelayanan")),
                     (str(_("Nomor")), str(_("Jenis")), str(_("Tahap")),
                      str(_("Terlambat (hari kerja)"))), rows)


@kpi.dataset(APP, "applications-by-type", title=_("Permohonan izin per jenis"),
             description=_("Jumlah permohonan izin yang diajukan dalam periode, per jenis "
                           "izin dan hasilnya."))
def applications_by_type(period: kpi.Period) -> kpi.Dataset:
    rows = (_submitted(kpi.Filters(period)).order_by()
            .values_list("permit_type__code", "permit_type__name")
            .annotate(total=Count("pk"),
                      issued=Count("pk", filter=Q(status=wf.ISSUED)),
                      rejected=Count("pk", filter=Q(status=wf.REJECTED)),
                      withdrawn=Count("pk", filter=Q(status=wf.WITHDRAWN)),
                      in_progress=Count("pk", filter=Q(status__in=wf.IN_PROGRESS)),
                      late=Count("pk", filter=Q(overdue_reported_at__isnull=False)))
            .order_by("permit_type__name"))
    return kpi.Dataset(
        tuple(str(c) for c in (_("Kode jenis"), _("Jenis izin"), _("Diajukan"), _("Terbit"),
                               _("Ditolak"), _("Dicabut pemohon"), _("Dalam proses"),
                               _("Dilaporkan melewati standar"))),
        tuple(tuple(r) for r in rows))
