"""Every write of e-Perizinan. Status changes go through core.workflow.transition()."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from decimal import Decimal

import rules
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from binjai_portal import region_defaults
from binjai_portal.core import formatting, sequences, workdays
from binjai_portal.core.billing import services as billing
from binjai_portal.core.models import Region, StatusChange
from binjai_portal.core.notifications import EMAIL, SMS, notify
from binjai_portal.core.once import once, once_taken
from binjai_portal.core.sequences import sequence_next
from binjai_portal.core.uploads import CleanFile, upload_store
from binjai_portal.core.workflow import TransitionRefused, transition, workflow_start

from . import workflows as wf
from .certificate import (
    CertificateContent,
    Letterhead,
    Signer,
    certificate_pdf,
    logo_file,
    verification_url,
)
from .formula import FormulaError, formula_evaluate
from .models import (
    IKM_ELEMENTS,
    Application,
    ApplicationDocument,
    Certificate,
    PermitType,
    SatisfactionSurvey,
    Signatory,
)
from .schema import schema_form_fields

INSPECTORATE_UNIT = "inspektorat"
PERMIT_OFFICE_UNIT = "dpmptsp"  # the office whose letterhead the certificates carry
REMIND_DAYS_BEFORE = 2


# NUMBERS


def registration_number_take(*, year: int) -> str:
    """The next IZN-<year>-<6 digits> (core.sequences: never twice, no gaps)."""
    return f"IZN-{year}-{sequence_next(key=sequences.REGISTRATION, year=year):06d}"


# DRAFTS


def _ensure_owner(application: Application, actor) -> None:
    if application.applicant_id != getattr(actor, "pk", None):
        raise PermissionDenied


@transaction.atomic
def application_create(*, applicant, permit_type: PermitType) -> Application:
    if not permit_type.is_active:
        raise ValidationError(_("Jenis izin ini tidak sedang dibuka."))
    app = Application(applicant=applicant, permit_type=permit_type, agency_id=permit_type.agency_id)
    app.full_clean()
    app.save()
    workflow_start(app, workflow=wf.APPLICATION, state=wf.DRAFT, actor=applicant)
    return app


@transaction.atomic
def application_update(
    *,
    application: Application,
    actor,
    data: dict | None = None,
    details: dict | None = None,
    documents: dict[int, CleanFile] | None = None,
) -> Application:
    """Save the applicant's form (a draft, or corrections while revision is asked).

    data: the type's own fields (already validated by the type's form);
    details: applicant_kind, business_name, nib, npwp, location_address, kelurahan,
    latitude, longitude; documents: requirement id -> clean file.
    """
    _ensure_owner(application, actor)
    app = Application.objects.select_for_update().get(pk=application.pk)
    if app.status not in (wf.DRAFT, wf.REVISION):
        raise ValidationError(_("Permohonan yang sedang diproses tidak dapat diubah."))
    fields = []
    if data is not None:
        known = {f["name"] for f in app.permit_type.fields}
        app.data = {k: v for k, v in data.items() if k in known}
        fields.append("data")
    for name, value in (details or {}).items():
        if name in {
            "applicant_kind",
            "business_name",
            "nib",
            "npwp",
            "location_address",
            "kelurahan",
            "latitude",
            "longitude",
        }:
            setattr(app, name, value)
            fields.append(name if name != "kelurahan" else "kelurahan")
    if app.applicant_kind == Application.ApplicantKind.PERSON and (
        app.business_name or app.nib or app.npwp
    ):
        # A personal applicant has no business identity: NIB and NPWP of a business
        # would otherwise ride along onto the certificate.
        app.business_name = app.nib = app.npwp = ""
        fields += ["business_name", "nib", "npwp"]
    app.full_clean()
    if fields:
        app.save(update_fields=list(dict.fromkeys(fields)))
    if documents:
        requirements = {r.pk: r for r in app.permit_type.requirements.all()}
        existing = {d.requirement_id: d for d in app.documents.all()}
        for req_id, clean in documents.items():
            requirement = requirements.get(req_id)
            if requirement is None:
                raise ValidationError(_("Persyaratan dokumen tidak dikenal."))
            upload = upload_store(clean=clean, purpose="perizinan.document", owner=app.applicant)
            doc = existing.get(req_id)
            if doc is None:
                doc = ApplicationDocument(application=app, requirement=requirement, upload=upload)
            else:
                if app.status == wf.REVISION and doc.verdict == ApplicationDocument.Check.OK:
                    raise ValidationError(
                        _("Dokumen %(name)s sudah dinyatakan sesuai dan tidak perlu diganti.")
                        % {"name": requirement.name}
                    )
                doc.upload = upload
                doc.verdict = ApplicationDocument.Check.PENDING
                doc.updated_at = timezone.now()
            doc.full_clean()
            doc.save()
    application.refresh_from_db()
    return application


def _missing_documents(app: Application) -> list[str]:
    have = set(app.documents.values_list("requirement_id", flat=True))
    return [r.name for r in app.permit_type.requirements.all() if r.mandatory and r.pk not in have]


def _data_errors(app: Application) -> list[str]:
    """Re-validate the stored data against the type's schema (it may have changed)."""
    from django import forms

    fields = schema_form_fields(app.permit_type.fields)
    form_class = type("TypeForm", (forms.Form,), dict(fields))
    form = form_class(data={f"f_{k}": v for k, v in (app.data or {}).items()})
    if form.is_valid():
        return []
    return [f"{form.fields[name].label}: {' '.join(errs)}" for name, errs in form.errors.items()]


