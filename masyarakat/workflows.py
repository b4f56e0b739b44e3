"""The complaint workflow: moderation, the agency's work under an SLA, closing."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from binjai_portal.accounts import roles
from binjai_portal.core.workflow import OWNER, SYSTEM, Action, State, Workflow

MOD = (roles.MODERATOR_PENGADUAN,)
AGENCY = (roles.PETUGAS_OPD,)


def agency_officers(ticket):
    if not ticket.agency_id:
        return []
    return list(
        get_user_model().objects.filter(
            unit_id=ticket.agency_id, groups__name=roles.PETUGAS_OPD, is_active=True
        )
    )


def moderators(ticket=None):
    return list(
        get_user_model().objects.filter(groups__name=roles.MODERATOR_PENGADUAN, is_active=True)
    )


def reporter_of(ticket):
    """The reporter to tell, if any: an anonymous report has nobody (its follower reads
    the follow page)."""
    return [ticket.reporter] if ticket.reporter_id else []


def reporter(ticket):
    return reporter_of(ticket)


def reporter_and_agency(ticket):
    return [*reporter_of(ticket), *agency_officers(ticket)]


TICKET = Workflow(
    name="masyarakat.ticket",
    states=(
        State("submitted", _("Diajukan")),
        State("verified", _("Diverifikasi")),
        State("rejected", _("Ditolak"), final=True),
        State("merged", _("Digabung"), final=True),
        State("assigned", _("Diteruskan ke OPD"), sla_days=lambda t: t.category.sla_days),
        State("in_progress", _("Sedang ditangani")),
        State("need_info", _("Menunggu informasi pelapor"), pauses_sla=True),
        State("resolved", _("Selesai ditangani")),
        State("closed", _("Ditutup"), final=True),
    ),
    actions=(
        Action(
            "verify", ("submitted",), "verified", roles=MOD, label=_("Verifikasi"), notify=reporter
        ),
        Action(
            "reject",
            ("submitted", "verified"),
            "rejected",
            roles=MOD,
            label=_("Tolak"),
            note_required=True,
            notify=reporter,
        ),
        Action(
            "merge",
            ("submitted", "verified"),
            "merged",
            roles=MOD,
            label=_("Gabungkan"),
            note_required=True,
            notify=reporter,
        ),
        Action(
            "assign",
            ("verified",),
            "assigned",
            roles=MOD,
            label=_("Teruskan ke OPD"),
            notify=reporter_and_agency,
        ),
        Action(
            "start",
            ("assigned",),
            "in_progress",
            roles=AGENCY,
            label=_("Mulai tangani"),
            notify=reporter,
        ),
        Action(
            "ask_info",
            ("assigned", "in_progress"),
            "need_info",
            roles=AGENCY,
            label=_("Minta informasi"),
            note_required=True,
            notify=reporter,
        ),
        Action(
            "answer_info",
            ("need_info",),
            "in_progress",
            roles=(OWNER,),
            label=_("Kirim informasi"),
            note_required=True,
            notify=agency_officers,
        ),
        Action(
            "resolve",
            ("assigned", "in_progress"),
            "resolved",
            roles=AGENCY,
            label=_("Selesaikan"),
            note_required=True,
            notify=reporter,
        ),
        Action(
            "close",
            ("resolved",),
            "closed",
            roles=(OWNER,),
            label=_("Konfirmasi selesai"),
            notify=agency_officers,
        ),
        # Closed by the scheduled task when the reporter has not answered in 7 days.
        Action(
            "auto_close",
            ("resolved",),
            "closed",
            roles=(SYSTEM,),
            label=_("Ditutup otomatis"),
            notify=agency_officers,
        ),
        Action(
            "reopen",
            ("resolved", "closed"),
            "assigned",
            roles=(OWNER,),
            label=_("Buka kembali"),
            note_required=True,
            notify=agency_officers,
        ),
    ),
    scope={"unit_field": "agency", "owner_field": "reporter"},
    due_field="sla_due",
    paused_field="sla_paused_on",
    model="masyarakat.Ticket",
)

# Actions with their own form and service (not a plain button).
FORM_ACTIONS = (
    "reject",
    "merge",
    "assign",
    "ask_info",
    "answer_info",
    "resolve",
    "close",
    "reopen",
)
