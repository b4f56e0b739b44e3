"""Notifications and the outbox: an in-app inbox for every user, e-mail and SMS copies.

`notify()` writes the notification and its deliveries in the caller's transaction and
schedules delivery with `transaction.on_commit`; `message_send()` does the same for a
message that has no inbox entry (a password reset e-mail, a phone verification code).
If the broker is down at that moment the rows stay pending: the worker's startup sweep
and the periodic task deliver them later.

Sending never holds a database transaction open. A sender claims the delivery (a lease:
`claimed_until` and a `claim_token`, written by one conditional UPDATE), then calls SMTP
or the gateway, then records the outcome. A second task for the same delivery finds the
claim and waits for it to end; a sender that died leaves a claim that runs out, and the
next attempt reuses the delivery's `idempotency_key`, which the gateway uses to drop a
message it already has (see `binjai_portal.core.sms`).

SMS costs money and lands on a phone: it goes only to a number its owner verified, and
within the budgets of `binjai_portal.core.budget` (per number, per account, per client
address). Anything else is recorded as a skipped delivery, the reason shown in the admin;
the notification itself stays in the inbox.

A notification is written in the reader's language, whoever caused it: pass `title` and
`body` as `Text` (the Indonesian source string, marked with gettext_lazy so makemessages
finds it, and its values), and each copy is rendered in the language the recipient chose
(the inbox in the reader's active language, e-mail and SMS in `User.language`):

    notify(
        recipient=citizen,
        title=Text(_("Usulan %(ref)s disembunyikan sementara"), ref=proposal.reference),
        body=Text(_("Moderator memeriksanya."), next=...),
        url=proposal.get_absolute_url(),
    )

Text a person typed (a note, a ticket title) is the same in every language: pass it as
`Text.plain(value)`. A plain `str` still works (stored and sent as it is), but it reaches
every reader in the actor's language, so it is logged on the
"binjai_portal.core.notifications.untranslated" logger with the calling module, and the
test suite fails a test whose app code sends one (conftest.py). Values may
be lazy strings (a state's label) or other Texts; both are translated when rendered.
Values are formatted when read, in the reader's language, never before they are stored:
pass a `datetime.date`/`datetime.datetime` as it is (``2 Desember 2026`` / ``2 December
2026``), money as `Rupiah(amount)` (``Rp 1.250.000`` / ``Rp 1,250,000``), and a record
with an English name beside the Indonesian one (django-modeltranslation: a unit, a
permit type, a poli, a category) as the record itself, which stores its name in every
language. A test fails app code that formats a value inside a Text
(tests/core/test_notification_values.py).
Workflow transitions name their record through `notification_subject()` on the model
(see `subject_of`): kind, number and title.
"""

from __future__ import annotations

import datetime
import logging
import sys
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, override, pgettext

from . import formatting
from .budget import Budget, BudgetUnavailable, budget_take
from .clientip import current_client_ip
from .models import Delivery, Notification
from .sms import get_sms_backend

logger = logging.getLogger(__name__)
# A notify() given a plain str: stored as it is, so every reader gets the actor's language.
untranslated_logger = logging.getLogger(__name__ + ".untranslated")

EMAIL, SMS = Delivery.Channel.EMAIL, Delivery.Channel.SMS
Status, SkipReason, Purpose = Delivery.Status, Delivery.SkipReason, Delivery.Purpose
MAX_ATTEMPTS = 8
SMS_MAX_CHARS = 600


def _enqueue(delivery_ids: list[int]) -> None:
    """Queue one task per delivery; if the broker is down, leave them to the periodic task
    (core/broker.py connects once, without retries, so a dead broker costs no time)."""
    from .broker import enqueue_many
    from .tasks import notification_deliver_task

    if not enqueue_many(notification_deliver_task, [(i,) for i in delivery_ids]):
        logger.warning("deliveries %s stay pending until the broker is back", delivery_ids)


# BUDGETS


def _sms_budgets() -> tuple[Budget, Budget, Budget]:
    window = settings.SMS_BUDGET_WINDOW_SECONDS
    return (
        Budget("sms-number", settings.SMS_BUDGET_PER_NUMBER, window),
        Budget("sms-account", settings.SMS_BUDGET_PER_ACCOUNT, window),
        Budget("sms-client", settings.SMS_BUDGET_PER_CLIENT, window),
    )