def application_fee(app: Application) -> Decimal:
    pt = app.permit_type
    if pt.fee_kind == PermitType.FeeKind.FIXED:
        return pt.fee_amount
    if pt.fee_kind == PermitType.FeeKind.FORMULA:
        try:
            return max(formula_evaluate(pt.fee_formula, app.data or {}), Decimal("0"))
        except FormulaError as exc:
            raise ValidationError(str(exc)) from None
    return Decimal("0")


@transaction.atomic
def application_submit(
    *, application: Application, actor, today: datetime.date | None = None
) -> Application:
    _ensure_owner(application, actor)
    app = Application.objects.select_for_update().get(pk=application.pk)
    problems = _data_errors(app) + [
        _("Dokumen wajib belum diunggah: %(name)s.") % {"name": name}
        for name in _missing_documents(app)
    ]
    if problems:
        raise ValidationError(problems)
    today = today or timezone.localdate()
    app.fee = application_fee(app)
    app.number = app.number or registration_number_take(year=today.year)
    app.submitted_on = today
    transition(
        app,
        workflow=wf.APPLICATION,
        action="submit",
        actor=actor,
        extra_fields=["number", "submitted_on", "fee"],
        today=today,
    )
    return app


# DOCUMENT CHECK


@transaction.atomic
def application_request_revision(
    *,
    application: Application,
    actor,
    notes: dict[int, str],
    note: str = "",
    today: datetime.date | None = None,
) -> Application:
    """Ask the applicant to fix documents: notes per document id. The SLA clock pauses."""
    notes = {int(k): (v or "").strip() for k, v in notes.items() if (v or "").strip()}
    if not notes:
        raise ValidationError(
            _("Tulis catatan untuk setidaknya satu dokumen yang perlu diperbaiki.")
        )
    docs = {
        d.pk: d
        for d in application.documents.select_related("requirement").select_for_update(of=("self",))
    }
    if not set(notes) <= set(docs):
        raise ValidationError(_("Dokumen tidak dikenal."))
    summary = "; ".join(f"{docs[pk].requirement.name}: {text}" for pk, text in notes.items())
    transition(
        application,
        workflow=wf.APPLICATION,
        action="request_revision",
        actor=actor,
        note=f"{note.strip()}\n{summary}".strip(),
        today=today,
    )
    for pk, doc in docs.items():
        doc.verdict = (
            ApplicationDocument.Check.REVISE if pk in notes else ApplicationDocument.Check.OK
        )
        doc.note = notes.get(pk, "")[:300]
        doc.save(update_fields=["verdict", "note"])
    return application


