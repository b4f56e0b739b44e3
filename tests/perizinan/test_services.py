import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from binjai_portal.core.billing import selectors as billing_selectors
from binjai_portal.core.billing import services as billing
from binjai_portal.core.models import Notification, StatusChange
from binjai_portal.core.workflow import TransitionRefused
from perizinan import services
from perizinan import workflows as wf
from perizinan.models import Application, ApplicationDocument, Certificate, PermitType

from . import factories

pytestmark = pytest.mark.django_db


def states(app):
    return list(
        StatusChange.objects.filter(
            object_id=str(app.pk), workflow=wf.APPLICATION.name
        ).values_list("to_state", flat=True)
    )


def test_whole_path_with_survey_and_fee(
    building, citizen, permit_verifier, surveyor, opd_officer, head, monkeypatch
):
    monday = datetime.date(2025, 6, 2)
    app = factories.submitted(building, citizen, today=monday)
    assert app.number.startswith("IZN-2025-")
    assert app.sla_due == datetime.date(2025, 6, 17)  # 10 working days; 6 June is Idul Adha
    services.application_accept(application=app, actor=permit_verifier, today=monday)
    assert app.status == wf.SURVEY
    services.application_schedule_survey(
        application=app,
        actor=surveyor,
        surveyor=surveyor,
        survey_date=datetime.date(2025, 6, 4),
        today=monday,
    )
    services.application_report_survey(
        application=app, actor=surveyor, findings="Lokasi sesuai gambar.", photos=[]
    )
    services.application_recommend(
        application=app,
        actor=opd_officer,
        recommendation="Layak diterbitkan.",
        minutes="Rapat TABG",
    )
    services.application_decide(application=app, actor=head, approve=True)
    app.refresh_from_db()
    assert app.status == wf.PAYMENT
    # 120 m² × 10.000 × 2 lantai + 250.000
    assert app.fee == Decimal("2650000")
    bill = billing_selectors.bill_for_subject(kind=services.BILL_KIND, subject_id=app.pk)
    assert app.levy_number == bill.code and bill.amount == app.fee
    with pytest.raises(billing.PaymentRefused):  # the bank must pay the bill's amount
        billing.bill_pay(bill=bill, channel="va", amount=app.fee - 1, reference="BANK-999")
    assert Application.objects.get(pk=app.pk).status == wf.PAYMENT
    billing.bill_pay(bill=bill, channel="va", amount=app.fee, reference="BANK-001")
    app.refresh_from_db()
    assert app.status == wf.ISSUED and app.sla_due is None and app.finished_on
    assert states(app) == [
        "draft",
        "submitted",
        "survey",
        "survey_scheduled",
        "review",
        "decision",
        "payment",
        "issued",
    ]
    cert = app.certificates.get()
    assert cert.state == Certificate.State.VALID and cert.valid_until is None
    assert app.history.count() >= 8  # simple-history keeps every change of the decision


def test_whole_path_without_survey_or_fee(practice, citizen, permit_verifier, dinkes_officer, head):
    app = factories.submitted(practice, citizen, today=datetime.date(2025, 6, 2))
    services.application_accept(application=app, actor=permit_verifier)
    assert app.status == wf.REVIEW
    services.application_recommend(
        application=app, actor=dinkes_officer, recommendation="Memenuhi syarat."
    )
    services.application_decide(
        application=app, actor=head, approve=True, today=datetime.date(2025, 6, 5)
    )
    app.refresh_from_db()
    assert app.status == wf.ISSUED and app.fee == 0
    assert states(app) == ["draft", "submitted", "review", "decision", "issued"]
    cert = app.certificates.get()
    assert cert.valid_until == datetime.date(2030, 6, 5)
    assert Notification.objects.filter(recipient=citizen, title__contains=cert.number).exists()