def _sms_refusal(*, recipient, phone: str, require_verified: bool, client_ip: str | None) -> str:
    """Why this SMS must not go out ("" when it may), taking one unit of each budget."""
    if require_verified and not (
        getattr(recipient, "phone_verified_at", None) and recipient.phone == phone
    ):
        return SkipReason.UNVERIFIED
    per_number, per_account, per_client = _sms_budgets()
    checks = [(per_number, phone, SkipReason.BUDGET_ADDRESS)]
    if recipient is not None:
        checks.append((per_account, str(recipient.pk), SkipReason.BUDGET_ACCOUNT))
    if client_ip:
        checks.append((per_client, client_ip, SkipReason.BUDGET_CLIENT))
    try:
        for budget, subject, reason in checks:
            if not budget_take(budget, subject):
                return reason
    except BudgetUnavailable:
        return SkipReason.BUDGET_UNAVAILABLE
    return ""


def _skip(delivery: Delivery, reason: str) -> None:
    delivery.status, delivery.skip_reason = Status.SKIPPED, reason
    if delivery.secret:
        delivery.body = ""
    logger.info("%s delivery to %s skipped: %s", delivery.channel, _mask(delivery.address), reason)


def _mask(address: str) -> str:
    if "@" in address:
        name, _, domain = address.partition("@")
        return f"{name[:2]}***@{domain}"
    return address[:5] + "****" + address[-3:]


# MESSAGES IN THE READER'S LANGUAGE


def _msgid(text) -> str:
    """The source (Indonesian) string of a gettext_lazy proxy, or the string itself."""
    return _source(text)[0]


def _source(text) -> tuple[str, str]:
    """(msgid, context) of a gettext_lazy / pgettext_lazy proxy; (text, "") otherwise."""
    if isinstance(text, Promise):
        args = getattr(text, "_args", None) or ()
        if len(args) == 1 and isinstance(args[0], str):
            return args[0], ""
        if len(args) == 2 and all(isinstance(a, str) for a in args):
            return args[1], args[0]  # pgettext_lazy(context, message)
        with override(settings.LANGUAGE_CODE):
            return str(text), ""
    return str(text), ""


class Rupiah:
    """An amount of money in a `Text`, formatted as the reader's language writes it."""

    def __init__(self, amount):
        self.amount = amount


def _names(obj) -> dict | None:
    """A record's translated name in every language ({"id": ..., "en": ...}), or None
    when its model has no translated name (django-modeltranslation)."""
    from modeltranslation.translator import NotRegistered, translator
    from modeltranslation.utils import build_localized_fieldname

    try:
        fields = translator.get_options_for_model(type(obj)).fields
    except NotRegistered:
        return None
    field = next((f for f in ("name", "title") if f in fields), None)
    if field is None:
        return None
    names = {}
    for code, _name in settings.LANGUAGES:
        value = getattr(obj, build_localized_fieldname(field, code), None)
        if value:
            names[code] = value
    return names or {settings.LANGUAGE_CODE: str(obj)}


class _Stored:
    """A value already in its stored form (see `Text.from_json`)."""

    def __init__(self, data):
        self.data = data