@transaction.atomic
def application_resubmit(
    *, application: Application, actor, note: str = "", today: datetime.date | None = None
) -> Application:
    _ensure_owner(application, actor)
    app = Application.objects.select_for_update().get(pk=application.pk)
    if app.documents.filter(verdict=ApplicationDocument.Check.REVISE).exists():
        raise ValidationError(_("Unggah ulang semua dokumen yang diminta diperbaiki."))
    problems = _data_errors(app) + [
        _("Dokumen wajib belum diunggah: %(name)s.") % {"name": n} for n in _missing_documents(app)
    ]
    if problems:
        raise ValidationError(problems)
    today = today or timezone.localdate()
    if app.status == wf.REVISION and app.sla_paused_on:
        app.paused_days += workdays.working_days_between(app.sla_paused_on, today)
    transition(
        app,
        workflow=wf.APPLICATION,
        action="resubmit",
        actor=actor,
        note=note,
        extra_fields=["paused_days"],
        today=today,
    )
    return app


@transaction.atomic
def application_accept(
    *, application: Application, actor, note: str = "", today: datetime.date | None = None
) -> Application:
    """Documents complete: on to the field survey, or straight to technical review."""
    action = "accept_to_survey" if application.permit_type.needs_survey else "accept_to_review"
    transition(
        application, workflow=wf.APPLICATION, action=action, actor=actor, note=note, today=today
    )
    application.documents.update(verdict=ApplicationDocument.Check.OK, note="")
    return application


# SURVEY, REVIEW, DECISION


@transaction.atomic
def application_schedule_survey(
    *,
    application: Application,
    actor,
    survey_date: datetime.date,
    surveyor,
    today: datetime.date | None = None,
) -> Application:
    today = today or timezone.localdate()
    if survey_date < today:
        raise ValidationError(_("Tanggal survei tidak boleh sebelum hari ini."))
    if not surveyor.is_active or not surveyor.has_role(wf.SURVEYOR):
        raise ValidationError(_("Petugas yang dipilih bukan surveyor DPMPTSP."))
    application.survey_date, application.surveyor = survey_date, surveyor
    note = _("Survei lapangan dijadwalkan %(date)s.") % {"date": formatting.date(survey_date)}
    transition(
        application,
        workflow=wf.APPLICATION,
        action="schedule_survey",
        actor=actor,
        note=note,
        extra_fields=["survey_date", "surveyor"],
        today=today,
    )
    return application


@transaction.atomic
def application_report_survey(
    *, application: Application, actor, findings: str, photos: list[CleanFile] = (), today=None
) -> Application:
    findings = (findings or "").strip()
    if not findings:
        raise ValidationError(_("Hasil survei wajib diisi."))
    if application.surveyor_id and application.surveyor_id != actor.pk:
        raise TransitionRefused(
            _("Hanya surveyor yang ditugaskan yang dapat melapor."), code="role"
        )
    application.survey_findings = findings
    transition(
        application,
        workflow=wf.APPLICATION,
        action="report_survey",
        actor=actor,
        extra_fields=["survey_findings"],
        today=today,
    )
    uploads = [upload_store(clean=p, purpose="perizinan.survey_photo", owner=actor) for p in photos]
    if uploads:
        application.survey_photos.add(*uploads)
    return application


@transaction.atomic
def application_recommend(
    *, application: Application, actor, recommendation: str, minutes: str = "", today=None
) -> Application:
    recommendation = (recommendation or "").strip()
    if not recommendation:
        raise ValidationError(_("Rekomendasi teknis wajib diisi."))
    application.recommendation, application.review_minutes = recommendation, minutes.strip()
    transition(
        application,
        workflow=wf.APPLICATION,
        action="recommend",
        actor=actor,
        note=recommendation,
        extra_fields=["recommendation", "review_minutes"],
        today=today,
    )
    return application


