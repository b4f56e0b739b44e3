"""e-Dokter's key figures for the command center (registered at startup)."""

from __future__ import annotations

import datetime

from django.db.models import (
    Avg,
    Case,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import pgettext_lazy

from binjai_portal.accounts.models import Unit
from binjai_portal.core import kpi
from binjai_portal.core.notifications import Text
from binjai_portal.core.translations import localized

from .models import Booking, Facility, Poli

S = Booking.Status


def _bookings(filters: kpi.Filters):
    qs = Booking.objects.filter(date__range=(filters.period.start, filters.period.end))
    if filters.kecamatan:
        qs = qs.filter(facility__unit__region__code__startswith=filters.kecamatan)
    if filters.agency:
        qs = qs.filter(facility__unit__code=filters.agency)
    return qs


def _measured(start: str, end: str) -> Q:
    """The rows where the span start -> end is a real duration.

    A requeued late arrival gets a new check-in after their first call, and a transfer
    undone clears its end: until the next call such a row's two times are out of order,
    and averaging it in gave "Rata-rata tunggu -86,4 menit". A span is measured only
    when it ends on or after it starts.
    """
    return Q(**{f"{start}__isnull": False, f"{end}__isnull": False, f"{end}__gte": F(start)})


def _url() -> str:
    return reverse("dokter:index")


def _span(start: str, end: str):
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def _as_minutes(value) -> float | None:
    return round(max(value.total_seconds(), 0) / 60, 1) if value is not None else None


def _totals(filters: kpi.Filters) -> dict:
    """Every figure of the period's bookings and the channels section, from one scan of
    them (kpi.shared: computed once per period and copy), grouped by (status, channel,
    source) in the database (a few dozen groups) and added up here: twenty FILTERed
    counts on every row cost more than the scan. A booking counts as an entry when not
    cancelled and not a transfer between polis (the patient came in once)."""

    def compute():
        wait = _measured("checked_in_at", "called_at")
        service = _measured("service_started_at", "finished_at")
        groups = (
            _bookings(filters)
            .order_by()
            .values_list("status", "channel", "source")
            .annotate(
                n=Count("pk"),
                wait_sum=Sum(_span("checked_in_at", "called_at"), filter=wait),
                wait_n=Count("pk", filter=wait),
                service_sum=Sum(_span("service_started_at", "finished_at"), filter=service),
                service_n=Count("pk", filter=service),
            )
        )
        out = {
            "bookings": 0,
            "served": 0,
            "decided": 0,
            "absent": 0,
            "mobile_jkn": 0,
            **{f"source_{s.value}": 0 for s in Booking.Source},
            **{f"source_{s.value}_served": 0 for s in Booking.Source},
        }
        spans = {"wait": [datetime.timedelta(0), 0], "service": [datetime.timedelta(0), 0]}
        for status, channel, source, n, wait_sum, wait_n, service_sum, service_n in groups:
            entry = status != S.CANCELLED and channel != Booking.Channel.TRANSFER
            out["bookings"] += n if entry else 0
            out["served"] += n if status in (S.DONE, S.TRANSFERRED) else 0
            out["decided"] += n if status not in (S.CANCELLED, *Booking.ACTIVE) else 0
            out["absent"] += n if status == S.ABSENT else 0
            if status != S.CANCELLED and source == Booking.Source.MOBILE_JKN:
                out["mobile_jkn"] += n
            if entry and f"source_{source}" in out:
                out[f"source_{source}"] += n
                out[f"source_{source}_served"] += n if status == S.DONE else 0
            for key, total, count in (
                ("wait", wait_sum, wait_n),
                ("service", service_sum, service_n),
            ):
                if count:
                    spans[key][0] += total
                    spans[key][1] += count
        for key, (total, count) in spans.items():
            out[key] = total / count if count else None
        return out

    return kpi.shared(("dokter:totals", filters), compute)


@kpi.figure(
    "dokter",
    "bookings",
    label=_l("Antrean (daring dan di tempat)"),
    unit=pgettext_lazy("satuan", "nomor"),
)
def bookings(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_totals(filters)["bookings"], _url())


@kpi.figure("dokter", "served", label=_l("Pasien dilayani"), unit=_l("pasien"))
def served(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_totals(filters)["served"], _url())


@kpi.figure(
    "dokter",
    "avg_wait",
    label=_l("Rata-rata tunggu (hadir sampai dipanggil)"),
    unit=_l("menit"),
    better="lower",
)
def avg_wait(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_as_minutes(_totals(filters)["wait"]), _url())


@kpi.figure(
    "dokter", "avg_service", label=_l("Rata-rata lama pelayanan"), unit=_l("menit"), better="lower"
)
def avg_service(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_as_minutes(_totals(filters)["service"]), _url())


@kpi.figure("dokter", "no_show", label=_l("Tidak hadir"), unit="%", better="lower")
def no_show(filters: kpi.Filters) -> kpi.Value:
    agg = _totals(filters)
    if not agg["decided"]:
        return kpi.Value(None, _url())
    return kpi.Value(round(100 * agg["absent"] / agg["decided"], 1), _url())


@kpi.section("dokter", "queues")
def queues(filters: kpi.Filters) -> kpi.Section:
    """Per facility and poli over the period, and the live state of today's queues."""
    rows = (
        _bookings(filters)
        .exclude(status=S.CANCELLED)
        .values(poli_name=localized("poli__name"), facility_name=localized("facility__unit__name"))
        .annotate(
            total=Count("pk"),
            online=Count("pk", filter=Q(channel=Booking.Channel.ONLINE)),
            served=Count("pk", filter=Q(status__in=(S.DONE, S.TRANSFERRED))),
            absent=Count("pk", filter=Q(status=S.ABSENT)),
        )
        .order_by("facility_name", "poli_name")
    )
    period = kpi.Table(
        title=_("Antrean per fasilitas dan poli"),
        columns=(
            _("Fasilitas"),
            _("Poli"),
            _("Total"),
            _("Daring"),
            _("Dilayani"),
            _("Tidak hadir"),
        ),
        rows=tuple(
            (
                r["facility_name"],
                r["poli_name"],
                r["total"],
                r["online"],
                r["served"],
                r["absent"],
            )
            for r in rows
        ),
    )
    live_rows = (
        Booking.objects.filter(date=timezone.localdate())
        .exclude(status=S.CANCELLED)
        .values(poli_name=localized("poli__name"), facility_name=localized("facility__unit__name"))
        .annotate(
            waiting=Count("pk", filter=Q(status__in=Booking.WAITING)),
            called=Count("pk", filter=Q(status=S.CALLED)),
            serving=Count("pk", filter=Q(status=S.SERVING)),
            done=Count("pk", filter=Q(status__in=(S.DONE, S.TRANSFERRED))),
        )
        .order_by("facility_name", "poli_name")
    )
    live = kpi.Table(
        title=_("Antrean hari ini (langsung)"),
        columns=(
            _("Fasilitas"),
            _("Poli"),
            _("Menunggu"),
            _("Dipanggil"),
            _("Dilayani"),
            _("Selesai"),
        ),
        rows=tuple(
            (
                r["facility_name"],
                r["poli_name"],
                r["waiting"],
                r["called"],
                r["serving"],
                r["done"],
            )
            for r in live_rows
        ),
    )
    chart = kpi.Chart(
        kind="bar",
        title=_("Antrean per poli"),
        labels=tuple(f"{r[0]} · {r[1]}" for r in period.rows),
        series=(
            kpi.Series(_("Total"), tuple(r[2] for r in period.rows)),
            kpi.Series(_("Dilayani"), tuple(r[4] for r in period.rows)),
        ),
    )
    return kpi.Section(
        "dokter",
        "queues",
        _("e-Dokter: antrean layanan kesehatan"),
        charts=(chart,),
        tables=(period, live),
    )


# --- command center hooks: alerts, wallboard panel, open data -------------------------------

WAIT_LIMIT_MINUTES = 30  # an average wait above this raises an alert
WAIT_DANGER_MINUTES = 60


@kpi.alert_rule("dokter", "wait")
def wait_alerts(today: datetime.date):
    """A poli whose average wait today (check-in to call) is above the limit.

    Patients still waiting count with their wait so far when `today` is today: a poli
    that has stopped calling is the one to alert about.
    """
    now = timezone.localtime()
    waiting_now = Q(status=S.CHECKED_IN) if today == now.date() else Q(pk__in=())
    counted = (_measured("checked_in_at", "called_at") & ~Q(status=S.CHECKED_IN)) | waiting_now
    # A requeued patient waiting again has an old call time: their wait runs from now.
    end = Case(
        When(waiting_now, then=Value(now, output_field=DateTimeField())),
        default=F("called_at"),
        output_field=DateTimeField(),
    )
    rows = (
        Booking.objects.filter(date=today, checked_in_at__isnull=False)
        .filter(counted)
        .filter(checked_in_at__lte=now)
        .values("facility__unit__code", "facility__unit_id", "poli__code", "poli_id")
        .annotate(
            wait=Avg(ExpressionWrapper(end - F("checked_in_at"), output_field=DurationField())),
            waiting=Count("pk", filter=Q(status=S.CHECKED_IN)),
        )
        .order_by("facility__unit__code", "poli__code")
    )
    over = []
    for r in rows:
        minutes = r["wait"].total_seconds() / 60 if r["wait"] is not None else 0
        if minutes > WAIT_LIMIT_MINUTES:
            over.append((r, minutes))
    # The records themselves: the alert keeps their names in every language and each
    # reader (command center, inbox, e-mail) reads them in their own.
    polis = Poli.objects.in_bulk({r["poli_id"] for r, _m in over})
    units = Unit.objects.in_bulk({r["facility__unit_id"] for r, _m in over})
    for r, minutes in over:
        names = {
            "poli": polis[r["poli_id"]],
            "facility": units[r["facility__unit_id"]],
            "minutes": round(minutes),
        }
        yield kpi.AlertCause(
            key=f"dokter:wait:{r['facility__unit__code']}:{r['poli__code']}:{today.isoformat()}",
            title=Text(
                _l("Antrean lama di %(poli)s, %(facility)s: rata-rata %(minutes)s menit"), **names
            ),
            body=Text(
                _l(
                    "Rata-rata tunggu hari ini (hadir sampai dipanggil) %(minutes)s menit, di "
                    "atas batas %(limit)s menit. Masih menunggu: %(waiting)s pasien."
                ),
                **names,
                limit=WAIT_LIMIT_MINUTES,
                waiting=r["waiting"],
            ),
            url=reverse("dokter:console", args=[r["poli__code"]]),
            unit_codes=(r["facility__unit__code"],),
            severity="danger" if minutes > WAIT_DANGER_MINUTES else "warning",
        )


@kpi.panel("dokter", "queues")
def queues_panel() -> kpi.Table:
    """Today's queue of each poli: the number called last and how many still wait."""
    today = timezone.localdate()
    last_called = (
        Booking.objects.filter(poli_id=OuterRef("poli_id"), date=today, called_at__isnull=False)
        .order_by("-called_at", "-pk")
        .values("number")[:1]
    )
    rows = (
        Booking.objects.filter(date=today)
        .exclude(status=S.CANCELLED)
        .values(
            "poli_id",
            "poli__letter",
            poli_name=localized("poli__name"),
            facility_name=localized("facility__unit__name"),
        )
        .annotate(
            remaining=Count("pk", filter=Q(status__in=Booking.WAITING)),
            called=Subquery(last_called),
        )
        .order_by("facility_name", "poli_name")
    )
    return kpi.Table(
        _("Antrean hari ini"),
        (_("Fasilitas"), _("Poli"), _("Dipanggil"), _("Sisa antrean")),
        tuple(
            (
                r["facility_name"],
                r["poli_name"],
                f"{r['poli__letter']}-{r['called']}" if r["called"] else "—",
                r["remaining"],
            )
            for r in rows
        ),
    )


@kpi.dataset(
    "dokter",
    "visits-by-facility",
    title=_l("Kunjungan per fasilitas kesehatan"),
    description=_l(
        "Jumlah antrean (daring dan di tempat), pasien dilayani dan tidak "
        "hadir per fasilitas dalam periode, dengan rata-rata waktu tunggu."
    ),
)
def visits_by_facility(period: kpi.Period) -> kpi.Dataset:
    wait = ExpressionWrapper(F("called_at") - F("checked_in_at"), output_field=DurationField())
    rows = (
        _bookings(kpi.Filters(period))
        .exclude(status=S.CANCELLED)
        .exclude(channel=Booking.Channel.TRANSFER)
        .values(
            "facility__unit__code",
            "facility__kind",
            facility_name=localized("facility__unit__name"),
        )
        .annotate(
            total=Count("pk"),
            online=Count("pk", filter=Q(channel=Booking.Channel.ONLINE)),
            onsite=Count("pk", filter=Q(channel=Booking.Channel.ONSITE)),
            served=Count("pk", filter=Q(status__in=(S.DONE, S.TRANSFERRED))),
            absent=Count("pk", filter=Q(status=S.ABSENT)),
            wait=Avg(wait, filter=_measured("checked_in_at", "called_at")),
        )
        .order_by("facility_name")
    )
    kinds = dict(Facility.Kind.choices)
    return kpi.Dataset(
        (
            _("Kode fasilitas"),
            _("Fasilitas"),
            _("Jenis"),
            _("Antrean"),
            _("Daring"),
            _("Di tempat"),
            _("Dilayani"),
            _("Tidak hadir"),
            _("Rata-rata tunggu (menit)"),
        ),
        tuple(
            (
                r["facility__unit__code"],
                r["facility_name"],
                str(kinds.get(r["facility__kind"], r["facility__kind"])),
                r["total"],
                r["online"],
                r["onsite"],
                r["served"],
                r["absent"],
                round(r["wait"].total_seconds() / 60, 1) if r["wait"] is not None else None,
            )
            for r in rows
        ),
    )


# ---------------------------------------------------------------- by channel (issue 16)


@kpi.figure(
    "dokter",
    "mobile_jkn",
    label=_l("Antrean dari Mobile JKN"),
    unit=pgettext_lazy("satuan", "nomor"),
)
def mobile_jkn(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_totals(filters)["mobile_jkn"], _url())


@kpi.section("dokter", "channels")
def channels(filters: kpi.Filters) -> kpi.Section:
    """The clinics' entries by the door the patient came in by (portal, Mobile JKN,
    counter, kiosk), transfers between polis left out: the figures' scan (_totals)."""
    sources = Booking.Source
    totals = _totals(filters)
    counts = {
        **{s.value: totals[f"source_{s.value}"] for s in sources},
        **{f"{s.value}_served": totals[f"source_{s.value}_served"] for s in sources},
    }
    labels = tuple(str(s.label) for s in sources)
    return kpi.Section(
        app="dokter",
        key="channels",
        title=_("Antrean klinik per saluran"),
        charts=(
            kpi.Chart(
                kind="bar",
                title=_("Antrean per saluran"),
                labels=labels,
                series=(
                    kpi.Series(_("Antrean"), tuple(counts[s.value] for s in sources)),
                    kpi.Series(
                        _("Selesai dilayani"), tuple(counts[f"{s.value}_served"] for s in sources)
                    ),
                ),
            ),
        ),
        tables=(
            _integration_table(),
            kpi.Table(
                title=_("Antrean per saluran"),
                columns=(_("Saluran"), _("Antrean"), _("Selesai dilayani")),
                rows=tuple(
                    (str(s.label), counts[s.value], counts[f"{s.value}_served"]) for s in sources
                ),
            ),
        ),
    )


def _integration_table() -> kpi.Table:
    """Per facility and national system: last success, backlog, failures (one query)."""
    from binjai_portal.core.models import OutboxMessage

    rows = (
        OutboxMessage.objects.filter(scope__startswith="dokter.facility:")
        .values("scope", "system")
        .annotate(
            last=Max("sent_at"),
            backlog=Count("pk", filter=Q(status=OutboxMessage.Status.PENDING)),
            failed=Count("pk", filter=Q(status=OutboxMessage.Status.FAILED)),
        )
        .order_by("scope", "system")
    )
    names = dict(Facility.objects.values_list("pk", localized("unit__name")))
    return kpi.Table(
        title=_("Integrasi nasional per fasilitas"),
        columns=(_("Fasilitas"), _("Sistem"), _("Terakhir berhasil"), _("Menunggu"), _("Gagal")),
        rows=tuple(
            (
                names.get(int(r["scope"].rsplit(":", 1)[1]), r["scope"]),
                r["system"],
                timezone.localtime(r["last"]).strftime("%d-%m-%Y %H.%M") if r["last"] else "—",
                r["backlog"],
                r["failed"],
            )
            for r in rows
        ),
    )
