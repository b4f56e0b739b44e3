"""Every write of e-Perizinan; status changes go through core.workflow.transition().

Split by subject: `application` (the applicant's draft, its fee, submitting, the document
check with revisions, acceptance, withdrawal), `decision` (survey, review, decision and
the fee's bill), `certificate` (issuing, reissuing, revoking), `satisfaction` (the IKM
survey), `sla` (reminders and overdue reports); `common` holds what they share. The
public names are re-exported here: callers import `perizinan.services`."""

from .application import (
    application_accept,
    application_create,
    application_delete_draft,
    application_fee,
    application_request_revision,
    application_resubmit,
    application_submit,
    application_update,
    application_withdraw,
)
from .certificate import (
    certificate_issue,
    certificate_letterhead,
    certificate_reissue,
    certificate_revoke,
)
from .common import (
    INSPECTORATE_UNIT,
    PERMIT_OFFICE_UNIT,
    REMIND_DAYS_BEFORE,
    registration_number_take,
)
from .decision import (
    BILL_KIND,
    application_decide,
    application_payment_received,
    application_recommend,
    application_report_survey,
    application_schedule_survey,
)
from .satisfaction import survey_submit
from .sla import OVERDUE, REMINDER, overdue_recipients, sla_report_overdue, sla_send_reminders

__all__ = [
    "BILL_KIND",
    "INSPECTORATE_UNIT",
    "OVERDUE",
    "PERMIT_OFFICE_UNIT",
    "REMINDER",
    "REMIND_DAYS_BEFORE",
    "application_accept",
    "application_create",
    "application_decide",
    "application_delete_draft",
    "application_fee",
    "application_payment_received",
    "application_recommend",
    "application_report_survey",
    "application_request_revision",
    "application_resubmit",
    "application_schedule_survey",
    "application_submit",
    "application_update",
    "application_withdraw",
    "certificate_issue",
    "certificate_letterhead",
    "certificate_reissue",
    "certificate_revoke",
    "overdue_recipients",
    "registration_number_take",
    "sla_report_overdue",
    "sla_send_reminders",
    "survey_submit",
]
