"""Levy figures for the command center (KPI registry): billed, paid, overdue, days to pay,
per permit type (the bill's category) and per agency."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from binjai_portal.core import kpi
from binjai_portal.core.translations import localized

from . import hooks
from . import workflows as wf
from .models import Bill

APP = "billing"
LIVE = ~Q(status=wf.CANCELLED)


def _issued(filters: kpi.Filters):
    start, end = filters.period.datetimes()
    qs = Bill.objects.filter(LIVE, issued_at__gte=start, issued_at__lt=end)
    if filters.agency:
        qs = qs.filter(agency__code=filters.agency)
    return qs


def _paid(filters: kpi.Filters):
    start, end = filters.period.datetimes()
    qs = Bill.objects.filter(status=wf.PAID, paid_at__gte=start, paid_at__lt=end)
    if filters.agency:
        qs = qs.filter(agency__code=filters.agency)
    return qs


def _url() -> str:
    return reverse("billing:treasurer")


def _overdue_q():
    return Q(status=wf.EXPIRED) | Q(status=wf.ISSUED, due_at__lt=timezone.now())


_DAYS = ExpressionWrapper(F("paid_at") - F("issued_at"), output_field=DurationField())


def _days(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value.total_seconds() / 86400).quantize(Decimal("0.1"))


@kpi.figure(APP, "levy_billed", label=_("Retribusi ditagihkan"), unit="Rp")
def levy_billed(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_issued(filters).aggregate(s=Sum("amount"))["s"] or Decimal("0"), _url())


@kpi.figure(APP, "levy_paid", label=_("Retribusi diterima"), unit="Rp")
def levy_paid(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_paid(filters).aggregate(s=Sum("amount"))["s"] or Decimal("0"), _url())


@kpi.figure(
    APP,
    "levy_overdue",
    label=_("Tagihan retribusi lewat batas"),
    unit=pgettext_lazy("satuan", "tagihan"),
    better="lower",
)
def levy_overdue(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_issued(filters).filter(_overdue_q()).count(), _url())


@kpi.figure(
    APP,
    "levy_days_to_pay",
    label=_("Rata-rata lama membayar"),
    unit=pgettext_lazy("satuan", "hari"),
    better="lower",
)
def levy_days_to_pay(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_days(_paid(filters).aggregate(d=Avg(_DAYS))["d"]))


def _table(filters: kpi.Filters, fields, title, names=None) -> kpi.Table:
    """Bills of the period grouped by `fields`; `names(rows)` gives each group's name
    (the first field's value otherwise). Amounts and days as numbers: the page aligns
    and formats them, and a CSV keeps them as numbers."""
    start, end = filters.period.datetimes()
    in_period = Q(issued_at__gte=start, issued_at__lt=end)
    rows = list(
        Bill.objects.filter(LIVE)
        .filter(in_period | Q(paid_at__gte=start, paid_at__lt=end))
        .filter(**({"agency__code": filters.agency} if filters.agency else {}))
        .values_list(*fields)
        .annotate(
            label=Max("category_label"),
            billed=Sum("amount", filter=in_period),
            paid=Sum("amount", filter=Q(status=wf.PAID, paid_at__gte=start, paid_at__lt=end)),
            overdue=Count("pk", filter=in_period & _overdue_q()),
            days=Avg(_DAYS, filter=Q(status=wf.PAID, paid_at__gte=start, paid_at__lt=end)),
        )
        .order_by()
    )
    named = names(rows) if names else [r[0] for r in rows]
    out = []
    for name, (*_group, _label, billed, paid, overdue, days) in zip(named, rows, strict=True):
        out.append((name or "-", billed or Decimal(0), paid or Decimal(0), overdue, _days(days)))
    out.sort(key=lambda r: (r[0] == "-", r[0].casefold()))
    return kpi.Table(
        str(title),
        (
            str(_("Nama")),
            str(_("Ditagihkan (Rp)")),
            str(_("Diterima (Rp)")),
            str(_("Lewat batas")),
            str(_("Rata-rata hari")),
        ),
        tuple(out),
    )


def _category_names(rows) -> list[str]:
    """Each (kind, category) group's name from the service that bills it, in the
    reader's language; the name the bill was issued with where the service has none."""
    by_kind: dict[str, set] = {}
    for kind, code, *_rest in rows:
        by_kind.setdefault(kind, set()).add(code)
    names = {}
    for kind, codes in by_kind.items():
        lookup = hooks.kind(kind).category_names
        names[kind] = lookup(codes) if lookup else {}
    return [names[kind].get(code) or label for kind, code, label, *_rest in rows]


@kpi.section(APP, "levy")
def levy(filters: kpi.Filters) -> kpi.Section:
    return kpi.Section(
        app=APP,
        key="levy",
        title=str(_("Retribusi daerah")),
        tables=(
            _table(
                filters,
                ("subject_kind", "category"),
                _("Retribusi per jenis izin"),
                names=_category_names,
            ),
            _table(filters, (localized("agency__name"),), _("Retribusi per perangkat daerah")),
        ),
    )
