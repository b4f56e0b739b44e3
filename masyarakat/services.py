"""Writes of e-Masyarakat: every change of a complaint goes through here."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Sequence
from decimal import Decimal

import rules
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from binjai_portal.accounts import roles
from binjai_portal.core import sequences, workdays
from binjai_portal.core.notifications import notify
from binjai_portal.core.once import once, once_taken
from binjai_portal.core.sequences import sequence_next
from binjai_portal.core.uploads import CleanFile, upload_store
from binjai_portal.core.workflow import TransitionRefused, transition, workflow_start

from .models import ApiKey, Category, Message, MeToo, Ticket
from .workflows import TICKET, agency_officers, moderators, reporter_of

MAX_PHOTOS = 3
REOPEN_DAYS = 7  # calendar days after resolution in which the reporter may reopen
AUTO_CLOSE_DAYS = 7  # calendar days without an answer before a resolved ticket closes


def _touch(ticket: Ticket) -> None:
    ticket.updated_at = timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=ticket.updated_at)


def ticket_number_next(*, year: int) -> str:
    """The next ADU-<year>-<6 digits> number (core.sequences: never twice, no gaps)."""
    return f"ADU-{year}-{sequence_next(key=sequences.TICKET, year=year):06d}"


@transaction.atomic
def ticket_create(
    *,
    reporter,
    category: Category,
    title: str,
    description: str,
    kelurahan,
    address: str = "",
    lat: Decimal | None = None,
    lng: Decimal | None = None,
    photos: Sequence[CleanFile] = (),
    show_name: bool = False,
    confidential: bool = False,
    attributes: dict | None = None,
    with_api_token: bool = False,
    is_demo: bool = False,
    created_at: datetime.datetime | None = None,
) -> Ticket:
    if not reporter or not reporter.is_authenticated:
        raise ValidationError(_("Masuk dulu untuk melapor."))
    return _ticket_save(
        reporter=reporter,
        category=category,
        title=title,
        description=description,
        kelurahan=kelurahan,
        address=address,
        lat=lat,
        lng=lng,
        photos=photos,
        show_name=show_name,
        confidential=confidential,
        attributes=attributes,
        with_api_token=with_api_token,
        is_demo=is_demo,
        created_at=created_at,
    )


FOLLOW_SECRET_BYTES = 12  # 96 bits: a secret nobody guesses within the follow page's limit


def follow_secret_new() -> str:
    """A follow secret a citizen can copy from paper: 4-4-4-4-4-4 lowercase letters and
    digits without 0/o and 1/l."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(24))
    return "-".join(raw[i : i + 4] for i in range(0, 24, 4))


