"""Writes of the personal data protection records. Every status change goes through the
workflow engine; every function checks the actor's right itself."""

from __future__ import annotations

import datetime

import rules
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from binjai_portal.core.notifications import Text, notify
from binjai_portal.core.workflow import transition, workflow_start

from . import workflows as wf
from .access import access_log_record
from .models import (
    LEGAL_HOURS,
    AccessLog,
    Consent,
    Incident,
    PrivacyNotice,
    RetentionRun,
    RightsRequest,
)
from .registry import registry


def ensure_dpo(user) -> None:
    if not rules.has_perm("privacy.act_as_protection_officer", user):
        raise PermissionDenied


PLACEHOLDER_NIK = "0000000000000000"  # not a valid NIK (no region 00): nobody's


def placeholder_subject():
    """The account that anonymised records point at instead of their person."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        nik=PLACEHOLDER_NIK,
        defaults={
            "full_name": "Data dianonimkan",
            "birth_date": datetime.date(1900, 1, 1),
            "sex": "L",
            "is_active": False,
            "password": "!",
        },
    )
    return user


# ------------------------------------------------------------------ notices and consent


def notice_current() -> PrivacyNotice | None:
    return PrivacyNotice.objects.order_by("-version").first()


@transaction.atomic
def notice_publish(
    *,
    actor,
    title: str,
    body: str,
    summary_of_changes: str = "",
    requires_consent: bool = True,
    title_en: str = "",
    body_en: str = "",
) -> PrivacyNotice:
    """A new version; the previous ones stay as they were (what people agreed to).
    The English text is optional: without it English readers see the Indonesian."""
    if actor is not None:
        ensure_dpo(actor)
    last = PrivacyNotice.objects.select_for_update().order_by("-version").first()
    notice = PrivacyNotice(
        version=(last.version + 1) if last else 1,
        title=title.strip(),
        body=body.strip(),
        title_en=title_en.strip() or None,
        body_en=body_en.strip() or None,
        summary_of_changes=summary_of_changes.strip(),
        requires_consent=requires_consent,
        published_by=actor if getattr(actor, "pk", None) else None,
    )
    notice.full_clean()
    notice.save()
    return notice


def consent_needed(user) -> PrivacyNotice | None:
    """The current notice when the user must be asked to accept it: a citizen who has no
    answer (accepted or withdrawn) to the current version of a notice that needs consent."""
    if not user.is_authenticated or user.is_staff:
        return None
    notice = notice_current()
    if notice is None or not notice.requires_consent:
        return None
    if Consent.objects.filter(user=user, notice=notice).exists():
        return None
    return notice


def consent_check_on_login(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: remember in the session that this citizen must answer
    the current notice; the middleware sends them to it until they do."""
    from .middleware import PENDING_KEY

    notice = consent_needed(user)
    if request is not None and hasattr(request, "session"):
        if notice is None:
            request.session.pop(PENDING_KEY, None)
        else:
            request.session[PENDING_KEY] = notice.version


@transaction.atomic
def consent_accept(*, user, notice: PrivacyNotice, source: str = Consent.Source.PROMPT) -> Consent:
    consent, created = Consent.objects.get_or_create(
        user=user, notice=notice, defaults={"source": source}
    )
    if not created and consent.withdrawn_at is not None:
        consent.withdrawn_at = None
        consent.accepted_at = timezone.now()
        consent.save(update_fields=["withdrawn_at", "accepted_at"])
    return consent


def consent_record_registration(*, user) -> Consent | None:
    """The registration form's consent tick, as acceptance of the notice in force."""
    notice = notice_current()
    if notice is None:
        return None
    return consent_accept(user=user, notice=notice, source=Consent.Source.REGISTRATION)


@transaction.atomic
def consent_withdraw(*, user, notice: PrivacyNotice) -> RightsRequest:
    """Pasal 9 and 40: the citizen withdraws consent; the controller must stop the
    processing based on it within 3 x 24 hours. Recorded on the consent, and handed to
    the DPO as an erasure request so it is answered within the limit, with reasons for
    what the region must keep."""
    consent = Consent.objects.select_for_update().filter(user=user, notice=notice).first()
    if consent is None or consent.withdrawn_at is not None:
        raise ValidationError(_("Tidak ada persetujuan aktif untuk versi ini."))
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    return rights_request_create(
        user=user,
        kind=RightsRequest.Kind.ERASURE,
        about=_("Penarikan persetujuan pemberitahuan privasi versi %(v)s") % {"v": notice.version},
        details=_(
            "Warga menarik persetujuan (Pasal 9 dan Pasal 40 UU 27/2022): hentikan pemrosesan "
            "yang berdasarkan persetujuan dan hapus data yang boleh dihapus."
        ),
    )


