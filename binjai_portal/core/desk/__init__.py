"""The officer's desk ("Meja kerja") and the citizen's "Aktivitas saya": registries.

Core knows no app. Each app says, in its `desk.py` (imported by CoreConfig.ready, as
`metrics.py` is for the KPIs), what waits for a staff member and what a citizen has
going, and the two pages render whatever is registered:

    # perizinan/desk.py
    from binjai_portal.core import desk

    @desk.waiting("perizinan", title=_("e-Perizinan"), order=40)
    def permits_waiting(user, *, limit: int) -> desk.Pile | None:
        qs = inbox_queryset(user=user)            # already scoped to the officer
        return desk.Pile(count=qs.count(), items=tuple(... for a in qs[:limit]))

    @desk.activity("perizinan", order=40)
    def permits_of(user, *, limit: int) -> list[desk.Item]: ...

A provider returns None when the user has no part in that service (the section is not
shown). It must answer in a fixed number of queries (a count and one page of rows), so
the desk costs the same with 5 or 5,000 files waiting. Items are frozen values, never
model instances: the template cannot run a query.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)

DESK_LIMIT = 10  # rows per service on the desk; the count says how many there are
ACTIVITY_LIMIT = 50  # rows per service on "Aktivitas saya"


@dataclass(frozen=True)
class Item:
    """One thing waiting (desk) or going on (activity)."""

    kind: str | Promise  # "Usulan", "Pengaduan", ...
    reference: str  # the number people quote
    title: str
    state: str | Promise  # current state's label
    url: str
    since: datetime.datetime | datetime.date | None = None  # waiting since / created
    due: datetime.date | None = None  # SLA due date, if any
    next_step: str | Promise = ""  # what the reader can do now
    who: str = ""  # e.g. the family member a booking is for

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()

    @property
    def sort_key(self) -> tuple:
        """Overdue first, then the earliest due, then the oldest."""
        since = self.since
        if isinstance(since, datetime.datetime):
            since = timezone.localtime(since).date() if timezone.is_aware(since) else since.date()
        return (
            not self.overdue,
            self.due or datetime.date.max,
            since or datetime.date.max,
            self.reference,
        )


@dataclass(frozen=True)
class Pile:
    """What waits for one officer in one service: how many, and the first rows."""

    count: int
    items: tuple[Item, ...] = ()
    overdue: int = 0
    list_url: str = ""  # the service's own work list, for the rest


@dataclass(frozen=True)
class Section:
    app: str
    title: str
    pile: Pile

    @property
    def items(self) -> list[Item]:
        return sorted(self.pile.items, key=lambda i: i.sort_key)


@dataclass(frozen=True)
class _Provider:
    app: str
    title: str | Promise
    order: int
    func: Callable = field(compare=False)


_WAITING: dict[str, _Provider] = {}
_ACTIVITY: dict[str, _Provider] = {}


def waiting(app: str, *, title, order: int = 50):
    """Register `func(user, *, limit) -> Pile | None`: what waits for this staff member."""

    def decorate(func):
        _WAITING[app] = _Provider(app, title, order, func)
        return func

    return decorate


def activity(app: str, *, title="", order: int = 50):
    """Register `func(user, *, limit) -> list[Item]`: the citizen's (and family's) records."""

    def decorate(func):
        _ACTIVITY[app] = _Provider(app, title, order, func)
        return func

    return decorate


def _ordered(registry: dict[str, _Provider]) -> list[_Provider]:
    return sorted(registry.values(), key=lambda p: (p.order, p.app))


def desk_for(user, *, limit: int = DESK_LIMIT) -> list[Section]:
    """The sections of the desk that concern this user (a service they do not work in
    returns None and is left out)."""
    sections = []
    for provider in _ordered(_WAITING):
        pile = provider.func(user, limit=limit)
        if pile is not None:
            sections.append(Section(provider.app, str(provider.title), pile))
    return sections


def activity_for(user, *, limit: int = ACTIVITY_LIMIT) -> list[Item]:
    """Everything of the citizen and their family in every service, newest first within
    what is still open: open items (with a next step) lead."""
    items: list[Item] = []
    for provider in _ordered(_ACTIVITY):
        items.extend(provider.func(user, limit=limit))

    def key(item: Item):
        since = item.since
        if isinstance(since, datetime.datetime):
            since = timezone.localtime(since).date() if timezone.is_aware(since) else since.date()
        return (not item.next_step, -(since or datetime.date.min).toordinal())

    return sorted(items, key=key)


COUNT_SECONDS = 300


def _count_key(user) -> str:
    return f"desk:count:{user.pk}"


def remember_count(user, total: int) -> None:
    """Keep the desk's total for the header badge (read from the cache only, so that no
    page pays for the desk's queries)."""
    from django.core.cache import cache

    cache.set(_count_key(user), total, COUNT_SECONDS)


def remembered_count(user) -> int | None:
    from django.core.cache import cache

    return cache.get(_count_key(user))


def autodiscover() -> None:
    """Import every installed app's desk module (called from CoreConfig.ready)."""
    autodiscover_modules("desk")
