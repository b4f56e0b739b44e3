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
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from binjai_portal.core import kpi
from binjai_portal.core.scale import scale_insert as _scale_insert
from binjai_portal.core.translations import localized

from . import clock
from .models import Booking, Facility

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


def _minutes(qs, start: str, end: str) -> float | None:
    value = qs.filter(_measured(start, end)).aggregate(
        v=Avg(ExpressionWrapper(F(end) - F(start), output_field=DurationField()))
    )["v"]
    return round(max(value.total_seconds(), 0) / 60, 1) if value is not None else None


def _url() -> str:
    return reverse("dokter:index")


@kpi.figure("dokter", "bookings", label=_l("Antrean (daring dan di tempat)"), unit=_l("nomor"))
def bookings(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(
        _bookings(filters)
        .exclude(status=S.CANCELLED)
        .exclude(channel=Booking.Channel.TRANSFER)
        .count(),
        _url(),
    )


@kpi.figure("dokter", "served", label=_l("Pasien dilayani"), unit=_l("pasien"))
def served(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_bookings(filters).filter(status__in=(S.DONE, S.TRANSFERRED)).count(), _url())


@kpi.figure(
    "dokter",
    "avg_wait",
    label=_l("Rata-rata tunggu (hadir sampai dipanggil)"),
    unit=_l("menit"),
    better="lower",
)
def avg_wait(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_minutes(_bookings(filters), "checked_in_at", "called_at"), _url())


@kpi.figure(
    "dokter", "avg_service", label=_l("Rata-rata lama pelayanan"), unit=_l("menit"), better="lower"
)
def avg_service(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(_minutes(_bookings(filters), "service_started_at", "finished_at"), _url())


@kpi.figure("dokter", "no_show", label=_l("Tidak hadir"), unit="%", better="lower")
def no_show(filters: kpi.Filters) -> kpi.Value:
    agg = (
        _bookings(filters)
        .exclude(status__in=(S.CANCELLED, *Booking.ACTIVE))
        .aggregate(total=Count("pk"), absent=Count("pk", filter=Q(status=S.ABSENT)))
    )
    if not agg["total"]:
        return kpi.Value(None, _url())
    return kpi.Value(round(100 * agg["absent"] / agg["total"], 1), _url())


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
        Booking.objects.filter(date=clock.today())
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
    now = clock.now()
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
        .values("facility__unit__code", "facility__unit__name", "poli__code", "poli__name")
        .annotate(
            wait=Avg(ExpressionWrapper(end - F("checked_in_at"), output_field=DurationField())),
            waiting=Count("pk", filter=Q(status=S.CHECKED_IN)),
        )
        .order_by("facility__unit__code", "poli__code")
    )
    for r in rows:
        minutes = r["wait"].total_seconds() / 60 if r["wait"] is not None else 0
        if minutes <= WAIT_LIMIT_MINUTES:
            continue
        names = {
            "poli": r["poli__name"],
            "facility": r["facility__unit__name"],
            "minutes": round(minutes),
        }
        yield kpi.AlertCause(
            key=f"dokter:wait:{r['facility__unit__code']}:{r['poli__code']}:{today.isoformat()}",
            title=_("Antrean lama di %(poli)s, %(facility)s: rata-rata %(minutes)s menit") % names,
            body=_(
                "Rata-rata tunggu hari ini (hadir sampai dipanggil) %(minutes)s menit, di "
                "atas batas %(limit)s menit. Masih menunggu: %(waiting)s pasien."
            )
            % {**names, "limit": WAIT_LIMIT_MINUTES, "waiting": r["waiting"]},
            url=reverse("dokter:console", args=[r["poli__code"]]),
            unit_codes=(r["facility__unit__code"],),
            severity="danger" if minutes > WAIT_DANGER_MINUTES else "warning",
        )


@kpi.panel("dokter", "queues")
def queues_panel() -> kpi.Table:
    """Today's queue of each poli: the number called last and how many still wait."""
    today = clock.today()
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


# --- city-scale data set (issue 9, "Speed at city scale") -----------------------------
#
# `manage.py generate_scale_data --factor F` calls this: factor 1.0 is 200,000 bookings.
# PostgreSQL only (one INSERT ... SELECT ... FROM generate_series; SQLite is refused with
# a message). The factor is a target, so re-running is safe: bookings already generated
# (code "SK" + 10 digits: 12 characters, never a real 10-character code) count towards it
# and only the difference is added. Bookings are dated over the past 365 days (never
# today: the live queues stay real), spread over the active polis, mostly done, some
# absent or cancelled. Queue numbers continue each poli's day's QueueCounter, which is
# moved past them in the same statement while the counter table is locked. Booking has
# no demo flag (the SK code marks scale rows); no history rows, notifications or
# StatusChange rows are written for them.

SCALE_FULL = 200_000
SCALE_STATES = (("done", 80), ("absent", 9), ("cancelled", 11))
SCALE_NAMES = (
    "Ahmad Demo",
    "Siti Demo",
    "Budi Demo",
    "Rina Demo",
    "Joko Demo",
    "Dewi Demo",
    "Rudi Demo",
    "Nur Demo",
)


@kpi.scale_generator("dokter", order=50)
def scale_generate(factor: float, log) -> None:
    from django.conf import settings
    from django.core.management.base import CommandError
    from django.db import connection, transaction

    from binjai_portal.accounts import roles
    from binjai_portal.accounts.models import User

    from .models import Poli, QueueCounter

    if connection.vendor != "postgresql":
        raise CommandError(
            "dokter: the scale data set needs PostgreSQL "
            "(generate_series); SQLite is not supported."
        )
    target = max(1, round(SCALE_FULL * factor))
    with transaction.atomic():
        with connection.cursor() as cursor:  # real bookings wait until we commit
            cursor.execute(f"LOCK TABLE {QueueCounter._meta.db_table} IN EXCLUSIVE MODE")
        have = Booking.objects.filter(code__regex=r"^SK[0-9]{10}$").count()
        if have >= target:
            log(f"dokter: {have} scale bookings already there (target {target})")
            return
        polis = list(
            Poli.objects.filter(is_active=True, facility__is_active=True)
            .order_by("pk")
            .values_list("pk", "facility_id", "letter", "avg_service_minutes")
        )
        if not polis:
            from .demo import seed

            seed(log)  # demo facilities, polis and schedules (is_demo), idempotent
            polis = list(
                Poli.objects.filter(is_active=True, facility__is_active=True)
                .order_by("pk")
                .values_list("pk", "facility_id", "letter", "avg_service_minutes")
            )
        patients = list(
            User.objects.filter(is_active=True, groups__name=roles.WARGA)
            .order_by("-is_demo", "pk")
            .values_list("pk", flat=True)[:50]
        )
        if not (polis and patients):
            raise CommandError(
                "dokter: polis or citizens missing; run `manage.py seed_demo` first."
            )
        states = [s for s, weight in SCALE_STATES for _ in range(weight)]
        t = connection.ops.quote_name(QueueCounter._meta.db_table)
        seq = f"pg_get_serial_sequence('{Booking._meta.db_table}', 'id')"
        with_sql = f"""
        WITH base AS MATERIALIZED (
            SELECT g, nextval({seq}) AS id, random() AS r,
                   (now() AT TIME ZONE %(tz)s)::date - (1 + floor(random() * 365)::int) AS day,
                   1 + floor(random() * %(npoli)s)::int AS pi,
                   (%(states)s::text[])[1 + floor(random() * %(nstates)s)::int] AS st
            FROM generate_series(1, %(n)s) AS g),
        s AS MATERIALIZED (
            SELECT base.*, row_number() OVER (PARTITION BY pi, day ORDER BY g) AS rn,
                   (%(polis)s::bigint[])[pi] AS poli_id
            FROM base),
        counters AS (
            INSERT INTO {t} (poli_id, date, last_number)
            SELECT poli_id, day, count(*) FROM s GROUP BY poli_id, day
            ON CONFLICT (poli_id, date)
            DO UPDATE SET last_number = {t}.last_number + EXCLUDED.last_number RETURNING 1)"""  # noqa: S608 (model table names)
        number = "(coalesce(c.last_number, 0) + s.rn)"
        minutes = "(%(minutes)s::int[])[s.pi]"
        estimated = (
            f"((s.day + time '07:30' + {number} * {minutes} * interval '1 minute')"
            " AT TIME ZONE %(tz)s)"
        )
        done = "s.st = 'done'"
        exprs = {
            "id": "s.id",
            "code": "'SK' || lpad(s.id::text, 10, '0')",
            "facility_id": "(%(facilities)s::bigint[])[s.pi]",
            "poli_id": "s.poli_id",
            "schedule_id": "NULL",
            "date": "s.day",
            "number": number,
            "letter": "(%(letters)s::text[])[s.pi]",
            "channel": "CASE WHEN s.g %% 5 < 3 THEN 'online' ELSE 'onsite' END",
            "status": "s.st",
            "patient_user_id": "(%(patients)s::bigint[])[1 + s.g %% %(npatients)s]",
            "patient_name": "(%(names)s::text[])[1 + s.g %% %(nnames)s]",
            "booked_by_id": "(%(patients)s::bigint[])[1 + s.g %% %(npatients)s]",
            "payment": "CASE WHEN s.g %% 4 < 3 THEN 'bpjs' ELSE 'umum' END",
            "bpjs_number": "CASE WHEN s.g %% 4 < 3 THEN '0009' || lpad((s.g %% 1000000000)"
            "::text, 9, '0') ELSE '' END",
            "complaint": "''",
            "priority": "CASE WHEN s.g %% 20 = 0 THEN 'lansia' ELSE '' END",
            "priority_note": "CASE WHEN s.g %% 20 = 0 THEN 'Usia di atas 60 tahun' ELSE '' END",
            "estimated_at": estimated,
            "created_at": f"{estimated} - interval '1 day'",
            "checked_in_at": f"CASE WHEN {done} THEN {estimated} - interval '20 minutes' END",
            "called_at": f"CASE WHEN {done} THEN {estimated} + s.r * interval '40 minutes' END",
            "call_count": f"CASE WHEN {done} THEN 1 ELSE 0 END",
            "service_started_at": f"CASE WHEN {done} THEN {estimated} "
            "+ s.r * interval '40 minutes' + interval '1 minute' END",
            "finished_at": f"CASE WHEN {done} THEN {estimated} + s.r * interval '40 minutes' "
            f"+ ({minutes} + 1) * interval '1 minute' END",
            "notified_near": "false",
            "reminded": "false",
        }
        add = target - have
        params = {
            "n": add,
            "tz": settings.TIME_ZONE,
            "states": states,
            "nstates": len(states),
            "npoli": len(polis),
            "polis": [p[0] for p in polis],
            "facilities": [p[1] for p in polis],
            "letters": [p[2] for p in polis],
            "minutes": [p[3] for p in polis],
            "patients": patients,
            "npatients": len(patients),
            "names": list(SCALE_NAMES),
            "nnames": len(SCALE_NAMES),
        }
        made = _scale_insert(
            Booking,
            exprs,
            f"FROM s LEFT JOIN {t} AS c ON c.poli_id = s.poli_id AND c.date = s.day",
            params,
            with_sql,
        )
    log(f"dokter: {made} scale bookings added ({have + made} of {target})")


# ---------------------------------------------------------------- by channel (issue 16)


@kpi.figure("dokter", "mobile_jkn", label=_l("Antrean dari Mobile JKN"), unit=_l("nomor"))
def mobile_jkn(filters: kpi.Filters) -> kpi.Value:
    return kpi.Value(
        _bookings(filters)
        .exclude(status=S.CANCELLED)
        .filter(source=Booking.Source.MOBILE_JKN)
        .count(),
        _url(),
    )


@kpi.section("dokter", "channels")
def channels(filters: kpi.Filters) -> kpi.Section:
    """The clinics' entries by the door the patient came in by (portal, Mobile JKN,
    counter, kiosk): one aggregate query, transfers between polis left out."""
    sources = Booking.Source
    counts = (
        _bookings(filters)
        .exclude(status=S.CANCELLED)
        .exclude(channel=Booking.Channel.TRANSFER)
        .aggregate(
            **{s.value: Count("pk", filter=Q(source=s.value)) for s in sources},
            **{
                f"{s.value}_served": Count("pk", filter=Q(source=s.value, status=S.DONE))
                for s in sources
            },
        )
    )
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