def test_revision_pauses_and_resumes_the_clock_across_a_holiday(building, citizen, permit_verifier):
    # Submitted Mon 24 March 2025: 10 working days skip 31 March and 1 April (Idul Fitri)
    # and Fri 18 April (Good Friday) is after the due date.
    app = factories.submitted(building, citizen, today=datetime.date(2025, 3, 24))
    assert app.sla_due == datetime.date(2025, 4, 9)
    doc = app.documents.first()
    services.application_request_revision(
        application=app,
        actor=permit_verifier,
        notes={doc.pk: "Gambar tidak terbaca"},
        today=datetime.date(2025, 3, 27),
    )
    app.refresh_from_db()
    assert app.status == wf.REVISION and app.sla_paused_on == datetime.date(2025, 3, 27)
    doc.refresh_from_db()
    assert (doc.verdict, doc.note) == (ApplicationDocument.Check.REVISE, "Gambar tidak terbaca")
    with pytest.raises(ValidationError):  # the flagged document is still the old one
        services.application_resubmit(
            application=app, actor=citizen, today=datetime.date(2025, 4, 2)
        )
    services.application_update(
        application=app, actor=citizen, documents={doc.requirement_id: factories.clean_pdf("baru")}
    )
    # Answered Wed 2 April: paused Fri 28 Mar, (weekend, Idul Fitri 31/3-1/4), Wed 2 Apr
    # = 2 working days, so the due date moves on by two working days.
    services.application_resubmit(application=app, actor=citizen, today=datetime.date(2025, 4, 2))
    app.refresh_from_db()
    assert app.status == wf.SUBMITTED and app.sla_paused_on is None
    assert app.sla_due == datetime.date(2025, 4, 11)
    assert app.paused_days == 2


def test_rejection_needs_a_reason(practice, citizen, permit_verifier, dinkes_officer, head):
    app = factories.submitted(practice, citizen)
    services.application_accept(application=app, actor=permit_verifier)
    services.application_recommend(
        application=app, actor=dinkes_officer, recommendation="STR kedaluwarsa."
    )
    with pytest.raises(TransitionRefused) as exc:
        services.application_decide(application=app, actor=head, approve=False, reason=" ")
    assert exc.value.code == "note"
    services.application_decide(
        application=app, actor=head, approve=False, reason="STR sudah tidak berlaku."
    )
    app.refresh_from_db()
    assert app.status == wf.REJECTED and not app.certificates.exists()
    assert app.decision_reason == "STR sudah tidak berlaku."


def test_withdrawal_before_the_decision_only(
    practice, citizen, permit_verifier, dinkes_officer, head
):
    app = factories.submitted(practice, citizen)
    services.application_withdraw(application=app, actor=citizen, note="Pindah kota")
    assert Application.objects.get(pk=app.pk).status == wf.WITHDRAWN
    other = factories.submitted(practice, citizen)
    services.application_accept(application=other, actor=permit_verifier)
    services.application_recommend(application=other, actor=dinkes_officer, recommendation="OK")
    services.application_decide(application=other, actor=head, approve=True)
    with pytest.raises(TransitionRefused) as exc:
        services.application_withdraw(application=other, actor=citizen)
    assert exc.value.code == "undeclared"


def _steps(app, who):
    return {
        "accept": lambda a: services.application_accept(application=app, actor=a),
        "revise": lambda a: services.application_request_revision(
            application=app, actor=a, notes={app.documents.first().pk: "x"}
        ),
        "schedule": lambda a: services.application_schedule_survey(
            application=app,
            actor=a,
            surveyor=who["surveyor"],
            survey_date=datetime.date.today() + datetime.timedelta(days=3),
        ),
        "report": lambda a: services.application_report_survey(
            application=app, actor=a, findings="ok"
        ),
        "recommend": lambda a: services.application_recommend(
            application=app, actor=a, recommendation="ok"
        ),
        "decide": lambda a: services.application_decide(application=app, actor=a, approve=True),
        "pay": lambda a: billing.bill_record_cash(
            bill=billing_selectors.bill_for_subject(kind=services.BILL_KIND, subject_id=app.pk),
            actor=a,
            receipt_number="KW-0001",
            note="Tunai di kasir",
        ),
    }