class Text:
    """A message kept as its source string and values, translated when it is read.

    `Text(_("Pengaduan %(n)s diteruskan"), n="PGD-2026-00012")`; `Text.lines(a, b)` joins
    several into one body, line by line. Values that are lazy strings (labels) or Texts
    are stored by their source string and translated with the message.
    """

    def __init__(self, text, /, **params):
        self.msgid = _msgid(text)
        self.params = params
        self.parts: tuple[Text, ...] | None = None

    @classmethod
    def plain(cls, value) -> Text:
        """Text a person typed (a note, a ticket title): the same in every language."""
        return cls("%(text)s", text=str(value or ""))

    @classmethod
    def from_json(cls, data: dict) -> Text:
        """A Text again from its stored form (`to_json()`)."""
        if "lines" in data:
            return cls.lines(*(cls.from_json(p) for p in data["lines"]))
        text = cls(data.get("m", ""))
        text.params = {k: _Stored(v) for k, v in (data.get("p") or {}).items()}
        return text

    @classmethod
    def lines(cls, *parts) -> Text:
        joined = cls("")
        joined.parts = tuple(p if isinstance(p, Text) else cls(p) for p in parts if p)
        return joined

    # storage

    @staticmethod
    def _encode(value):
        if isinstance(value, _Stored):
            return value.data
        if isinstance(value, Text):
            return {"x": value.to_json()}
        if isinstance(value, Promise):
            msgid, context = _source(value)
            return {"t": msgid, "c": context} if context else {"t": msgid}
        if isinstance(value, Rupiah):
            return {"rp": str(value.amount)} if value.amount is not None else None
        if isinstance(value, datetime.datetime):
            return {"dt": value.isoformat()}
        if isinstance(value, datetime.time):
            return {"tm": value.strftime("%H:%M")}
        if isinstance(value, datetime.date):
            return {"d": value.isoformat()}
        if isinstance(value, models.Model):
            names = _names(value)
            return {"i": names} if names else str(value)
        if isinstance(value, int | float | str) or value is None:
            return value
        return str(value)

    def to_json(self) -> dict:
        if self.parts is not None:
            return {"lines": [p.to_json() for p in self.parts]}
        return {"m": self.msgid, "p": {k: self._encode(v) for k, v in self.params.items()}}

    # rendering

    @classmethod
    def _decode(cls, value):
        if isinstance(value, dict):
            if "t" in value:
                if not value["t"]:
                    return ""
                return pgettext(value["c"], value["t"]) if value.get("c") else gettext(value["t"])
            if "x" in value:
                return cls._render(value["x"])
            if "rp" in value:
                return formatting.rupiah(value["rp"])
            if "d" in value:
                return formatting.date(datetime.date.fromisoformat(value["d"]))
            if "dt" in value:
                moment = datetime.datetime.fromisoformat(value["dt"])
                return formatting.date(moment, with_time=True)
            if "tm" in value:
                return formatting.time(datetime.time.fromisoformat(value["tm"]))
            if "i" in value:
                names = value["i"]
                language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
                return (
                    names.get(language)
                    or names.get(settings.LANGUAGE_CODE)
                    or next(iter(names.values()), "")
                )
        return "" if value is None else value

    @classmethod
    def _render(cls, data: dict) -> str:
        if "lines" in data:
            return "\n".join(filter(None, (cls._render(p) for p in data["lines"])))
        msgid = data.get("m", "")
        text = gettext(msgid) if msgid else ""
        params = {k: cls._decode(v) for k, v in (data.get("p") or {}).items()}
        return text % params if params else text

    def render(self, language: str | None = None) -> str:
        return self.render_stored(self.to_json(), language, fallback="")

    def __str__(self) -> str:
        return self.render()

    @classmethod
    def render_stored(cls, data, language: str | None, *, fallback: str) -> str:
        """Render stored JSON in `language` (default: the active one); on a stored message
        that no longer formats (a changed source string), the stored Indonesian text."""
        if not data:
            return fallback
        try:
            with override(language or get_language() or settings.LANGUAGE_CODE):
                return cls._render(data)
        except (KeyError, ValueError, TypeError):
            return fallback


def subject_of(obj) -> tuple:
    """(kind, number, title) that a notification about `obj` names.

    A model says it with `notification_subject()`; otherwise its verbose name, the first
    of `reference`/`number`/`code` (else the pk) and its `title` (else nothing).
    """
    if hasattr(obj, "notification_subject"):
        kind, ref, title = obj.notification_subject()
    else:
        kind = obj._meta.verbose_name
        ref = next(
            (getattr(obj, f) for f in ("reference", "number", "code") if getattr(obj, f, None)),
            obj.pk,
        )
        title = getattr(obj, "title", "") or ""
    # A record as the title (a permit type, an agency) is named in the reader's language.
    return kind, str(ref or ""), title if isinstance(title, models.Model) else str(title or "")


def subject_text(obj) -> Text:
    """ "Usulan 2027-00042 “Perbaikan drainase”", in the reader's language."""
    kind, ref, title = subject_of(obj)
    if title:
        return Text("%(kind)s %(ref)s “%(title)s”", kind=kind, ref=ref, title=title)
    return Text("%(kind)s %(ref)s", kind=kind, ref=ref)


def _as_text(value) -> tuple[str, dict | None]:
    """(Indonesian text, stored JSON or None) of a title or body given to notify()."""
    if isinstance(value, Text):
        return value.render(settings.LANGUAGE_CODE), value.to_json()
    if isinstance(value, Promise):
        text = Text(value)
        return text.render(settings.LANGUAGE_CODE), text.to_json()
    if value:
        _warn_untranslated()
    return str(value or ""), None


def _wrapper(module: str) -> bool:
    return module in (__name__, "contextlib") or module.startswith("django.")


def _warn_untranslated() -> None:
    """Log the module that called notify() with a plain str (stored in one language only)."""
    frame = sys._getframe(1)
    # Past this module and the wrappers around notify() (transaction.atomic).
    while frame is not None and _wrapper(frame.f_globals.get("__name__", "")):
        frame = frame.f_back
    module = frame.f_globals.get("__name__", "?") if frame is not None else "?"
    untranslated_logger.warning(
        "untranslated notification from %s: pass a Text (or Text.plain for typed text)",
        module,
        extra={"caller_module": module},
    )