def follow_secret_normal(raw: str) -> str:
    """As typed: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (raw or "").lower() if ch.isalnum())


@transaction.atomic
def ticket_create_anonymous(
    *,
    category: Category,
    title: str,
    description: str,
    kelurahan,
    address: str = "",
    lat: Decimal | None = None,
    lng: Decimal | None = None,
    photos: Sequence[CleanFile] = (),
    confidential: bool = False,
) -> tuple[Ticket, str]:
    """A report without an account (as SP4N-LAPOR! and FixMyStreet accept): no reporter
    at all, so nobody (not even a moderator) can learn who sent it. Returns the ticket
    and its follow secret, shown to the reporter once; only its hash is stored, and the
    number with the secret opens the follow page. `confidential` stays a separate choice:
    it keeps the report itself off the public pages."""
    secret = follow_secret_new()
    ticket = _ticket_save(
        reporter=None,
        category=category,
        title=title,
        description=description,
        kelurahan=kelurahan,
        address=address,
        lat=lat,
        lng=lng,
        photos=photos,
        show_name=False,
        confidential=confidential,
        follow_secret_hash=make_password(follow_secret_normal(secret)),
    )
    return ticket, secret


def _ticket_save(
    *,
    reporter,
    category: Category,
    title: str,
    description: str,
    kelurahan,
    address: str = "",
    lat: Decimal | None = None,
    lng: Decimal | None = None,
    photos: Sequence[CleanFile] = (),
    show_name: bool = False,
    confidential: bool = False,
    attributes: dict | None = None,
    with_api_token: bool = False,
    is_demo: bool = False,
    created_at: datetime.datetime | None = None,
    follow_secret_hash: str = "",
) -> Ticket:
    if not category.is_active:
        raise ValidationError({"category": _("Kategori ini tidak aktif.")})
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Paling banyak %(n)d foto.") % {"n": MAX_PHOTOS}})
    if (lat is None) != (lng is None):
        raise ValidationError(_("Titik peta harus berisi lintang dan bujur."))
    if category.location_required and lat is None and not (address or "").strip():
        raise ValidationError(
            {"address": _("Kategori ini memerlukan lokasi: isi alamat atau pilih titik peta.")}
        )
    if kelurahan is None or not kelurahan.is_village:
        raise ValidationError({"kelurahan": _("Pilih kelurahan.")})
    now = created_at or timezone.now()
    ticket = Ticket(
        number=ticket_number_next(year=timezone.localtime(now).year),
        category=category,
        title=title.strip(),
        description=description.strip(),
        kelurahan=kelurahan,
        address=(address or "").strip(),
        lat=lat,
        lng=lng,
        reporter=reporter,
        follow_secret_hash=follow_secret_hash,
        show_name=bool(show_name and not confidential and reporter is not None),
        confidential=confidential,
        attributes=attributes or {},
        created_at=now,
        updated_at=now,
        is_demo=is_demo,
        api_token=secrets.token_hex(12) if with_api_token else None,
    )
    ticket.full_clean()
    ticket.save()
    if photos:
        ticket.photos.set(
            [upload_store(clean=p, purpose="masyarakat.photo", owner=reporter) for p in photos]
        )
    workflow_start(ticket, workflow=TICKET, state="submitted", actor=reporter)
    for moderator in moderators():
        notify(
            recipient=moderator,
            title=_("Pengaduan baru %(n)s") % {"n": ticket.number},
            body=ticket.title,
            url=ticket.get_absolute_url(),
        )
    return ticket


def _act(
    ticket: Ticket,
    *,
    action: str,
    actor,
    note: str = "",
    extra_fields=(),
    today: datetime.date | None = None,
):
    ticket.updated_at = timezone.now()
    return transition(
        ticket,
        workflow=TICKET,
        action=action,
        actor=actor,
        note=note,
        extra_fields=["updated_at", *extra_fields],
        today=today,
    )


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
    Message.objects.create(ticket=ticket, author=reporter, from_reporter=True, body=answer.strip())
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
            title=_("Pengaduan %(n)s ditutup otomatis") % {"n": ticket.number},
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
    from_reporter = ticket.reporter_id == author.pk
    message = Message(ticket=ticket, author=author, from_reporter=from_reporter, body=body)
    message.full_clean()
    message.save()
    _touch(ticket)
    recipients = agency_officers(ticket) if from_reporter else reporter_of(ticket)
    if from_reporter and not recipients:
        recipients = moderators()
    for r in recipients:
        if r.pk != author.pk:
            notify(
                recipient=r,
                title=_("Pesan baru pada %(n)s") % {"n": ticket.number},
                url=ticket.get_absolute_url(),
            )
    return message


# SLA: reminders before the due date, escalation after it.

REMINDER, OVERDUE = "reminder", "overdue"  # the once keys' levels, as the Escalation rows had


def _escalate(ticket: Ticket, level: str, recipients, title: str, neutral_title: str) -> bool:
    """Notify once per ticket and level (core `once`). A recipient who may not open the
    ticket (e.g. the mayor's office for a confidential report) gets `neutral_title`, the
    ticket number only: no title, no text and no link to a page that would refuse them."""
    with transaction.atomic():
        if not once(_once_key(ticket, level)):
            return False  # already sent for this ticket and level (maybe by another worker)
        seen = set()
        for r in recipients:
            if r.pk in seen:
                continue
            seen.add(r.pk)
            if rules.has_perm("masyarakat.view_ticket", r, ticket):
                notify(recipient=r, title=title, body=ticket.title, url=ticket.get_absolute_url())
            else:
                notify(recipient=r, title=neutral_title)
    return True


def _once_key(ticket: Ticket, level: str) -> str:
    return f"masyarakat.{level}:{ticket.pk}"


def _not_sent(tickets, level: str) -> list[Ticket]:
    tickets = list(tickets)
    sent = once_taken(_once_key(t, level) for t in tickets)
    return [t for t in tickets if _once_key(t, level) not in sent]


def command_center_users():
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(
            groups__name__in=[roles.PIMPINAN, roles.MODERATOR_PENGADUAN], is_active=True
        )
        .distinct()
    )


def ticket_sla_check(*, today: datetime.date | None = None) -> dict[str, int]:
    """Remind the agency one working day before the due date; escalate overdue tickets
    to the agency, the moderators and the command center. Once per ticket and level
    (core `once`): a second run, or a second worker, sends nothing."""
    today = today or timezone.localdate()
    tomorrow = workdays.add_working_days(today, 1)
    working = Ticket.objects.filter(status__in=Ticket.WORKING_STATES, sla_due__isnull=False)
    result = {"reminder": 0, "overdue": 0}
    overdue = _not_sent(working.filter(sla_due__lt=today).select_related("agency"), OVERDUE)
    top = command_center_users() if overdue else []
    for t in overdue:
        title = _("Lewat batas waktu: %(n)s (%(a)s)") % {"n": t.number, "a": t.agency}
        neutral = _("Pengaduan %(n)s lewat batas waktu") % {"n": t.number}
        if _escalate(t, OVERDUE, [*agency_officers(t), *top], title, neutral):
            result["overdue"] += 1
    soon = _not_sent(
        working.filter(sla_due__gte=today, sla_due__lte=tomorrow).select_related("agency"),
        REMINDER,
    )
    for t in soon:
        title = _("Batas waktu %(d)s: %(n)s") % {"n": t.number, "d": t.sla_due.strftime("%d-%m-%Y")}
        neutral = _("Pengaduan %(n)s mendekati batas waktu") % {"n": t.number}
        if _escalate(t, REMINDER, agency_officers(t), title, neutral):
            result["reminder"] += 1
    return result


# ---------------------------------------------------------------- Open311 API keys


def api_key_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_key_issue(*, name: str, contact_email: str = "") -> tuple[ApiKey, str]:
    """Issue an Open311 key. Returns the row and the key, which is not stored and can be
    shown only now."""
    raw = secrets.token_urlsafe(32)
    key = ApiKey(
        name=name.strip(), contact_email=contact_email, prefix=raw[:8], digest=api_key_digest(raw)
    )
    key.full_clean()
    key.save()
    return key, raw


def api_key_is_valid(raw: str) -> bool:
    if not raw or len(raw) > 200:
        return False
    return ApiKey.objects.filter(digest=api_key_digest(raw), is_active=True).exists()