def test_every_step_is_refused_to_the_wrong_role(
    building,
    citizen,
    make_citizen,
    make_staff,
    permit_verifier,
    surveyor,
    opd_officer,
    head,
    dinkes_officer,
):
    app = factories.submitted(building, citizen)
    who = {
        "citizen": citizen,
        "verifier": permit_verifier,
        "surveyor": surveyor,
        "opd": opd_officer,
        "head": head,
        "dinkes": dinkes_officer,
        "stranger": make_citizen(),
        "treasurer": make_staff("bendahara_penerimaan"),
    }
    owner_of = {
        "accept": "verifier",
        "revise": "verifier",
        "schedule": "surveyor",
        "report": "surveyor",
        "recommend": "opd",
        "decide": "head",
        "pay": "treasurer",  # only the cashier records a payment by hand
    }
    order = ["accept", "schedule", "report", "recommend", "decide", "pay"]
    steps = _steps(app, who)
    for step in order:
        if step == "accept":  # the revision request belongs to the verifier too
            for name in ("citizen", "surveyor", "opd", "head", "stranger"):
                with pytest.raises(TransitionRefused):
                    steps["revise"](who[name])
        wrong = [n for n in who if n != owner_of[step]]
        if step == "recommend":
            wrong.append("dinkes")  # right role, another agency
        for name in wrong:
            before = Application.objects.get(pk=app.pk).status
            with pytest.raises((TransitionRefused, ValidationError, PermissionDenied)):
                steps[step](who[name])
            assert Application.objects.get(pk=app.pk).status == before, (step, name)
        steps[step](who[owner_of[step]])
        app.refresh_from_db()
    assert app.status == wf.ISSUED


def test_draft_cannot_be_submitted_incomplete(building, citizen):
    app = factories.draft(building, citizen, documents=False)
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=app, actor=citizen)
    assert any("Gambar rencana" in m for m in exc.value.messages)
    app.refresh_from_db()
    assert app.status == wf.DRAFT and app.number is None


def test_stored_data_is_revalidated_against_the_schema(building, citizen):
    app = factories.draft(building, citizen, data={**factories.BUILDING_DATA, "jumlah_lantai": 99})
    with pytest.raises(ValidationError):
        services.application_submit(application=app, actor=citizen)


def test_someone_else_cannot_edit_or_submit_a_draft(building, citizen, make_citizen):
    app = factories.draft(building, citizen)
    intruder = make_citizen()
    with pytest.raises(PermissionDenied):
        services.application_update(application=app, actor=intruder, data={})
    with pytest.raises(PermissionDenied):
        services.application_submit(application=app, actor=intruder)


def test_business_applicant_needs_name_and_nib(building, citizen):
    app = factories.draft(building, citizen)
    with pytest.raises(ValidationError):
        services.application_update(
            application=app, actor=citizen, details={"applicant_kind": "business"}
        )
    services.application_update(
        application=app,
        actor=citizen,
        details={"applicant_kind": "business", "business_name": "CV Maju", "nib": "1234567890123"},
    )
    assert Application.objects.get(pk=app.pk).business_name == "CV Maju"


def test_type_schema_and_formula_are_checked_in_the_admin(regions):
    pt = PermitType(
        code="x",
        name="X",
        service_days=3,
        fee_kind="formula",
        fee_formula="__import__('os').system('id')",
        agency=factories.Unit.objects.get(code="dpupr"),
        fields=[{"name": "luas", "label": "Luas", "kind": "decimal"}],
    )
    with pytest.raises(ValidationError) as exc:
        pt.full_clean()
    assert "fee_formula" in exc.value.message_dict
    pt.fee_formula, pt.fields = "luas * 2", [{"name": "Bad Name", "label": "", "kind": "x"}]
    with pytest.raises(ValidationError) as exc:
        pt.full_clean()
    assert "fields" in exc.value.message_dict


