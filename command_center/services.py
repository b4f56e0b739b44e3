"""Command center writes: targets, daily snapshots, alerts raised once per cause."""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from binjai_portal.accounts import roles
from binjai_portal.accounts.models import Unit
from binjai_portal.core import kpi
from binjai_portal.core.notifications import EMAIL, Text, notify
from binjai_portal.core.once import once, once_taken
from binjai_portal.core.workflow import transition, workflow_start

from . import workflows as wf
from .models import Alert, Snapshot, Target
from .selectors import status_against_target

logger = logging.getLogger(__name__)


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.0001"))
    except (InvalidOperation, ValueError):
        return None


@transaction.atomic
def target_set(
    *, app: str, key: str, target: Decimal, actor, note: str = "", alert_when_missed: bool = True
) -> Target:
    obj = Target.objects.select_for_update().filter(app=app, key=key).first() or Target(
        app=app, key=key
    )
    obj.target, obj.note, obj.updated_by = target, note, actor
    obj.alert_when_missed = alert_when_missed
    obj.full_clean()
    obj.save()
    return obj


def snapshot_take(*, day: datetime.date, registry: kpi.Registry | None = None) -> int:
    """Store every registered figure's value for `day`; returns how many rows were new.

    Idempotent: a day already snapshotted keeps its first values (that is the point of a
    snapshot: old rows may change later, the recorded trend does not).
    """
    registry = registry or kpi.registry
    done = set(Snapshot.objects.filter(date=day).values_list("app", "key"))
    wanted = [k for k in registry.figures if k not in done]
    if not wanted:
        return 0
    filters = kpi.Filters(kpi.Period(day, day))
    # compute_values isolates each figure: one app's broken figure is logged and left
    # out, and does not stop the others' snapshots.
    subset = kpi.Registry(figures={k: registry.figures[k] for k in wanted})
    rows = [
        Snapshot(app=app, key=key, date=day, value=_decimal(v.value))
        for (app, key), v in subset.compute_values(filters).items()
    ]
    with transaction.atomic():
        created = Snapshot.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def snapshot_backfill(*, days: int, until: datetime.date | None = None) -> int:
    until = until or timezone.localdate() - datetime.timedelta(days=1)
    return sum(snapshot_take(day=until - datetime.timedelta(days=n)) for n in range(days))


def _pimpinan():
    User = get_user_model()
    return list(User.objects.filter(groups__name=roles.PIMPINAN, is_active=True).distinct())


def _officers(unit_codes):
    if not unit_codes:
        return []
    User = get_user_model()
    return list(
        User.objects.filter(unit__code__in=unit_codes, is_active=True, is_staff=True).distinct()
    )


def alert_raise(*, cause: kpi.AlertCause, app: str, rule: str) -> Alert | None:
    """Raise the alert for this cause unless it was raised before; None if it was.
    The once key is claimed in the alert's transaction, so a concurrent run waits and
    then finds it."""
    unit = (
        Unit.objects.filter(code__in=cause.unit_codes).order_by("pk").first()
        if cause.unit_codes
        else None
    )
    title_id, title_json = _as_text(cause.title)
    body_id, body_json = _as_text(cause.body)
    alert = Alert(
        cause_key=cause.key[:200],
        app=app,
        rule=rule,
        title=title_id[:200],
        body=body_id,
        title_text=title_json,
        body_text=body_json,
        url=cause.url[:500],
        unit=unit,
        severity=cause.severity
        if cause.severity in Alert.Severity.values
        else Alert.Severity.WARNING,
    )
    alert.full_clean(exclude=["cause_key"])  # uniqueness is the database's job, below
    try:
        with transaction.atomic():
            if not once(_once_key(cause)):
                return None  # raised by a concurrent run a moment ago
            alert.save()
            workflow_start(alert, workflow=wf.ALERT, state=wf.OPEN, actor=None)
            title = Text(_l("Peringatan: %(title)s"), title=_stored(title_id, title_json))
            body = _stored(body_id, body_json)
            url = alert.get_absolute_url()
            for leader in _pimpinan():
                notify(recipient=leader, title=title, body=body, url=url, channels=(EMAIL,))
            for officer in _officers(cause.unit_codes):
                notify(recipient=officer, title=title, body=body, url=url, channels=())
    except IntegrityError:  # cause_key stays unique: an alert is the record of its cause
        return None
    return alert


def _as_text(value) -> tuple[str, dict | None]:
    """(Indonesian text, message JSON or None) of an AlertCause's title or body: a Text
    (or lazy string) is kept as its key and values, a plain string as it is."""
    if isinstance(value, Promise):
        value = Text(value)
    if isinstance(value, Text):
        return value.render(settings.LANGUAGE_CODE), value.to_json()
    return str(value or ""), None


def _stored(text: str, data: dict | None) -> Text:
    """The alert's title/body again as a Text, for its notifications."""
    return Text.from_json(data) if data else Text.plain(text)


def _once_key(cause: kpi.AlertCause) -> str:
    """An alert is raised once per cause (core `once`)."""
    return f"command_center.alert:{cause.key[:200]}"


