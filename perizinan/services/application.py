"""An application from the applicant's side and the document check: the draft, its
fee, submitting, the revision requested and the resubmission, acceptance, withdrawal
and the deletion of a draft."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binjai_portal.core import workdays
from binjai_portal.core.uploads import CleanFile, upload_store
from binjai_portal.core.workflow import transition, workflow_start

from .. import workflows as wf
from ..formula import FormulaError, formula_evaluate
from ..models import Application, ApplicationDocument, PermitType
from ..schema import schema_form_fields
from .common import _ensure_owner, registration_number_take


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