def test_certificate_reissue_replaces_and_revoke(
    practice, citizen, permit_verifier, dinkes_officer, head
):
    app = factories.submitted(practice, citizen)
    services.application_accept(application=app, actor=permit_verifier)
    services.application_recommend(application=app, actor=dinkes_officer, recommendation="OK")
    services.application_decide(application=app, actor=head, approve=True)
    first = app.certificates.get()
    with pytest.raises(PermissionDenied):
        services.certificate_reissue(application=app, actor=permit_verifier, note="Salah nama")
    second = services.certificate_reissue(application=app, actor=head, note="Salah ketik")
    first.refresh_from_db()
    assert first.state == Certificate.State.REPLACED and first.replaced_by == second
    assert second.version == 2 and second.number == first.number
    assert first.history.first().history_change_reason == "Salah ketik"
    services.certificate_revoke(certificate=second, actor=head, reason="Izin disalahgunakan")
    second.refresh_from_db()
    assert second.public_state() == "revoked"


def test_satisfaction_survey_once_after_issuance(
    practice, citizen, permit_verifier, dinkes_officer, head
):
    app = factories.submitted(practice, citizen)
    scores = {f"u{i}": 4 for i in range(1, 10)}
    with pytest.raises(ValidationError):
        services.survey_submit(application=app, actor=citizen, scores=scores)
    services.application_accept(application=app, actor=permit_verifier)
    services.application_recommend(application=app, actor=dinkes_officer, recommendation="OK")
    services.application_decide(application=app, actor=head, approve=True)
    with pytest.raises(ValidationError):
        services.survey_submit(application=app, actor=citizen, scores={**scores, "u3": 5})
    services.survey_submit(application=app, actor=citizen, scores=scores)
    with pytest.raises(ValidationError):
        services.survey_submit(application=app, actor=citizen, scores=scores)


def test_overdue_is_reported_once_to_inspectorate_and_head(
    building, citizen, inspector, head, permit_verifier
):
    app = factories.submitted(building, citizen, today=datetime.date(2025, 7, 7))
    assert app.sla_due == datetime.date(2025, 7, 21)
    assert services.sla_report_overdue(today=datetime.date(2025, 7, 21)) == 0  # due that day
    assert services.sla_report_overdue(today=datetime.date(2025, 7, 22)) == 1
    assert services.sla_report_overdue(today=datetime.date(2025, 7, 23)) == 0
    sent = Notification.objects.filter(title__contains=app.number)
    assert {n.recipient for n in sent} == {inspector, head}
    for n in sent:
        assert {d.channel for d in n.deliveries.all()} == {"email", "sms"}
        assert citizen.nik not in n.title + n.body


def test_paused_files_are_not_overdue(building, citizen, inspector, permit_verifier):
    app = factories.submitted(building, citizen, today=datetime.date(2025, 6, 2))
    services.application_request_revision(
        application=app,
        actor=permit_verifier,
        notes={app.documents.first().pk: "buram"},
        today=datetime.date(2025, 6, 3),
    )
    assert services.sla_report_overdue(today=datetime.date(2025, 7, 1)) == 0


def test_reminder_before_the_standard_goes_to_the_current_step(
    building, citizen, permit_verifier, surveyor
):
    app = factories.submitted(building, citizen, today=datetime.date(2025, 7, 7))
    assert services.sla_send_reminders(today=datetime.date(2025, 7, 10)) == 0
    assert services.sla_send_reminders(today=datetime.date(2025, 7, 17)) == 1
    assert services.sla_send_reminders(today=datetime.date(2025, 7, 18)) == 0
    reminded = Notification.objects.filter(title__contains=app.number)
    assert {n.recipient for n in reminded} == {permit_verifier}