@transaction.atomic
def application_decide(
    *,
    application: Application,
    actor,
    approve: bool,
    reason: str = "",
    today: datetime.date | None = None,
) -> Application:
    """The head of office approves (levy notice when a fee applies) or rejects with reason."""
    today = today or timezone.localdate()
    application.decision_reason = (reason or "").strip()
    if not approve:
        application.finished_on = today
        transition(
            application,
            workflow=wf.APPLICATION,
            action="reject",
            actor=actor,
            note=application.decision_reason,
            extra_fields=["decision_reason", "finished_on"],
            today=today,
        )
        return application
    fee = application_fee(application)
    application.fee = fee
    if fee > 0:
        bill = _bill_issue(application=application, actor=actor)
        application.levy_number = bill.code
        transition(
            application,
            workflow=wf.APPLICATION,
            action="approve_with_fee",
            actor=actor,
            note=_("Disetujui. Retribusi %(fee)s, kode bayar %(n)s.")
            % {"fee": formatting.rupiah(fee), "n": bill.code},
            extra_fields=["decision_reason", "fee", "levy_number"],
            today=today,
        )
        return application
    application.finished_on = today
    transition(
        application,
        workflow=wf.APPLICATION,
        action="approve",
        actor=actor,
        note=application.decision_reason,
        extra_fields=["decision_reason", "fee", "finished_on"],
        today=today,
    )
    certificate_issue(application=application, actor=actor, today=today)
    return application


BILL_KIND = "perizinan.application"


def _bill_issue(*, application: Application, actor):
    """The levy's bill (kode bayar) in core.billing, amount from the type's fee rule."""
    pt = application.permit_type
    return billing.bill_issue(
        payer=application.applicant,
        amount=application.fee,
        description=_("Retribusi %(type)s") % {"type": pt.name},
        legal_basis=pt.legal_basis,
        subject_kind=BILL_KIND,
        subject_id=str(application.pk),
        subject_label=f"{application.number} {pt.name}",
        category=pt.code,
        category_label=pt.name,
        agency=pt.agency,
        actor=actor,
        is_demo=application.is_demo,
    )


@transaction.atomic
def application_payment_received(*, subject_id: str, bill) -> None:
    """core.billing calls this in the transaction that marks the bill paid (bank or
    cashier): the permit is issued by itself."""
    application = Application.objects.select_for_update().get(pk=int(subject_id))
    if application.status != wf.PAYMENT:
        return  # withdrawn or decided otherwise meanwhile: the treasurer sees the payment
    today = timezone.localdate()
    application.payment_reference = bill.receipt_number[:60]
    application.paid_at, application.finished_on = bill.paid_at, today
    transition(
        application,
        workflow=wf.APPLICATION,
        action="record_payment",
        actor=None,
        note=_("Retribusi lunas, kode bayar %(code)s, tanda bukti %(ref)s.")
        % {"code": bill.code, "ref": bill.receipt_number},
        extra_fields=["payment_reference", "paid_at", "finished_on"],
        today=today,
    )
    certificate_issue(application=application, actor=None, today=today)


@transaction.atomic
def application_withdraw(
    *, application: Application, actor, note: str = "", today: datetime.date | None = None
) -> Application:
    today = today or timezone.localdate()
    application.finished_on = today
    transition(
        application,
        workflow=wf.APPLICATION,
        action="withdraw",
        actor=actor,
        note=note,
        extra_fields=["finished_on"],
        today=today,
    )
    return application


@transaction.atomic
def application_delete_draft(*, application: Application, actor) -> None:
    _ensure_owner(application, actor)
    if application.status != wf.DRAFT:
        raise ValidationError(_("Hanya draf yang dapat dihapus."))
    application.documents.all().delete()
    application.delete()


# CERTIFICATES


