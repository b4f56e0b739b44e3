"""Reads of e-Masyarakat, scoped to who is asking.

Confidential tickets never leave through the public selectors; a reporter's identity
is given by `reporter_label()` only, which shows a confidential reporter to moderators
(and to the reporter) alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import rules
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from binjai_portal.accounts import roles
from binjai_portal.core import kpi, pagecache
from binjai_portal.core.labels import choice_labels
from binjai_portal.core.regions import kecamatan_list
from binjai_portal.core.translations import localized
from binjai_portal.core.workflow import TimelineEntry, timeline

from .models import Category, Message, MeToo, Ticket
from .workflows import TICKET


@dataclass(frozen=True)
class PublicFilters:
    category: str | None = None  # Category.code
    kecamatan: str | None = None  # Kemendagri code
    status: str | None = None  # a Ticket.Status value, or "open"/"closed"
    start: datetime.date | None = None
    end: datetime.date | None = None
    q: str | None = None


def _base() -> QuerySet[Ticket]:
    return Ticket.objects.select_related("category__agency", "kelurahan__parent", "agency")


def ticket_list_public(*, filters: PublicFilters | None = None) -> QuerySet[Ticket]:
    """Tickets anyone may see: never confidential, never unmoderated or rejected."""
    f = filters or PublicFilters()
    qs = _base().filter(_public_q())
    if f.category:
        qs = qs.filter(category__code=f.category)
    if f.kecamatan:
        qs = qs.filter(kelurahan__parent__code=f.kecamatan)
    if f.status == "open":
        qs = qs.filter(status__in=Ticket.OPEN_STATES)
    elif f.status == "closed":
        qs = qs.filter(status__in=Ticket.CLOSED_STATES)
    elif f.status:
        qs = qs.filter(status=f.status)
    # Timestamp bounds, which the created_at indexes serve (`__date` casts every row).
    if f.start:
        qs = qs.filter(created_at__gte=kpi.Period(f.start, f.start).datetimes()[0])
    if f.end:
        qs = qs.filter(created_at__lt=kpi.Period(f.end, f.end).datetimes()[1])
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(number__iexact=f.q.strip()))
    return qs.order_by("-created_at", "-pk")


# The public map's markers: the state by colour *and* shape (never colour alone), the
# category by its icon. Markers are HTML (Leaflet divIcon), so they need no image files
# and show offline, without tiles.
MAP_STATES = (
    ("new", _l("Baru, belum ditangani"), "circle", ("verified",)),
    ("working", _l("Sedang ditangani"), "square", ("assigned", "in_progress", "need_info")),
    ("done", _l("Selesai"), "diamond", ("resolved", "closed", "merged")),
)
CATEGORY_ICONS = (  # a word of the category's code -> a Bootstrap icon
    ("jalan-rusak", "cone-striped"),
    ("lampu", "lightbulb"),
    ("drainase", "water"),
    ("banjir", "cloud-rain-heavy"),
    ("sampah", "trash"),
    ("pohon", "tree"),
    ("pkl", "shop"),
    ("parkir", "p-circle"),
    ("adminduk", "person-vcard"),
    ("kesehatan", "hospital"),
    ("pungli", "cash-coin"),
)
SPARE_ICONS = ("geo-alt", "flag", "star", "bookmark", "bell", "tag", "pin-map", "circle")


def category_icons(codes: Iterable[str]) -> dict[str, str]:
    """Each category's icon: by a word of its code, else a spare one by its order."""
    out, spare = {}, iter(SPARE_ICONS * 4)
    for code in sorted(codes):
        icon = next((i for word, i in CATEGORY_ICONS if word in code), None)
        out[code] = icon or next(spare, "geo-alt")
    return out


def map_state(status: str) -> str:
    return next((key for key, _label, _shape, states in MAP_STATES if status in states), "new")


@dataclass(frozen=True)
class MapLegend:
    states: tuple[tuple[str, str, str], ...]  # (key, label, shape)
    categories: tuple[tuple[str, str, str], ...]  # (code, name, icon)


def map_legend() -> MapLegend:
    return MapLegend(
        tuple((k, str(label), shape) for k, label, shape, _s in MAP_STATES),
        reference().categories,
    )