# ------------------------------------------------------------------ rights requests


@transaction.atomic
def rights_request_create(
    *, user, kind: str, about: str, details: str, dependant_id: int | None = None
) -> RightsRequest:
    if kind not in RightsRequest.Kind.values:
        raise ValidationError({"kind": _("Jenis permintaan tidak dikenal.")})
    if dependant_id is not None and not user.dependants.filter(pk=dependant_id).exists():
        raise ValidationError({"dependant": _("Anggota keluarga tidak ditemukan.")})
    now = timezone.now()
    req = RightsRequest(
        kind=kind,
        requester=user,
        dependant_id=dependant_id,
        about=about.strip()[:200],
        details=details.strip(),
        received_at=now,
        due_at=now + datetime.timedelta(hours=LEGAL_HOURS),
    )
    req.full_clean(exclude=["reference"])
    req.save()
    # The primary key comes from a database sequence: no two requests share a number.
    req.reference = f"PDP-{now:%Y}-{req.pk:05d}"
    req.save(update_fields=["reference"])
    workflow_start(req, workflow=wf.RIGHTS_REQUEST, state=wf.SUBMITTED, actor=user)
    for dpo in get_user_model().objects.filter(groups__name=wf.DPO, is_active=True):
        transaction.on_commit(
            lambda dpo=dpo: notify(
                recipient=dpo,
                title=Text(_l("Permintaan hak subjek data baru: %(ref)s"), ref=req.reference),
                url=req.get_absolute_url(),
            )
        )
    return req


@transaction.atomic
def rights_request_act(
    *, request: RightsRequest, actor, action: str, note: str = "", refusal: str = ""
) -> RightsRequest:
    """The DPO's answer. Refusing needs one of the lawful reasons; granting an erasure
    runs every app's eraser and reports what each did."""
    ensure_dpo(actor)
    if action == "refuse" and refusal not in RightsRequest.Refusal.values[1:]:
        raise ValidationError({"refusal": _("Pilih alasan penolakan.")})
    extra = []
    if action in ("fulfil", "refuse"):
        request.answer = (note or "").strip()
        request.answered_at = timezone.now()
        request.refusal = refusal if action == "refuse" else ""
        extra = ["answer", "answered_at", "refusal"]
    if action == "fulfil" and request.kind == RightsRequest.Kind.ERASURE:
        summaries = [
            f"{app}: {func(request.requester)}" for app, func in sorted(registry.erasers.items())
        ]
        request.answer = "\n".join([request.answer, *summaries]).strip()
    transition(
        request,
        workflow=wf.RIGHTS_REQUEST,
        action=action,
        actor=actor,
        note=note,
        extra_fields=extra,
    )
    return request


# ------------------------------------------------------------------ NIK unmasking


@transaction.atomic
def nik_reveal(*, viewer, person, reason: str) -> str:
    """The full NIK, for staff with accounts.view_full_nik who give a reason; logged."""
    reason = (reason or "").strip()
    if not viewer.is_authenticated or not viewer.has_perm("accounts.view_full_nik"):
        raise PermissionDenied
    if len(reason) < 5:
        raise ValidationError({"reason": _("Tuliskan alasan membuka NIK (minimal 5 huruf).")})
    guardian_id = getattr(person, "guardian_id", None)
    access_log_record(
        viewer=viewer,
        kind=AccessLog.Kind.NIK,
        record=f"{person._meta.label_lower}:{person.pk}",
        subject_id=guardian_id or person.pk,
        dependant_id=person.pk if guardian_id else None,
        reason=reason,
    )
    return person.nik


# ------------------------------------------------------------------ retention


def retention_run(*, now: datetime.datetime | None = None) -> RetentionRun:
    """Apply every declared retention period (Pasal 42-44) and record what was done."""
    now = now or timezone.now()
    report: dict[str, int] = {}
    for (app, key), func in sorted(registry.retentions.items()):
        with transaction.atomic():
            report[f"{app}.{key}"] = int(func(now) or 0)
    return RetentionRun.objects.create(ran_at=now, report=report, total=sum(report.values()))