def _display_value(item: dict, value) -> str:
    if value in (None, ""):
        return "-"
    return str(value)


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def certificate_letterhead() -> Letterhead:
    """The region's letterhead: its government's name from the region data (any regency
    or city deploys the portal), the permit office's name and address from its unit, the
    logo from settings.REGION_LETTERHEAD_LOGO when one is configured."""
    from binjai_portal.accounts.models import Unit

    region = Region.objects.filter(code=settings.REGION_CODE).first()
    name = region.name if region else settings.REGION_NAME
    office = Unit.objects.filter(code=PERMIT_OFFICE_UNIT).first()
    contact = ", ".join(
        x for x in ((office.address if office else ""), (office.phone if office else "")) if x
    )
    place = region_defaults.short_name(name)
    return Letterhead(
        government=_("Pemerintah %(region)s") % {"region": name},
        office=office.name
        if office
        else _("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
        address=contact,
        logo_path=logo_file(settings.REGION_LETTERHEAD_LOGO),
        place=place,
    )


def _certificate_signer(application: Application, actor) -> Signer:
    """The head of office signs: the actor when it is the head (approval, reissue),
    otherwise the head who approved (a fee was paid afterwards)."""
    # actor is None when the levy was paid (the bank's notification issues the permit).
    head = actor if actor is not None and (actor.is_superuser or actor.has_role(wf.HEAD)) else None
    if head is None:
        change = (
            StatusChange.objects.filter(
                workflow=wf.APPLICATION.name,
                object_id=str(application.pk),
                action__in=("approve", "approve_with_fee"),
                actor__isnull=False,
            )
            .select_related("actor")
            .order_by("-pk")
            .first()
        )
        head = change.actor if change else actor
    signatory = Signatory.objects.filter(user=head).first()
    return Signer(
        name=head.full_name,
        position=signatory.position if signatory else _("Kepala Dinas"),
        nip=signatory.nip if signatory else "",
    )


def _location_text(application: Application) -> str:
    """The location with its kelurahan and kecamatan, as the certificate states it."""
    parts = [application.location_address] if application.location_address else []
    kel = application.kelurahan
    if kel is not None:
        parts.append(_("Kel. %(name)s") % {"name": kel.name})
        if kel.parent_id:
            parts.append(_("Kec. %(name)s") % {"name": kel.parent.name})
    return ", ".join(parts)


@transaction.atomic
def certificate_issue(
    *,
    application: Application,
    actor,
    today: datetime.date | None = None,
    replaces: Certificate | None = None,
) -> Certificate:
    """Render, store and record a certificate; the file's SHA-256 is kept for verification."""
    if application.status != wf.ISSUED:
        raise ValidationError(_("Sertifikat hanya untuk permohonan yang sudah terbit."))
    today = today or timezone.localdate()
    pt = application.permit_type
    version = (replaces.version + 1) if replaces else 1
    number = f"{pt.code.upper()}/{application.number}"
    token = secrets.token_urlsafe(24)
    valid_until = _add_years(today, pt.validity_years) if pt.validity_years else None
    holder = application.applicant.full_name
    # An official document of the region: always in its official language.
    with translation.override(settings.LANGUAGE_CODE):
        content = CertificateContent(
            number=number if version == 1 else f"{number} ({_('versi %(v)s') % {'v': version}})",
            version=version,
            registration_number=application.number,
            type_name=pt.name,
            holder_name=holder,
            business_name=application.business_name,
            location=_location_text(application),
            fields=tuple(
                (f["label"], _display_value(f, (application.data or {}).get(f["name"])))
                for f in pt.fields
            ),
            issued_on=formatting.date(today),
            valid_until=formatting.date(valid_until)
            if valid_until
            else _("Selama kegiatan berjalan"),
            url=verification_url(token),
            replaces=replaces.number if replaces else "",
            letterhead=certificate_letterhead(),
            signer=_certificate_signer(application, actor),
        )
        pdf = certificate_pdf(content)
    upload = upload_store(
        clean=CleanFile(
            content=pdf,
            name=f"izin-{application.number}-v{version}.pdf",
            content_type="application/pdf",
        ),
        purpose="perizinan.certificate",
        owner=application.applicant,
    )
    cert = Certificate(
        application=application,
        number=number,
        version=version,
        token=token,
        issued_on=today,
        valid_until=valid_until,
        holder_name=holder,
        pdf=upload,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    cert.full_clean()
    cert.save()
    if replaces:
        replaces.state, replaces.replaced_by = Certificate.State.REPLACED, cert
        replaces.save(update_fields=["state", "replaced_by"])
    notify(
        recipient=application.applicant,
        title=_("Izin Anda terbit: %(n)s") % {"n": number},
        body=_("Unduh sertifikat izin dari halaman permohonan."),
        url=application.get_absolute_url(),
        channels=(EMAIL, SMS),
    )
    return cert


def _ensure_head(actor) -> None:
    if not rules.has_perm("perizinan.sign_certificate", actor):
        raise PermissionDenied


@transaction.atomic
def certificate_reissue(
    *, application: Application, actor, note: str, today: datetime.date | None = None
) -> Certificate:
    """After a correction: a new version; the old one shows as replaced."""
    _ensure_head(actor)
    if not (note or "").strip():
        raise ValidationError(_("Tulis alasan penerbitan ulang."))
    current = (
        Certificate.objects.select_for_update()
        .filter(application=application, state=Certificate.State.VALID)
        .order_by("-version")
        .first()
    )
    if current is None:
        raise ValidationError(_("Tidak ada sertifikat berlaku yang dapat diganti."))
    current._change_reason = note.strip()
    return certificate_issue(application=application, actor=actor, today=today, replaces=current)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    _ensure_head(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Alasan pencabutan wajib diisi."))
    cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if cert.state != Certificate.State.VALID:
        raise ValidationError(_("Sertifikat ini sudah tidak berlaku."))
    cert.state, cert.state_note = Certificate.State.REVOKED, reason[:300]
    cert._change_reason = reason
    cert.save(update_fields=["state", "state_note"])
    return cert


# SATISFACTION SURVEY


@transaction.atomic
def survey_submit(
    *, application: Application, actor, scores: dict[str, int], comment: str = ""
) -> SatisfactionSurvey:
    _ensure_owner(application, actor)
    if application.status != wf.ISSUED:
        raise ValidationError(_("Survei kepuasan diisi setelah izin terbit."))
    if SatisfactionSurvey.objects.filter(application=application).exists():
        raise ValidationError(_("Survei untuk permohonan ini sudah diisi. Terima kasih."))
    survey = SatisfactionSurvey(
        application=application,
        comment=(comment or "").strip(),
        **{key: scores.get(key) for key, _label in IKM_ELEMENTS},
    )
    survey.full_clean()
    survey.save()
    return survey


# SLA: REMINDERS AND OVERDUE REPORTS

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
                title=_("Pengingat: %(n)s mendekati batas standar pelayanan") % {"n": app.number},
                body=_("%(type)s, batas %(due)s.")
                % {"type": app.permit_type.name, "due": formatting.date(app.sla_due)},
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
                title=_("Izin melewati standar pelayanan: %(n)s") % {"n": app.number},
                body=_(
                    "%(type)s (standar %(days)s hari kerja) melewati batas %(due)s sejak "
                    "%(late)s hari kerja. Tahap saat ini: %(state)s."
                )
                % {
                    "type": app.permit_type.name,
                    "days": app.permit_type.service_days,
                    "due": formatting.date(app.sla_due),
                    "late": late,
                    "state": wf.APPLICATION.label(app.status),
                },
                url=app.get_absolute_url(),
                channels=(EMAIL, SMS),
            )
        # Kept as the fact the figures count (late applications), not as the guard.
        app.overdue_reported_at = now
        app.save(update_fields=["overdue_reported_at"])
    return reported