def ticket_map_points(*, filters: PublicFilters | None = None, limit: int = 1000) -> list[dict]:
    """Plain values for the public map: no reporter, no confidential tickets; the
    category's name in the reader's language (modeltranslation does not rewrite a lookup
    through a relation, so `category__name` would read Indonesian)."""
    rows = (
        ticket_list_public(filters=filters)
        .filter(lat__isnull=False)
        .values_list("number", "title", "status", "lat", "lng", "category__code")
        .annotate(category_name=localized("category__name"))[:limit]
    )
    icons = reference().icons
    labels = choice_labels(Ticket.Status)
    return [
        {
            "number": number,
            "title": title,
            "status": labels.get(status, status),
            "state": map_state(status),
            "category": category_name,
            "icon": icons.get(code, "geo-alt"),
            "lat": float(lat),
            "lng": float(lng),
        }
        for number, title, status, lat, lng, code, category_name in rows
    ]


# --- Open311: service requests as plain values -----------------------------------------

#: The columns of an Open311 service request (api.request_dict).
OPEN311_FIELDS = (
    "pk", "number", "status", "status_notes", "description", "created_at", "updated_at",
    "sla_due", "address", "lat", "lng", "attributes",
)  # fmt: skip


def ticket_open311_rows(qs: QuerySet[Ticket]) -> list[dict]:
    """Open311 service requests of `qs` (sliced already) in two queries whatever their
    number: the category, agency (the ticket's, else its category's) and kelurahan by
    joins, names in the reader's language, and each ticket's newest photo's token."""
    rows = list(
        qs.values(
            *OPEN311_FIELDS,
            service_name=localized("category__name"),
            service_code=F("category__code"),
            agency_name=Coalesce(localized("agency__name"), localized("category__agency__name")),
            kelurahan_name=F("kelurahan__name"),
            kelurahan_code=F("kelurahan__code"),
        )
    )
    photos: dict[int, str] = {}
    if rows:
        through = Ticket.photos.through.objects.filter(ticket_id__in=[r["pk"] for r in rows])
        for ticket_id, token in through.order_by("ticket_id", "-upload__created_at").values_list(
            "ticket_id", "upload__token"
        ):
            photos.setdefault(ticket_id, token)
    for r in rows:
        r["photo_token"] = photos.get(r["pk"])
    return rows


# --- cards: a page of tickets as plain values ------------------------------------------

#: What a ticket card shows (templatetags/masyarakat_cards.py), read without model rows.
CARD_FIELDS = ("number", "title", "status", "created_at", "me_too_count", "sla_due")


def ticket_cards(qs: QuerySet[Ticket]) -> QuerySet:
    """The card values of a ticket list (any selector's queryset, still lazy, so a
    paginator can slice it): one query per page, no model instances, the category's name
    in the reader's language."""
    return qs.values(
        *CARD_FIELDS,
        category_name=localized("category__name"),
        kelurahan_name=F("kelurahan__name"),
        kecamatan_name=F("kelurahan__parent__name"),
    )


def ticket_get_public(*, number: str) -> Ticket:
    ticket = ticket_list_public().filter(number=number).first()
    if ticket is None:
        raise Http404
    return ticket


def _handler_q(user) -> Q:
    """The tickets the user handles: every ticket for a moderator, their agency's for an
    OPD officer, none for anybody else (city-wide viewers are not handlers)."""
    if not (user and user.is_authenticated):
        return Q(pk__in=[])
    if user.is_superuser or user.has_role(roles.MODERATOR_PENGADUAN):
        return Q(pk__isnull=False)  # every row (an empty Q() would vanish in an OR)
    if user.has_role(roles.PETUGAS_OPD) and user.unit_id:
        return Q(agency_id=user.unit_id)
    return Q(pk__in=[])


def _public_q() -> Q:
    return Q(confidential=False) & ~Q(status__in=Ticket.HIDDEN_STATES)


@dataclass(frozen=True)
class Follow:
    """The number and secret of an anonymous report, as its reporter typed them."""

    number: str
    secret: str


def follow_secret_normal(raw: str) -> str:
    """A follow secret as typed: case, spaces and dashes do not matter (services hash it
    so, this module checks it so)."""
    return "".join(ch for ch in (raw or "").lower() if ch.isalnum())


