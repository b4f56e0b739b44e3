"""e-Musrenbang figures for the command center: by proposals submitted in the period."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import pgettext_lazy

from binjai_portal.core import kpi

from .models import Proposal, Status

ACCEPTED = (Status.ACCEPTED, Status.FUNDED, Status.COMPLETED, Status.CARRIED_OVER)
DECIDED = (*ACCEPTED, Status.NOT_ACCEPTED)


def _base(filters: kpi.Filters):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(filters.period.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(filters.period.end, datetime.time.max, tzinfo=tz)
    qs = Proposal.objects.filter(submitted_at__range=(start, end))
    if filters.kecamatan:
        qs = qs.filter(kelurahan__parent__code=filters.kecamatan)
    if filters.agency:
        qs = qs.filter(agency__code=filters.agency)
    return qs


def _url(**params) -> str:
    from urllib.parse import urlencode

    return reverse("musrenbang:index") + (f"?{urlencode(params)}" if params else "")


def _by_status(filters: kpi.Filters) -> dict[str, tuple[int, Decimal]]:
    """status -> (proposals, estimated cost) of those submitted in the period: one scan
    for the four figures and the chart of stages (kpi.shared)."""

    def compute():
        rows = (
            _base(filters)
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"), cost=Sum("estimated_cost"))
        )
        return {status: (n, cost or Decimal(0)) for status, n, cost in rows}

    return kpi.shared(("musrenbang:by-status", filters), compute)


def _sum(filters: kpi.Filters, statuses, index: int):
    found = _by_status(filters)
    return sum((found[s][index] for s in statuses if s in found), Decimal(0) if index else 0)


@kpi.figure(
    "musrenbang", "submitted", label=_l("Usulan masuk"), unit=pgettext_lazy("satuan", "usulan")
)
def submitted(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_sum(filters, Status.values, 0), _url())


@kpi.figure("musrenbang", "acceptance_rate", label=_l("Tingkat penerimaan usulan"), unit="%")
def acceptance_rate(filters: kpi.Filters) -> kpi.Value:
    decided, accepted = _sum(filters, DECIDED, 0), _sum(filters, ACCEPTED, 0)
    if not decided:
        return kpi.Value(None, _url(status=Status.ACCEPTED))
    rate = Decimal(accepted * 100) / Decimal(decided)
    return kpi.Value(rate.quantize(Decimal("0.1")), _url(status=Status.ACCEPTED))


@kpi.figure("musrenbang", "accepted_cost", label=_l("Perkiraan biaya usulan diterima"), unit="Rp")
def accepted_cost(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_sum(filters, ACCEPTED, 1), _url(status=Status.ACCEPTED))


@kpi.figure("musrenbang", "funded_cost", label=_l("Usulan didanai (perkiraan biaya)"), unit="Rp")
def funded_cost(filters: kpi.Filters) -> kpi.Value:
    funded = _sum(filters, (Status.FUNDED, Status.COMPLETED), 1)
    return kpi.Value(funded, _url(status=Status.FUNDED))


@kpi.section("musrenbang", "stages")
def stages(filters: kpi.Filters) -> kpi.Section:
    by_status = {status: n for status, (n, _cost) in _by_status(filters).items()}
    labels = tuple(str(label) for value, label in Status.choices if value != Status.DRAFT)
    values = tuple(
        by_status.get(value, 0) for value, _label in Status.choices if value != Status.DRAFT
    )
    rows = (
        _base(filters)
        .values("kelurahan__parent__name")
        .annotate(
            n=Count("pk"),
            accepted=Count("pk", filter=Q(status__in=ACCEPTED)),
            cost=Sum("estimated_cost", filter=Q(status__in=ACCEPTED)),
        )
        .order_by("kelurahan__parent__name")
    )
    table = kpi.Table(
        title=_("Usulan per kecamatan"),
        columns=(_("Kecamatan"), _("Usulan"), _("Diterima"), _("Biaya diterima (Rp)")),
        rows=tuple(
            (r["kelurahan__parent__name"], r["n"], r["accepted"], r["cost"] or Decimal(0))
            for r in rows
        ),
    )
    chart = kpi.Chart(
        kind="bar",
        title=_("Usulan per tahap"),
        labels=labels,
        series=(kpi.Series(_("Usulan"), values),),
    )
    return kpi.Section("musrenbang", "stages", _("e-Musrenbang"), charts=(chart,), tables=(table,))


# --- command center hooks: map by region, open data ----------------------------------------


def _public(filters: kpi.Filters):
    """Proposals submitted in the period that the public may see (not hidden, not draft)."""
    return _base(filters).exclude(status=Status.DRAFT).filter(is_hidden=False).order_by()


@kpi.region_count("musrenbang", "proposals", label=_l("Usulan musrenbang"))
def proposals_by_village(filters: kpi.Filters) -> dict[str, int]:
    rows = _public(filters).values_list("kelurahan__code").annotate(n=Count("pk"))
    return {code: n for code, n in rows}


@kpi.dataset(
    "musrenbang",
    "proposals-by-stage",
    title=_l("Usulan musrenbang per tahap"),
    description=_l(
        "Jumlah dan perkiraan biaya usulan musrenbang yang diajukan dalam "
        "periode, per tahap terakhirnya."
    ),
)
def proposals_by_stage(period: kpi.Period) -> kpi.Dataset:
    found = {
        r["status"]: r
        for r in _public(kpi.Filters(period))
        .values("status")
        .annotate(n=Count("pk"), cost=Sum("estimated_cost"))
    }
    rows = tuple(
        (value, str(label), found[value]["n"], found[value]["cost"] or Decimal(0))
        for value, label in Status.choices
        if value in found
    )
    return kpi.Dataset((_("Kode tahap"), _("Tahap"), _("Usulan"), _("Perkiraan biaya (Rp)")), rows)


# --- follow the money: accepted -> funded -> realised per kecamatan ------------------------


def _promise_rows(filters: kpi.Filters):
    """The plan year's promises (the figure of both periods and the section read the
    same year's: one computation, kpi.shared)."""
    from .selectors import promise_summary

    year = filters.period.end.year
    rows = kpi.shared(("musrenbang:promises", year), lambda: promise_summary(year=year))
    if filters.kecamatan:
        rows = [r for r in rows if r.region.code == filters.kecamatan]
    return rows