# WRITING TO THE OUTBOX


@transaction.atomic
def notify(
    *,
    recipient,
    title: str | Text,
    body: str | Text = "",
    url: str = "",
    channels: tuple[str, ...] = (EMAIL,),
) -> Notification:
    """Write an in-app notification and queue its e-mail/SMS copies after commit.

    `title` and `body` are a `Text` (rendered in each reader's language) or a plain
    string (stored and sent as it is). Text must not contain a NIK: it goes out by e-mail
    and SMS.
    """
    title_id, title_json = _as_text(title)
    body_id, body_json = _as_text(body)
    notification = Notification.objects.create(
        recipient=recipient,
        title=title_id[:200],
        body=body_id,
        url=url,
        title_text=title_json,
        body_text=body_json,
    )
    addresses = {
        EMAIL: recipient.email if recipient.email else None,
        SMS: recipient.phone,
    }
    client_ip = current_client_ip()
    deliveries = []
    for channel in channels:
        if not addresses.get(channel):
            continue
        delivery = Delivery(
            notification=notification,
            recipient=recipient,
            channel=channel,
            address=addresses[channel],
            client_ip=client_ip or None,
        )
        if channel == SMS:
            reason = _sms_refusal(
                recipient=recipient,
                phone=delivery.address,
                require_verified=True,
                client_ip=client_ip,
            )
            if reason:
                _skip(delivery, reason)
        deliveries.append(delivery)
    Delivery.objects.bulk_create(deliveries)
    ids = [d.pk for d in deliveries if d.status == Status.PENDING]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return notification


@transaction.atomic
def message_send(
    *,
    recipient,
    channel: str,
    address: str,
    body: str,
    subject: str = "",
    purpose: str,
    secret: bool = False,
    mail_budget: Budget | None = None,
) -> Delivery:
    """Queue a message that has no inbox entry (e.g. a verification code) after commit.

    An SMS takes from the same budgets as notification copies but may go to a number not
    verified yet (the code that verifies it). `mail_budget` limits e-mails per address.
    `secret` erases the body once the delivery is settled.
    """
    client_ip = current_client_ip()
    delivery = Delivery(
        recipient=recipient,
        channel=channel,
        address=address,
        subject=subject[:200],
        body=body,
        purpose=purpose,
        secret=secret,
        client_ip=client_ip or None,
    )
    if channel == SMS:
        reason = _sms_refusal(
            recipient=recipient, phone=address, require_verified=False, client_ip=client_ip
        )
    elif mail_budget is not None:
        try:
            reason = "" if budget_take(mail_budget, address) else SkipReason.BUDGET_ADDRESS
        except BudgetUnavailable:
            reason = SkipReason.BUDGET_UNAVAILABLE
    else:
        reason = ""
    if reason:
        _skip(delivery, reason)
    delivery.save()
    if delivery.status == Status.PENDING:
        transaction.on_commit(lambda: _enqueue([delivery.pk]))
    return delivery


# SENDING


def _message_id(delivery: Delivery) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "binjai-portal.invalid"
    return f"<{delivery.idempotency_key}@{host}>"


def _send(delivery: Delivery) -> None:
    key = str(delivery.idempotency_key)
    n = delivery.notification
    if n is None:
        subject, text = delivery.subject, delivery.body
    else:
        link = f"{settings.SITE_URL.rstrip('/')}{n.url}" if n.url and settings.SITE_URL else ""
        # In the language the recipient chose, whoever caused the message.
        language = getattr(delivery.recipient, "language", None) or settings.LANGUAGE_CODE
        title, body = n.title_in(language), n.body_in(language)
        subject = f"[{settings.SITE_NAME}] {title}"
        if delivery.channel == EMAIL:
            text = "\n\n".join(part for part in (body or title, link) if part)
        else:
            # The title leads (not repeated without a body); a long body is cut, the link never.
            text = f"{title}. {body}" if body else title
            if link:
                text = f"{text[: SMS_MAX_CHARS - len(link) - 1]}\n{link}"
    if delivery.channel == EMAIL:
        # One Message-ID per delivery, whichever attempt gets through: mail systems and
        # the recipient's client see a resent copy as the same message.
        EmailMessage(
            subject,
            text,
            None,
            [delivery.address],
            headers={"Message-ID": _message_id(delivery), "X-Idempotency-Key": key},
        ).send()
    else:
        get_sms_backend().send(to=delivery.address, text=text[:SMS_MAX_CHARS], reference=key)


