"""A complaint handled: verification, rejection, merging, assignment, the officer's
work, the questions to the reporter, resolution, closing and reopening (also on its
own after the quiet days), "me too" and the messages of the conversation."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binjai_portal.accounts import roles
from binjai_portal.core import workdays
from binjai_portal.core.notifications import Text, notify
from binjai_portal.core.uploads import CleanFile, upload_store
from binjai_portal.core.workflow import Holder, TransitionRefused

from ..models import Message, MeToo, Ticket
from ..workflows import agency_officers, moderators, reporter_of
from .common import AUTO_CLOSE_DAYS, REOPEN_DAYS, _act, _touch


@transaction.atomic
def ticket_verify(*, ticket: Ticket, moderator, note: str = "") -> Ticket:
    _act(ticket, action="verify", actor=moderator, note=note)
    return ticket


@transaction.atomic
def ticket_reject(*, ticket: Ticket, moderator, reason: str) -> Ticket:
    ticket.status_notes = (reason or "").strip()
    _act(ticket, action="reject", actor=moderator, note=reason, extra_fields=["status_notes"])
    return ticket


@transaction.atomic
def ticket_merge(*, ticket: Ticket, moderator, into: Ticket, note: str = "") -> Ticket:
    if into.pk == ticket.pk or into.status in ("merged", "rejected"):
        raise ValidationError({"into": _("Pilih tiket lain yang masih berlaku.")})
    if into.confidential != ticket.confidential:
        raise ValidationError(
            {"into": _("Tiket rahasia hanya dapat digabung dengan tiket rahasia.")}
        )
    note = (note or "").strip() or _("Digabung ke %(n)s") % {"n": into.number}
    ticket.merged_into = into
    ticket.status_notes = note
    _act(
        ticket,
        action="merge",
        actor=moderator,
        note=note,
        extra_fields=["merged_into", "status_notes"],
    )
    Ticket.objects.filter(pk=into.pk).update(me_too_count=F("me_too_count") + 1)
    return ticket


@transaction.atomic
def ticket_assign(
    *, ticket: Ticket, moderator, agency=None, note: str = "", today: datetime.date | None = None
) -> Ticket:
    """Route to the agency (the category's by default); the SLA clock starts today."""
    agency = agency or ticket.category.agency
    if agency.kind != roles.OPD:
        raise ValidationError({"agency": _("Pilih perangkat daerah (OPD).")})
    ticket.agency = agency
    ticket.assigned_on = today or timezone.localdate()
    _act(
        ticket,
        action="assign",
        actor=moderator,
        note=note,
        extra_fields=["agency", "assigned_on"],
        today=today,
    )
    return ticket


@transaction.atomic
def ticket_start(*, ticket: Ticket, officer, note: str = "") -> Ticket:
    if note:
        ticket.status_notes = note.strip()
    _act(ticket, action="start", actor=officer, note=note, extra_fields=["status_notes"])
    return ticket


@transaction.atomic
def ticket_ask_info(
    *, ticket: Ticket, officer, question: str, today: datetime.date | None = None
) -> Ticket:
    """Ask the reporter; the SLA clock stands still until they answer."""
    if ticket.is_anonymous:
        raise ValidationError(
            {
                "note": _(
                    "Pelapor anonim tidak dapat dihubungi. Tangani laporan dengan informasi "
                    "yang ada, atau tulis catatan dan tutup sebagai selesai."
                )
            }
        )
    _act(ticket, action="ask_info", actor=officer, note=question, today=today)
    Message.objects.create(
        ticket=ticket, author=officer, from_reporter=False, body=question.strip()
    )
    return ticket


@transaction.atomic
def ticket_answer_info(
    *, ticket: Ticket, reporter, answer: str, today: datetime.date | None = None
) -> Ticket:
    _act(ticket, action="answer_info", actor=reporter, note=answer, today=today)
    author = reporter if getattr(reporter, "pk", None) else None  # a Holder has no account
    Message.objects.create(ticket=ticket, author=author, from_reporter=True, body=answer.strip())
    return ticket


@transaction.atomic
def ticket_resolve(
    *,
    ticket: Ticket,
    officer,
    response: str,
    photo: CleanFile | None = None,
    today: datetime.date | None = None,
) -> Ticket:
    today = today or timezone.localdate()
    ticket.resolution = ticket.status_notes = (response or "").strip()
    ticket.resolved_at = timezone.now()
    fields = ["resolution", "status_notes", "resolved_at", "resolved_on_time", "resolution_days"]
    locked = Ticket.objects.get(pk=ticket.pk)
    ticket.resolved_on_time = locked.sla_due is None or today <= locked.sla_due
    if locked.assigned_on:
        ticket.resolution_days = workdays.working_days_between(locked.assigned_on, today)
    if photo is not None:
        ticket.resolution_photo = upload_store(
            clean=photo, purpose="masyarakat.resolution", owner=officer
        )
        fields.append("resolution_photo")
    _act(ticket, action="resolve", actor=officer, note=response, extra_fields=fields, today=today)
    return ticket


@transaction.atomic
def ticket_close(
    *, ticket: Ticket, reporter, rating: int | None = None, comment: str = ""
) -> Ticket:
    """The reporter confirms the solution, with an optional 1-5 rating."""
    if rating is not None and not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": _("Penilaian 1 sampai 5.")})
    ticket.rating = rating
    ticket.rating_comment = (comment or "").strip()
    ticket.closed_at = timezone.now()
    _act(
        ticket,
        action="close",
        actor=reporter,
        note=ticket.rating_comment,
        extra_fields=["rating", "rating_comment", "closed_at"],
    )
    return ticket


@transaction.atomic
def ticket_reopen(
    *, ticket: Ticket, reporter, reason: str, today: datetime.date | None = None
) -> Ticket:
    """Within 7 days of the resolution the reporter may say it is not solved."""
    now = (
        timezone.now()
        if today is None
        else timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    )
    if ticket.resolved_at and now - ticket.resolved_at > datetime.timedelta(days=REOPEN_DAYS):
        raise TransitionRefused(
            _("Tiket hanya dapat dibuka kembali dalam %(d)d hari setelah diselesaikan.")
            % {"d": REOPEN_DAYS},
            code="undeclared",
        )
    ticket.closed_at = None
    ticket.resolved_at = None
    ticket.resolved_on_time = None
    ticket.resolution_days = None
    ticket.rating = None
    ticket.assigned_on = today or timezone.localdate()
    _act(
        ticket,
        action="reopen",
        actor=reporter,
        note=reason,
        today=today,
        extra_fields=[
            "closed_at",
            "resolved_at",
            "resolved_on_time",
            "resolution_days",
            "rating",
            "assigned_on",
        ],
    )
    return ticket


@transaction.atomic
def ticket_auto_close(*, ticket: Ticket) -> Ticket:
    """Close a ticket resolved 7 days ago without an answer from the reporter."""
    ticket.closed_at = timezone.now()
    _act(
        ticket,
        action="auto_close",
        actor=None,
        note=_("Ditutup otomatis: tidak ada tanggapan pelapor dalam %(d)d hari.")
        % {"d": AUTO_CLOSE_DAYS},
        extra_fields=["closed_at"],
    )
    if ticket.reporter_id:
        notify(
            recipient=ticket.reporter,
            title=Text(gettext_lazy("Pengaduan %(n)s ditutup otomatis"), n=ticket.number),
            url=ticket.get_absolute_url(),
        )
    return ticket


def ticket_auto_close_due(*, now: datetime.datetime | None = None) -> int:
    """Close every ticket resolved more than 7 days ago. Returns how many."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=AUTO_CLOSE_DAYS)
    ids = list(
        Ticket.objects.filter(status="resolved", resolved_at__lt=limit).values_list("pk", flat=True)
    )
    closed = 0
    for pk in ids:
        try:
            with transaction.atomic():
                ticket = Ticket.objects.select_related("reporter").get(pk=pk)
                if ticket.status == "resolved":
                    ticket_auto_close(ticket=ticket)
                    closed += 1
        except TransitionRefused:
            continue  # changed meanwhile (e.g. closed by the reporter)
    return closed


@transaction.atomic
def ticket_me_too(*, ticket: Ticket, user) -> bool:
    """Add the user's 'me too' once; returns False if they had already."""
    if not user.is_authenticated:
        raise ValidationError(_("Masuk dulu untuk mendukung laporan."))
    if not ticket.is_public:
        raise ValidationError(_("Laporan ini tidak dapat didukung."))
    if ticket.reporter_id == user.pk:
        raise ValidationError(_("Anda pelapor tiket ini."))
    if user.is_staff:  # a count of citizens affected: officers are not among them
        raise ValidationError(_("Petugas tidak dapat menyatakan ikut mengalami."))
    try:
        with transaction.atomic():
            MeToo.objects.create(ticket=ticket, user=user)
    except IntegrityError:
        return False
    Ticket.objects.filter(pk=ticket.pk).update(me_too_count=F("me_too_count") + 1)
    ticket.me_too_count += 1
    return True


@transaction.atomic
def message_post(*, ticket: Ticket, author, body: str) -> Message:
    """Add to the thread; only the reporter and the handlers (checked by the caller's
    selector) reach this."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Pesan tidak boleh kosong.")})
    holder = isinstance(author, Holder)  # the reporter of an anonymous report
    if holder and not author.holds(ticket):
        raise ValidationError(_("Anda tidak berwenang melakukan tindakan ini."))
    from_reporter = holder or ticket.reporter_id == author.pk
    message = Message(
        ticket=ticket, author=None if holder else author, from_reporter=from_reporter, body=body
    )
    message.full_clean()
    message.save()
    _touch(ticket)
    recipients = agency_officers(ticket) if from_reporter else reporter_of(ticket)
    if from_reporter and not recipients:
        recipients = moderators()
    for r in recipients:
        if r.pk != getattr(author, "pk", None):
            notify(
                recipient=r,
                title=Text(gettext_lazy("Pesan baru pada %(n)s"), n=ticket.number),
                url=ticket.get_absolute_url(),
            )
    return message