def _follow_q(follow: Follow | None) -> Q:
    """The anonymous report whose number and secret were given: its one row, or none.

    The secret is stored as a salted hash, so it is checked here in Python on the one row
    the number names; a wrong secret and an unknown number look the same."""
    from django.contrib.auth.hashers import check_password

    if follow is None:
        return Q(pk__in=[])
    row = (
        Ticket.objects.filter(number=(follow.number or "").strip().upper(), reporter__isnull=True)
        .exclude(follow_secret_hash="")
        .values_list("pk", "follow_secret_hash")
        .first()
    )
    secret = follow_secret_normal(follow.secret)
    if row is None or not secret or not check_password(secret, row[1]):
        return Q(pk__in=[])
    return Q(pk=row[0])


def _followed_q(followed) -> Q:
    """Anonymous reports this browser proved it may follow (their pks, kept in the
    session after the number and secret were given once)."""
    pks = [p for p in followed or () if isinstance(p, int) and not isinstance(p, bool)]
    if not pks:
        return Q(pk__in=[])
    return Q(pk__in=pks, reporter__isnull=True) & ~Q(follow_secret_hash="")


def ticket_list_visible(
    *, user, follow: Follow | None = None, followed: Iterable[int] = ()
) -> QuerySet[Ticket]:
    """THE rule of who may open a ticket: the public ones, the user's own, those the
    user handles, and the anonymous report whose number and secret are given (`follow`)
    or were given before in this browser's session (`followed`).
    Every list, detail page, follow page, upload policy and notification text of
    e-Masyarakat is derived from it, so a list never shows what a detail page refuses.
    An anonymous report is nobody's own: `reporter_id = user.pk` never matches it."""
    q = _public_q() | _follow_q(follow) | _followed_q(followed)
    if user and user.is_authenticated:
        q |= Q(reporter_id=user.pk) | _handler_q(user)
    return _base().filter(q)


def ticket_get_for_follower(*, user, follow: Follow) -> Ticket | None:
    """The anonymous report for its follow page, or None (wrong number or secret)."""
    return (
        ticket_list_visible(user=user, follow=follow)
        .filter(reporter__isnull=True, number=(follow.number or "").strip().upper())
        .prefetch_related("photos")
        .first()
    )


def ticket_get_followed(*, user, number: str, followed: Iterable[int]) -> Ticket | None:
    """The anonymous report this browser proved it may follow, by its number, or None."""
    return (
        ticket_list_visible(user=user, followed=followed)
        .filter(_followed_q(followed), number=(number or "").strip().upper())
        .prefetch_related("photos")
        .first()
    )


def ticket_list_for_user(*, user, status: str | None = None) -> QuerySet[Ticket]:
    """The work queue: the tickets a staff member handles (moderators: all; OPD officers:
    their agency's). Other staff, however city-wide, handle none and see none here."""
    qs = ticket_list_visible(user=user).select_related("reporter").filter(_handler_q(user))
    if status == "open":
        qs = qs.filter(status__in=Ticket.OPEN_STATES)
    elif status == "overdue":
        qs = qs.filter(status__in=Ticket.WORKING_STATES, sla_due__lt=timezone.localdate())
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def ticket_list_own(*, user) -> QuerySet[Ticket]:
    return ticket_list_visible(user=user).filter(reporter=user).order_by("-created_at", "-pk")


def ticket_get_for_user(*, user, number: str) -> tuple[Ticket, bool]:
    """The ticket and whether the user sees it as reporter/handler (True) or as the public.

    404 when it is not in `ticket_list_visible` for the user.
    """
    ticket = (
        ticket_list_visible(user=user)
        .select_related("reporter")
        .prefetch_related("photos")
        .filter(number=number)
        .first()
    )
    if ticket is None:
        raise Http404
    private = bool(
        user.is_authenticated
        and (
            ticket.reporter_id == user.pk
            or rules.has_perm("masyarakat.handle_ticket", user, ticket)
        )
    )
    return ticket, private


def reporter_label(ticket: Ticket, user) -> str:
    if ticket.is_anonymous:
        return _("Pelapor tanpa akun (anonim)")
    if rules.has_perm("masyarakat.view_reporter", user, ticket):
        return ticket.reporter.full_name
    if ticket.confidential:
        return _("Pelapor dirahasiakan")
    if ticket.show_name and ticket.reporter_id:
        return ticket.reporter.full_name
    return _("Warga (anonim)")


