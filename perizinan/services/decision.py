"""Survey, review and decision of an accepted application, and the fee's bill
(`core.billing`) whose payment moves the application on."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binjai_portal.core import formatting
from binjai_portal.core.billing import services as billing
from binjai_portal.core.uploads import CleanFile, upload_store
from binjai_portal.core.workflow import TransitionRefused, transition

from .. import workflows as wf
from ..models import Application
from .application import application_fee
from .certificate import certificate_issue


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
        # The file's number once assigned, else its pk: never "None" in the bill's title.
        subject_label=f"{application.number or f'#{application.pk}'} {pt.name}",
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
