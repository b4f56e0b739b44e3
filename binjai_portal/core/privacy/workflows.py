"""Declared workflows of the citizens' rights requests and of the breach register."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from binjai_portal.accounts import roles
from binjai_portal.core.workflow import SYSTEM, Action, State, Workflow

DPO = roles.PEJABAT_PDP

SUBMITTED, IN_REVIEW, DONE, REFUSED = "submitted", "in_review", "done", "refused"


def _requester(req):
    return [req.requester]


# Pasal 30 (correction) and Pasal 32 (access) give 3 x 24 hours; the engine counts the
# same limit in working days for the officer's list, the exact hour is RightsRequest.due_at.
RIGHTS_REQUEST = Workflow(
    name="privacy.rights_request",
    states=(
        State(SUBMITTED, _("Diterima"), sla_days=3),
        State(IN_REVIEW, _("Sedang diperiksa")),
        State(DONE, _("Dipenuhi"), final=True),
        State(REFUSED, _("Ditolak dengan alasan"), final=True),
    ),
    actions=(
        Action("review", (SUBMITTED,), IN_REVIEW, roles=(DPO,), label=_("Mulai periksa")),
        Action(
            "fulfil",
            (SUBMITTED, IN_REVIEW),
            DONE,
            roles=(DPO,),
            label=_("Penuhi"),
            note_required=True,
            notify=_requester,
        ),
        Action(
            "refuse",
            (SUBMITTED, IN_REVIEW),
            REFUSED,
            roles=(DPO,),
            label=_("Tolak dengan alasan"),
            note_required=True,
            notify=_requester,
        ),
    ),
    due_field="sla_due",
    model="privacy.RightsRequest",
)

OPEN, NOTIFIED, CLOSED = "open", "notified", "closed"

INCIDENT = Workflow(
    name="privacy.incident",
    model="privacy.Incident",
    states=(
        State(OPEN, _("Ditangani")),
        State(NOTIFIED, _("Subjek terdampak diberi tahu")),
        State(CLOSED, _("Ditutup"), final=True),
    ),
    actions=(
        Action("notify", (OPEN,), NOTIFIED, roles=(DPO,), label=_("Kirim pemberitahuan")),
        Action(
            "close",
            (OPEN, NOTIFIED),
            CLOSED,
            roles=(DPO, SYSTEM),
            label=_("Tutup insiden"),
            note_required=True,
        ),
    ),
)
