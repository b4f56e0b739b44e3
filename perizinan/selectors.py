"""Every read of e-Perizinan: scoped to the user, related rows loaded in place."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import rules
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from binjai_portal.accounts.scoping import scope_queryset
from binjai_portal.core import workdays
from binjai_portal.core.inputs import is_ascii_digits
from binjai_portal.core.models import StatusChange
from binjai_portal.core.workflow import timeline

from . import workflows as wf
from .models import Application, ApplicationDocument, Certificate, PermitType


def permit_type_list_active() -> QuerySet[PermitType]:
    return (
        PermitType.objects.filter(is_active=True)
        .select_related("agency")
        .prefetch_related("requirements")
        .order_by("name")
    )


def permit_type_names(codes) -> dict[str, str]:
    """{code: name} of permit types in the active language, Indonesian where no English
    (billing's names of levy categories)."""
    return dict(PermitType.objects.filter(code__in=list(codes)).values_list("code", "name"))


def permit_type_get_active(*, code: str) -> PermitType:
    pt = permit_type_list_active().filter(code=code).first()
    if pt is None:
        raise Http404
    return pt


def _scoped(user) -> QuerySet[Application]:
    return scope_queryset(Application.objects.all(), user, **wf.APPLICATION.scope)


def application_list_for_applicant(*, user) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=user)
        .select_related("permit_type")
        .order_by("-created_at", "-pk")
    )


def application_open_draft(*, user, permit_type: PermitType) -> Application | None:
    """The applicant's newest unsent draft of this permit type, to continue instead of
    starting another one."""
    if not (user and user.is_authenticated):
        return None
    return (
        Application.objects.filter(applicant=user, permit_type=permit_type, status=wf.DRAFT)
        .order_by("-created_at", "-pk")
        .first()
    )


def application_list_visible(*, user) -> QuerySet[Application]:
    """THE rule of who may open an application: the applicant always; DPMPTSP staff and
    the technical agency (within their scope) once it is sent, never another person's
    unsent draft; nobody else. The detail page, the work queue and the upload policies
    of the documents, survey photos and certificates are all derived from it."""
    if not (user and user.is_authenticated):
        return Application.objects.none()
    own = Q(applicant=user)
    if user.is_staff and rules.has_perm("perizinan.work_on_applications", user):
        return _scoped(user).filter(own | ~Q(status=wf.DRAFT))
    return Application.objects.filter(own)