class DeliveryFailed(Exception):
    """A transient failure: the task retries after `retry_in` seconds."""

    def __init__(self, message: str, *, retry_in: float = 0):
        super().__init__(message)
        self.retry_in = retry_in


def _claim(delivery_id: int) -> uuid.UUID | None:
    """Take the lease on a pending delivery nobody holds (or whose holder's lease ran out)."""
    now = timezone.now()
    token = uuid.uuid4()
    taken = (
        Delivery.objects.filter(pk=delivery_id, status=Status.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(
            claimed_until=now + datetime.timedelta(seconds=settings.DELIVERY_LEASE_SECONDS),
            claim_token=token,
            attempts=F("attempts") + 1,
        )
    )
    return token if taken else None


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery unless it is settled or claimed; return its status afterwards.

    "locked" means another sender holds the claim right now (see `delivery_claim_wait`).
    No transaction is open while SMTP or the gateway is called: each database step is a
    single autocommitted statement.
    """
    token = _claim(delivery_id)
    if token is None:
        status = Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
        if status is None:
            return "missing"
        return "locked" if status == Status.PENDING else status
    delivery = Delivery.objects.select_related("notification", "recipient").get(pk=delivery_id)
    now = timezone.now
    try:
        _send(delivery)
    except Exception as exc:  # noqa: BLE001 - any channel failure is recorded
        error = f"{type(exc).__name__}: {exc}"[:300]
        give_up = delivery.attempts >= MAX_ATTEMPTS
        delay = retry_delay(delivery.attempts)
        changes = {
            "last_error": error,
            "next_attempt_at": now() + delay,
            "claimed_until": None,
            "claim_token": None,
            "status": Status.FAILED if give_up else Status.PENDING,
        }
        if give_up and delivery.secret:
            changes["body"] = ""
        Delivery.objects.filter(pk=delivery_id, claim_token=token).update(**changes)
        if give_up:
            logger.warning("delivery %s failed for good: %s", delivery_id, error)
            return Status.FAILED
        raise DeliveryFailed(error, retry_in=delay.total_seconds()) from exc
    changes = {
        "status": Status.SENT,
        "sent_at": now(),
        "claimed_until": None,
        "claim_token": None,
        "last_error": "",
    }
    if delivery.secret:
        changes["body"] = ""
    # Whoever holds the claim now: the message is out, and its key makes any copy a no-op.
    Delivery.objects.filter(pk=delivery_id, status=Status.PENDING).update(**changes)
    return Status.SENT


def delivery_claim_wait(*, delivery_id: int) -> float | None:
    """Seconds until the current claim on a pending delivery runs out (None: no claim)."""
    until = (
        Delivery.objects.filter(pk=delivery_id, status=Status.PENDING)
        .values_list("claimed_until", flat=True)
        .first()
    )
    if until is None:
        return None
    return max((until - timezone.now()).total_seconds(), 0.0)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff from DELIVERY_RETRY_BASE_SECONDS (30 s, 1 min, ...), max 30 min."""
    base = settings.DELIVERY_RETRY_BASE_SECONDS
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 30 * 60))


def _due(now) -> Q:
    return (
        Q(status=Status.PENDING)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    )


def pending_delivery_ids(*, older_than_seconds: int = 0, limit: int = 500) -> list[int]:
    """Pending deliveries due now: not backing off and not claimed by a live sender."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(seconds=older_than_seconds)
    return list(
        Delivery.objects.filter(_due(now), created_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def pending_delivery_schedule(*, limit: int = 2000) -> list[tuple[int, float]]:
    """Every pending delivery with the seconds until it may be tried (claim, backoff).

    Read by the worker's startup sweep, so that what a crashed worker left behind is sent
    without waiting for beat (which may not run at all).
    """
    now = timezone.now()
    rows = (
        Delivery.objects.filter(status=Status.PENDING)
        .order_by("pk")
        .values_list("pk", "claimed_until", "next_attempt_at")[:limit]
    )
    schedule = []
    for pk, claimed_until, next_attempt_at in rows:
        times = [t for t in (claimed_until, next_attempt_at) if t is not None and t > now]
        schedule.append((pk, max((t - now).total_seconds() for t in times) if times else 0.0))
    return schedule


def notification_list_for_user(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@transaction.atomic
def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, all) of the user's notifications read."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