def ticket_timeline(*, ticket: Ticket, viewer) -> list[TimelineEntry]:
    """History for display, through the core timeline with e-Masyarakat's anonymity:
    staff names only to staff; the reporter appears as 'Pelapor' unless the viewer may
    see who they are (rule `masyarakat.view_reporter`, or a public name on a non-confidential
    ticket); a report without an account was made by 'Pelapor tanpa akun'; a citizen's
    answer to a question is part of the private thread (staff and the reporter only)."""
    return timeline(
        ticket,
        workflow=TICKET,
        viewer=viewer,
        citizen_label=_("Pelapor"),
        owner_id=lambda t: t.reporter_id,
        citizen_identity=lambda t: (
            rules.has_perm("masyarakat.view_reporter", viewer, t)
            or (t.show_name and not t.confidential)
        ),
        creator_label=lambda t: _("Pelapor tanpa akun") if t.is_anonymous else None,
        private_actions=("answer_info",),
    )


@dataclass(frozen=True)
class ThreadMessage:
    when: datetime.datetime
    author: str
    from_reporter: bool
    body: str


def message_list(*, ticket: Ticket, viewer) -> list[ThreadMessage]:
    """The thread, for the reporter and handlers only (callers check)."""
    identity = rules.has_perm("masyarakat.view_reporter", viewer, ticket)
    staff_viewer = viewer.is_authenticated and viewer.is_staff
    out = []
    for m in Message.objects.filter(ticket=ticket).select_related("author__unit"):
        if m.from_reporter:
            author = m.author.full_name if identity and m.author_id else _("Pelapor")
        elif staff_viewer:
            author = m.author.full_name
        else:
            author = m.author.unit.name if m.author.unit_id else _("Petugas")
        out.append(ThreadMessage(m.created_at, str(author), m.from_reporter, m.body))
    return out


def has_me_too(*, ticket: Ticket, user) -> bool:
    return bool(user.is_authenticated and MeToo.objects.filter(ticket=ticket, user=user).exists())


def category_list(*, active_only: bool = True) -> QuerySet[Category]:
    qs = Category.objects.select_related("agency").prefetch_related("attributes")
    return qs.filter(is_active=True) if active_only else qs


def category_get(*, code: str) -> Category | None:
    return category_list().filter(code=code).first()


def kecamatan_choices() -> list[tuple[str, str]]:
    return list(reference().kecamatan)


# --- reference data: categories and kecamatan, memoised per process ---------------------

#: The generation (core.pagecache) that category, unit and region changes bump (apps.py).
REFERENCE_SCOPE = "masyarakat-reference"


@dataclass(frozen=True)
class Reference:
    """What every public page of e-Masyarakat needs beside its tickets, in one language."""

    categories: tuple[tuple[str, str, str], ...]  # active ones: (code, name, icon)
    icons: dict[str, str]  # code -> icon, every category
    kecamatan: tuple[tuple[str, str], ...]  # (Kemendagri code, name)


_reference: dict[str, tuple[str, Reference]] = {}


def _reference_build() -> Reference:
    rows = list(Category.objects.order_by("name").values_list("code", "name", "is_active"))
    icons = category_icons(code for code, _n, _a in rows)
    return Reference(
        categories=tuple((code, name, icons[code]) for code, name, active in rows if active),
        icons=icons,
        kecamatan=tuple(kecamatan_list().order_by("code").values_list("code", "name")),
    )


def reference() -> Reference:
    """Categories and kecamatan for the filter forms, the map legend and the cards' icons.

    Kept in this process per language and rebuilt when REFERENCE_SCOPE's generation
    changes (a category, unit or region saved: apps.py), so a page pays one cache read
    for them, not three queries; without the cache (Redis down) they are read each time.
    """
    generation = pagecache.generations([REFERENCE_SCOPE])
    if generation is None:
        return _reference_build()
    if generation == "0":  # never set, or the cache was flushed: a fresh one, no old memo
        pagecache.invalidate(REFERENCE_SCOPE)
        generation = pagecache.generations([REFERENCE_SCOPE]) or ""
    language = get_language() or ""
    found = _reference.get(language)
    if found is None or found[0] != generation:
        found = _reference[language] = (generation, _reference_build())
    return found[1]


def reference_changed(**kwargs) -> None:
    """Signal receiver (apps.py): the memo above is rebuilt in every process."""
    if not kwargs.get("raw"):
        pagecache.invalidate(REFERENCE_SCOPE, using=kwargs.get("using") or "default")


def ticket_get_by_token(*, token: str) -> Ticket | None:
    return Ticket.objects.filter(api_token=token, confidential=False).first()