@kpi.figure("musrenbang", "promise_funded_rate", label=_l("Usulan diterima yang didanai"), unit="%")
def promise_funded_rate(filters: kpi.Filters) -> kpi.Value:
    rows = _promise_rows(filters)
    accepted, funded = sum(r.accepted for r in rows), sum(r.funded for r in rows)
    url = reverse("musrenbang:promises") + f"?tahun={filters.period.end.year}"
    if not accepted:
        return kpi.Value(None, url)
    return kpi.Value((Decimal(funded * 100) / accepted).quantize(Decimal("0.1")), url)


@kpi.section("musrenbang", "promises")
def promises(filters: kpi.Filters) -> kpi.Section:
    """Janji dan realisasi: of the proposals accepted for the plan year, how many were
    funded and how much of their budget was spent, per kecamatan."""
    rows = _promise_rows(filters)
    names = tuple(r.region.name for r in rows)
    chart = kpi.Chart(
        kind="bar",
        title=_("Janji dan realisasi %(year)s per kecamatan") % {"year": filters.period.end.year},
        labels=names,
        series=(
            kpi.Series(_("Diterima"), tuple(r.accepted for r in rows)),
            kpi.Series(_("Didanai"), tuple(r.funded for r in rows)),
            kpi.Series(_("Selesai"), tuple(r.completed for r in rows)),
        ),
    )
    table = kpi.Table(
        title=_("Diterima → didanai → direalisasikan"),
        columns=(
            _("Kecamatan"),
            _("Diterima"),
            _("Didanai"),
            _("Didanai (%)"),
            _("Anggaran (Rp)"),
            _("Realisasi (Rp)"),
            _("Realisasi (%)"),
        ),
        rows=tuple(
            (
                r.region.name,
                r.accepted,
                r.funded,
                r.funded_percent,
                r.budgeted,
                r.realised,
                r.realised_percent,
            )
            for r in rows
        ),
    )
    return kpi.Section(
        "musrenbang",
        "promises",
        _("Janji dan realisasi musrenbang"),
        charts=(chart,),
        tables=(table,),
    )