def application_get_for_user(*, user, pk: int) -> Application:
    """The application if the user may see it (owner, DPMPTSP, the technical agency), else 404."""
    app = (
        application_list_visible(user=user)
        .select_related(
            "permit_type", "permit_type__agency", "applicant", "agency", "kelurahan", "surveyor"
        )
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=ApplicationDocument.objects.select_related("requirement", "upload"),
            ),
            "permit_type__requirements",
            "survey_photos",
            Prefetch(
                "certificates",
                queryset=Certificate.objects.select_related("pdf").order_by("-version"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if app is None:
        raise Http404
    return app


@dataclass(frozen=True)
class InboxRow:
    application: Application
    days_left: int | None  # negative when overdue; None while paused
    paused: bool
    state_label: str

    @property
    def days_late(self) -> int:
        """Working days past the deadline, a positive count (0 when not late)."""
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def _days_left(
    app: Application, today: datetime.date, cal: workdays.Calendar | None = None
) -> int | None:
    if app.sla_paused_on or not app.sla_due:
        return None
    cal = cal or workdays.Calendar()
    if app.sla_due >= today:
        return cal.between(today, app.sla_due)
    return -cal.between(app.sla_due, today)


def inbox_queryset(*, user) -> QuerySet[Application]:
    """Files waiting for the user's role(s), oldest first (index status, submitted_on)."""
    states: set[str] = set()
    for role, role_states in wf.INBOX_STATES.items():
        if user.is_superuser or user.has_role(role):
            states.update(role_states)
    if not states:
        return Application.objects.none()
    return (
        application_list_visible(user=user)
        .filter(status__in=states)
        .select_related("permit_type", "applicant", "surveyor")
        .order_by("submitted_on", "pk")
    )


def inbox_rows(applications, *, today: datetime.date | None = None) -> list[InboxRow]:
    """One page of the inbox with working days left (the closures read once)."""
    today = today or timezone.localdate()
    cal = workdays.Calendar()
    return [
        InboxRow(
            a, _days_left(a, today, cal), bool(a.sla_paused_on), str(wf.APPLICATION.label(a.status))
        )
        for a in applications
    ]


def inbox_for_user(*, user, today: datetime.date | None = None, limit: int = 200) -> list[InboxRow]:
    """Files waiting for the user's role(s), oldest first, with working days left."""
    return inbox_rows(inbox_queryset(user=user)[:limit], today=today)


def application_holder(*, application: Application) -> str:
    """Who holds the file now, in words the applicant understands (the technical agency
    during the technical review, the permit office's desks otherwise); empty when the file
    is not in progress."""
    status = application.status
    if status == wf.REVIEW:
        agency = application.agency or application.permit_type.agency
        name = agency.name if agency else _("perangkat daerah teknis")
        return _("%(agency)s (kajian teknis)") % {"agency": name}
    desks = {
        wf.SUBMITTED: _("DPMPTSP, petugas verifikasi berkas"),
        wf.SURVEY: _("DPMPTSP, tim survei lapangan"),
        wf.SURVEY_SCHEDULED: _("DPMPTSP, tim survei lapangan"),
        wf.DECISION: _("Kepala DPMPTSP (keputusan)"),
        wf.PAYMENT: _("DPMPTSP, menunggu pembayaran retribusi oleh pemohon"),
        wf.REVISION: _("Pemohon (perbaikan berkas)"),
    }
    return str(desks.get(status, ""))


def application_timeline(*, application: Application, viewer):
    return timeline(application, workflow=wf.APPLICATION, viewer=viewer)


# PUBLIC


@dataclass(frozen=True)
class TrackingStep:
    label: str
    when: datetime.datetime


@dataclass(frozen=True)
class Tracking:
    number: str
    type_name: str
    state_label: str
    steps: tuple[TrackingStep, ...]


def application_track(*, number: str, check: str) -> Tracking | None:
    """Public tracking: the steps and dates only, when the check value (the last four
    digits of the applicant's phone) matches; otherwise None, revealing nothing."""
    number = (number or "").strip().upper()
    check = (check or "").strip()
    if len(check) != 4 or not is_ascii_digits(check) or len(number) > 15:
        return None
    app = (
        Application.objects.filter(number=number).select_related("permit_type", "applicant").first()
    )
    if app is None or not app.applicant.phone or not app.applicant.phone.endswith(check):
        return None
    from django.contrib.contenttypes.models import ContentType

    changes = (
        StatusChange.objects.filter(
            content_type=ContentType.objects.get_for_model(Application), object_id=str(app.pk)
        )
        .exclude(to_state=wf.DRAFT)
        .order_by("created_at", "pk")
    )
    steps = tuple(
        TrackingStep(str(wf.APPLICATION.label(c.to_state)), c.created_at) for c in changes
    )
    return Tracking(app.number, app.permit_type.name, str(wf.APPLICATION.label(app.status)), steps)


def certificate_get_by_token(*, token: str) -> Certificate | None:
    if not token or len(token) > 43:
        return None
    return (
        Certificate.objects.select_related("application__permit_type", "replaced_by")
        .filter(token=token)
        .first()
    )


def certificate_get_by_number(*, number: str) -> Certificate | None:
    number = (number or "").strip().upper()
    if not number or len(number) > 40:
        return None
    return (
        Certificate.objects.select_related("application__permit_type", "replaced_by")
        .filter(number=number)
        .order_by("-version")
        .first()
    )


def certificate_matching_file(*, sha256: str) -> Certificate | None:
    return (
        Certificate.objects.select_related("application__permit_type", "replaced_by")
        .filter(sha256=sha256)
        .first()
    )


def mask_name(name: str) -> str:
    """'Siti Aminah' -> 'Si** Am****': enough to recognise, not to harvest."""
    parts = []
    for word in (name or "").split():
        keep = 2 if len(word) > 3 else 1
        parts.append(word[:keep] + "*" * (len(word) - keep))
    return " ".join(parts)
