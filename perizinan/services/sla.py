"""The service level: reminders before an application's deadline and the reports of
overdue ones, each sent once per application (core `once`)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from binjai_portal.core import workdays
from binjai_portal.core.notifications import EMAIL, SMS, Text, notify
from binjai_portal.core.once import once, once_taken

from .. import workflows as wf
from ..models import Application
from .common import INSPECTORATE_UNIT, REMIND_DAYS_BEFORE

REMINDER, OVERDUE = "reminder", "overdue"


def _once_key(app: Application, what: str) -> str:
    """Each reminder and report goes out once per application (core `once`)."""
    return f"perizinan.{what}:{app.pk}"


def _active_staff(q: Q):
    User = get_user_model()
    return list(User.objects.filter(q, is_active=True).distinct().order_by("pk"))


@transaction.atomic
def sla_send_reminders(*, today: datetime.date | None = None) -> int:
    """Remind the staff of the current step when the standard ends within 2 working days,
    once per application: the once key is claimed in the notifications' transaction."""
    today = today or timezone.localdate()
    horizon = workdays.add_working_days(today, REMIND_DAYS_BEFORE)
    apps = list(
        Application.objects.filter(
            status__in=wf.IN_PROGRESS,
            sla_paused_on__isnull=True,
            sla_due__gte=today,
            sla_due__lte=horizon,
        )
        .exclude(status=wf.REVISION)
        .select_related("permit_type")
    )
    sent = once_taken(_once_key(app, REMINDER) for app in apps)
    apps = [app for app in apps if _once_key(app, REMINDER) not in sent]
    if not apps:
        return 0
    by_role = {role: _active_staff(Q(groups__name=role)) for role in wf.INBOX_STATES}
    reminded = 0
    for app in apps:
        if not once(_once_key(app, REMINDER)):
            continue  # another worker reminded of it a moment ago
        reminded += 1
        role = next(r for r, states in wf.INBOX_STATES.items() if app.status in states)
        recipients = by_role[role]
        if role == wf.TECHNICAL:
            recipients = [u for u in recipients if u.unit_id == app.agency_id]
        for user in recipients:
            notify(
                recipient=user,
                title=Text(
                    gettext_lazy("Pengingat: %(n)s mendekati batas standar pelayanan"),
                    n=app.number,
                ),
                body=Text(
                    gettext_lazy("%(type)s, batas %(due)s."),
                    type=app.permit_type,
                    due=app.sla_due,
                ),
                url=app.get_absolute_url(),
            )
    return reminded


def overdue_recipients() -> list:
    """The Inspectorate's staff and the head(s) of DPMPTSP."""
    return _active_staff(Q(unit__code=INSPECTORATE_UNIT) | Q(groups__name=wf.HEAD))


@transaction.atomic
def sla_report_overdue(*, today: datetime.date | None = None) -> int:
    """Report each application past its service standard, once, by e-mail and SMS.

    The once key is claimed in the same transaction as the notifications, so two beat
    runs or workers cannot report one file twice (the second waits, then finds it).
    """
    today = today or timezone.localdate()
    apps = list(
        Application.objects.filter(
            status__in=wf.IN_PROGRESS,
            sla_due__lt=today,
            sla_paused_on__isnull=True,
            overdue_reported_at__isnull=True,  # reported ones need no claim to skip
        )
        .exclude(status=wf.REVISION)
        .select_related("permit_type")
        .order_by("sla_due", "pk")
    )
    sent = once_taken(_once_key(app, OVERDUE) for app in apps)
    apps = [app for app in apps if _once_key(app, OVERDUE) not in sent]
    if not apps:
        return 0
    recipients = overdue_recipients()
    now = timezone.now()
    reported = 0
    for app in apps:
        if not once(_once_key(app, OVERDUE)):
            continue  # another worker reported it a moment ago
        reported += 1
        late = workdays.working_days_between(app.sla_due, today)
        for user in recipients:
            notify(
                recipient=user,
                title=Text(gettext_lazy("Izin melewati standar pelayanan: %(n)s"), n=app.number),
                body=Text(
                    gettext_lazy(
                        "%(type)s (standar %(days)s hari kerja) melewati batas %(due)s sejak "
                        "%(late)s hari kerja. Tahap saat ini: %(state)s."
                    ),
                    type=app.permit_type,
                    days=app.permit_type.service_days,
                    due=app.sla_due,
                    late=late,
                    state=wf.APPLICATION.label(app.status),
                ),
                url=app.get_absolute_url(),
                channels=(EMAIL, SMS),
            )
        # Kept as the fact the figures count (late applications), not as the guard.
        app.overdue_reported_at = now
        app.save(update_fields=["overdue_reported_at"])
    return reported
