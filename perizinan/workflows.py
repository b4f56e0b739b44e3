"""The declared workflow of a permit application (the steps of a PBG, generalised).

draft → submitted → (revision ⇄ submitted) → [survey → survey_scheduled] → review →
decision → [payment] → issued; rejected and withdrawn end it early. Steps a type does
not need (no survey, no fee) are skipped by choosing the action that jumps over them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from binjai_portal.accounts import roles
from binjai_portal.core.workflow import OWNER, SYSTEM, Action, State, Workflow

VERIFIER, SURVEYOR, HEAD, TECHNICAL = (
    roles.DPMPTSP_VERIFIKATOR,
    roles.DPMPTSP_SURVEYOR,
    roles.DPMPTSP_KEPALA,
    roles.PETUGAS_OPD,
)

DRAFT, SUBMITTED, REVISION = "draft", "submitted", "revision"
SURVEY, SURVEY_SCHEDULED, REVIEW = "survey", "survey_scheduled", "review"
DECISION, PAYMENT, ISSUED = "decision", "payment", "issued"
REJECTED, WITHDRAWN = "rejected", "withdrawn"

BEFORE_DECISION = (SUBMITTED, REVISION, SURVEY, SURVEY_SCHEDULED, REVIEW, DECISION)
IN_PROGRESS = (*BEFORE_DECISION, PAYMENT)
FINAL = (ISSUED, REJECTED, WITHDRAWN)


def _applicant(app):
    return [app.applicant]


APPLICATION = Workflow(
    name="perizinan.application",
    states=(
        State(DRAFT, _("Draf")),
        State(
            SUBMITTED, _("Pemeriksaan berkas"), sla_days=lambda app: app.permit_type.service_days
        ),
        State(REVISION, _("Perbaikan berkas oleh pemohon"), pauses_sla=True),
        State(SURVEY, _("Menunggu jadwal survei")),
        State(SURVEY_SCHEDULED, _("Survei lapangan dijadwalkan")),
        State(REVIEW, _("Kajian teknis")),
        State(DECISION, _("Menunggu keputusan kepala dinas")),
        State(PAYMENT, _("Menunggu pembayaran retribusi")),
        State(ISSUED, _("Izin terbit"), final=True),
        State(REJECTED, _("Ditolak"), final=True),
        State(WITHDRAWN, _("Dicabut pemohon"), final=True),
    ),
    actions=(
        Action("submit", (DRAFT,), SUBMITTED, roles=(OWNER,), label=_("Ajukan")),
        Action(
            "request_revision",
            (SUBMITTED,),
            REVISION,
            roles=(VERIFIER,),
            label=_("Minta perbaikan"),
            note_required=True,
            notify=_applicant,
        ),
        Action("resubmit", (REVISION,), SUBMITTED, roles=(OWNER,), label=_("Kirim perbaikan")),
        Action(
            "accept_to_survey",
            (SUBMITTED,),
            SURVEY,
            roles=(VERIFIER,),
            label=_("Berkas lengkap"),
            notify=_applicant,
        ),
        Action(
            "accept_to_review",
            (SUBMITTED,),
            REVIEW,
            roles=(VERIFIER,),
            label=_("Berkas lengkap"),
            notify=_applicant,
        ),
        Action(
            "schedule_survey",
            (SURVEY,),
            SURVEY_SCHEDULED,
            roles=(SURVEYOR,),
            label=_("Jadwalkan survei"),
            notify=_applicant,
        ),
        Action(
            "report_survey",
            (SURVEY_SCHEDULED,),
            REVIEW,
            roles=(SURVEYOR,),
            label=_("Laporkan hasil survei"),
        ),
        Action(
            "recommend",
            (REVIEW,),
            DECISION,
            roles=(TECHNICAL,),
            label=_("Kirim rekomendasi teknis"),
        ),
        Action(
            "approve_with_fee",
            (DECISION,),
            PAYMENT,
            roles=(HEAD,),
            label=_("Setujui"),
            notify=_applicant,
        ),
        Action(
            "approve", (DECISION,), ISSUED, roles=(HEAD,), label=_("Setujui"), notify=_applicant
        ),
        Action(
            "reject",
            (DECISION,),
            REJECTED,
            roles=(HEAD,),
            label=_("Tolak"),
            note_required=True,
            notify=_applicant,
        ),
        Action(
            # The bill was paid (bank notification or the cashier, in core.billing):
            # the permit moves on by itself, nobody records a payment here.
            "record_payment",
            (PAYMENT,),
            ISSUED,
            roles=(SYSTEM,),
            label=_("Retribusi lunas"),
            notify=_applicant,
        ),
        Action("withdraw", BEFORE_DECISION, WITHDRAWN, roles=(OWNER,), label=_("Cabut permohonan")),
    ),
    scope={"unit_field": "agency", "owner_field": "applicant"},
    due_field="sla_due",
    paused_field="sla_paused_on",
    model="perizinan.Application",
)

# Which states wait for which role (the inboxes).
INBOX_STATES = {
    VERIFIER: (SUBMITTED, PAYMENT),
    SURVEYOR: (SURVEY, SURVEY_SCHEDULED),
    TECHNICAL: (REVIEW,),
    HEAD: (DECISION,),
}