def access_log_purge(*, before: datetime.datetime) -> int:
    """Delete access log rows older than `before`: the only delete the trigger lets
    through, and only inside this transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SET LOCAL privacy.allow_purge = 'on'")
        deleted, _rows = AccessLog.objects.filter(created_at__lt=before).delete()
    return deleted


# ------------------------------------------------------------------ breaches


@transaction.atomic
def incident_create(
    *,
    actor,
    title: str,
    description: str,
    data_disclosed: str,
    discovered_at: datetime.datetime,
    handling: str = "",
    suspect_viewer=None,
    window_start=None,
    window_end=None,
) -> Incident:
    ensure_dpo(actor)
    if discovered_at > timezone.now():
        raise ValidationError({"discovered_at": _("Waktu diketahui tidak boleh di masa depan.")})
    if window_start and window_end and window_end < window_start:
        raise ValidationError({"window_end": _("Akhir rentang sebelum awalnya.")})
    incident = Incident(
        title=title.strip(),
        description=description.strip(),
        data_disclosed=data_disclosed.strip(),
        handling=handling.strip(),
        discovered_at=discovered_at,
        suspect_viewer=suspect_viewer,
        window_start=window_start,
        window_end=window_end,
        reported_by=actor,
    )
    incident.full_clean(exclude=["reference"])
    incident.save()
    incident.reference = f"INS-{discovered_at:%Y}-{incident.pk:04d}"
    incident.save(update_fields=["reference"])
    workflow_start(incident, workflow=wf.INCIDENT, state=wf.OPEN, actor=actor)
    incident_find_affected(incident=incident, actor=actor)
    return incident


def affected_subject_ids(incident: Incident) -> list[int]:
    """Whose data the misused account looked at or exported in the window (access log)."""
    log = AccessLog.objects.filter(subject_id__isnull=False)
    if incident.suspect_viewer_id:
        log = log.filter(viewer_id=incident.suspect_viewer_id)
    if incident.window_start:
        log = log.filter(created_at__gte=incident.window_start)
    if incident.window_end:
        log = log.filter(created_at__lte=incident.window_end)
    return sorted(set(log.values_list("subject_id", flat=True)))


@transaction.atomic
def incident_find_affected(*, incident: Incident, actor) -> int:
    """Fill the affected people from the access log and draft their notice (Pasal 46
    ayat 2: what was disclosed, when and how, what is being done)."""
    ensure_dpo(actor)
    ids = affected_subject_ids(incident)
    users = list(get_user_model().objects.filter(pk__in=ids, is_active=True))
    incident.affected.set(users)
    incident.notice_title = str(
        _("Pemberitahuan kegagalan pelindungan data pribadi %(ref)s") % {"ref": incident.reference}
    )
    incident.notice_body = str(
        _(
            "Pemerintah %(region)s memberitahukan bahwa data pribadi Anda mungkin terungkap.\n"
            "Data yang terungkap: %(data)s\n"
            "Kapan dan bagaimana: %(how)s (diketahui %(when)s)\n"
            "Upaya penanganan dan pemulihan: %(handling)s\n"
            "Pertanyaan dapat disampaikan kepada Pejabat Pelindungan Data Pribadi melalui "
            "portal (menu Data saya)."
        )
        % {
            "region": settings.REGION_NAME,
            "data": incident.data_disclosed,
            "how": incident.description,
            "when": timezone.localtime(incident.discovered_at).strftime("%d-%m-%Y %H:%M"),
            "handling": incident.handling or "-",
        }
    )
    incident.save(update_fields=["notice_title", "notice_body"])
    return len(users)


@transaction.atomic
def incident_notify(*, incident: Incident, actor, title: str = "", body: str = "") -> int:
    """Send the (possibly edited) notice to every affected person through the notification
    service (in-app inbox and e-mail) and record when."""
    ensure_dpo(actor)
    if title.strip():
        incident.notice_title = title.strip()[:200]
    if body.strip():
        incident.notice_body = body.strip()
    incident.notified_at = timezone.now()
    transition(
        incident,
        workflow=wf.INCIDENT,
        action="notify",
        actor=actor,
        note=_("Pemberitahuan dikirim kepada %(n)s orang.") % {"n": incident.affected.count()},
        extra_fields=["notice_title", "notice_body", "notified_at"],
    )
    count = 0
    for person in incident.affected.all():
        # The notice is the DPO's own words: the same text in every language.
        notify(
            recipient=person,
            title=Text.plain(incident.notice_title),
            body=Text.plain(incident.notice_body),
        )
        count += 1
    return count


@transaction.atomic
def incident_close(*, incident: Incident, actor, note: str) -> Incident:
    ensure_dpo(actor)
    transition(incident, workflow=wf.INCIDENT, action="close", actor=actor, note=note)
    return incident