def _target_causes(
    today: datetime.date, registry: kpi.Registry
) -> list[tuple[str, kpi.AlertCause]]:
    """A target missed over the last 7 days: one alert per figure and ISO week."""
    targets = list(Target.objects.filter(alert_when_missed=True))
    if not targets:
        return []
    filters = kpi.Filters(kpi.Period(today - datetime.timedelta(days=6), today))
    week = today.strftime("%G-W%V")
    out = []
    for t in targets:
        spec = registry.figures.get((t.app, t.key))
        if spec is None:
            continue
        value = spec.compute(filters)
        status = status_against_target(value.value, t.target, spec.better)
        if status not in ("near", "bad"):
            continue
        out.append(
            (
                t.app,
                kpi.AlertCause(
                    key=f"target:{t.app}:{t.key}:{week}",
                    title=Text(_l("%(label)s tidak mencapai target"), label=spec.label),
                    body=Text(
                        _l("Nilai 7 hari terakhir %(value)s %(unit)s; target %(target)s."),
                        value=value.value,
                        unit=spec.unit,
                        target=format(t.target.normalize(), "f"),
                    ),
                    url=value.drilldown_url,
                    severity=Alert.Severity.DANGER if status == "bad" else Alert.Severity.WARNING,
                ),
            )
        )
    return out


def alerts_evaluate(
    *, today: datetime.date | None = None, registry: kpi.Registry | None = None
) -> list[Alert]:
    """Run every registered alert rule and the target rule; raise each new cause once."""
    today = today or timezone.localdate()
    registry = registry or kpi.registry
    found: list[tuple[str, str, kpi.AlertCause]] = []
    for (app, key), spec in registry.alert_rules.items():
        try:
            found += [(app, key, c) for c in spec.compute(today)]
        except Exception:
            logger.exception("alert rule %s.%s failed", app, key)
    found += [(app, "target", c) for app, c in _target_causes(today, registry)]
    known = once_taken(_once_key(c) for *_r, c in found)
    raised = []
    for app, rule, cause in found:
        if _once_key(cause) in known:
            continue
        known.add(_once_key(cause))
        alert = alert_raise(cause=cause, app=app, rule=rule)
        if alert is not None:
            raised.append(alert)
    return raised


@transaction.atomic
def alert_acknowledge(*, alert: Alert, actor, note: str = "") -> Alert:
    transition(alert, workflow=wf.ALERT, action="acknowledge", actor=actor, note=note)
    return alert


@transaction.atomic
def alert_close(*, alert: Alert, actor, note: str) -> Alert:
    transition(alert, workflow=wf.ALERT, action="close", actor=actor, note=note)
    return alert


def digest_build(*, today: datetime.date | None = None) -> tuple[kpi.Period, bytes]:
    """The weekly digest PDF: the last 7 days' figures, daily trends, what is late."""
    from . import exports, selectors

    today = today or timezone.localdate()
    period = kpi.Period(today - datetime.timedelta(days=7), today - datetime.timedelta(days=1))
    filters = kpi.Filters(period)
    blocks = selectors.overview(filters=filters)
    figures = selectors.figures_table(blocks)
    days = [period.start + datetime.timedelta(days=n) for n in range(7)]
    snaps = {
        (s.app, s.key, s.date): s.value
        for s in Snapshot.objects.filter(date__range=(period.start, period.end))
    }
    trend = kpi.Table(
        _("Tren harian (snapshot)"),
        (_("Indikator"), *[d.strftime("%d/%m") for d in days]),
        tuple(
            (str(t.figure.label), *[snaps.get((t.figure.app, t.figure.key, d)) for d in days])
            for b in blocks
            for t in b.tiles
        ),
    )
    late = kpi.Table(
        _("Peringatan terbuka (yang terlambat)"),
        (_("Peringatan"), _("Status"), _("Sejak")),
        tuple(
            (
                a.display_title,
                a.get_status_display(),
                timezone.localtime(a.raised_at).strftime("%d/%m/%Y"),
            )
            for a in selectors.alert_list_open(limit=40)
        ),
    )
    late_tables = [
        t
        for b in blocks
        for s in b.sections
        for t in s.tables
        if "lewat" in str(t.title).lower() or "terlambat" in str(t.title).lower()
    ]
    return period, exports.digest_pdf(
        period=period, tables=[figures, late, *late_tables], trends=[trend]
    )


def digest_send(*, today: datetime.date | None = None) -> int:
    """E-mail the weekly digest PDF to every active pimpinan; returns how many were sent."""
    from django.core.mail import EmailMessage

    leaders = [u for u in _pimpinan() if u.email]
    if not leaders:
        return 0
    period, pdf = digest_build(today=today)
    for leader in leaders:
        message = EmailMessage(
            subject=_("Ringkasan mingguan Command Center %(start)s s.d. %(end)s")
            % {"start": period.start.isoformat(), "end": period.end.isoformat()},
            body=_("Terlampir ringkasan mingguan: indikator utama, tren, dan yang terlambat."),
            to=[leader.email],
        )
        message.attach(f"ringkasan-bcc-{period.end.isoformat()}.pdf", pdf, "application/pdf")
        message.send()
    return len(leaders)
