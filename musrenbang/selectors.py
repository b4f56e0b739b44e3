"""Reads of e-Musrenbang, scoped to who is asking, with their joins in place."""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.dates import MONTHS
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from binjai_portal.accounts.scoping import scope_filter, scope_queryset
from binjai_portal.core import pagecache
from binjai_portal.core.models import Region, Urusan
from binjai_portal.core.regions import kecamatan_list
from binjai_portal.core.workflow import timeline, timelines

from .models import (
    CompletionFeedback,
    Cycle,
    Forum,
    Funding,
    FundingMonth,
    Proposal,
    Status,
    Support,
)
from .workflows import PROPOSAL

PUBLIC_RELATED = (
    "cycle",
    "kelurahan",
    "kelurahan__parent",
    "category",
    "agency",
    "suggested_agency",
    "proposer",
)
# What a card ({% proposal_cards %}, musrenbang/rendering.py) and a map
# point show, as plain values: two joins, not eight, and no model instances.
CARD_VALUES = (
    "pk",
    "reference",
    "title",
    "status",
    "support_count",
    "estimated_cost",
    "latitude",
    "longitude",
    "kelurahan__name",
    "kelurahan__parent__name",
    "category__name",
    "category__name_ind",  # the bidang's name in each language (modeltranslation)
    "category__name_en",
)


def cycle_current() -> Cycle | None:
    return Cycle.objects.order_by("-plan_year").first()


def forum_get(*, cycle: Cycle, level: str, region: Region) -> Forum | None:
    return Forum.objects.filter(cycle=cycle, level=level, region=region).first()


def cycle_list() -> QuerySet[Cycle]:
    return Cycle.objects.order_by("-plan_year")


def _public_q() -> Q:
    return ~Q(status=Status.DRAFT) & Q(is_hidden=False)


def proposal_list_public() -> QuerySet[Proposal]:
    """Proposals anyone may see: submitted or later and not hidden by moderation."""
    return (
        Proposal.objects.filter(_public_q())
        .select_related(*PUBLIC_RELATED)
        .order_by("-support_count", "-pk")
    )


def proposal_list_visible(*, user) -> QuerySet[Proposal]:
    """THE rule of who may open a proposal: public ones to all; the proposer their own
    (drafts included); officers the sent (non-draft) ones in their region, hidden ones
    too. The detail page, the officer list and the photo policy derive from it."""
    q = _public_q()
    if user and user.is_authenticated:
        q |= Q(proposer_id=user.pk)
        if user.is_staff:
            region = scope_filter(user, region_field="kelurahan")
            q |= ~Q(status=Status.DRAFT) & (region if region is not None else Q())
    return Proposal.objects.filter(q)


def proposal_list_public_rows() -> QuerySet[Proposal]:
    """proposal_list_public() without its joins: to filter and count (a count that joins
    nothing reads only the proposals), then to take a page of cards from."""
    return Proposal.objects.filter(_public_q()).order_by("-support_count", "-pk")


def proposal_cards(qs: QuerySet[Proposal]) -> QuerySet:
    """The rows of `qs` (a page of proposal_list_public_rows(), sliced or filtered) as
    the values of a card: dicts with CARD_VALUES, two joins."""
    return qs.values(*CARD_VALUES)


_FILTER_CHOICES: dict[tuple, tuple[float, dict]] = {}
_FILTER_CHOICES_TTL = 600


def proposal_filter_choices() -> dict[str, list[tuple[int, str]]]:
    """The choices of the public filter form, built once per language and e-Musrenbang
    generation (a new cycle, or any change: core.pagecache), ten minutes at most (region
    and bidang names), kept in the process and in the shared cache for the others. Four
    queries saved on every list page, and the unpickling of a hundred choices too."""
    gens = pagecache.generations(("musrenbang",))
    if gens is None:  # the cache is down: build them, keep nothing
        return _filter_choices()
    key, now = (get_language(), gens), time.monotonic()
    kept = _FILTER_CHOICES.get(key)
    if kept is not None and kept[0] > now:
        return kept[1]
    found = pagecache.memo(
        "musrenbang-filter-choices", ("musrenbang",), _filter_choices, _FILTER_CHOICES_TTL
    )
    for old in [k for k in _FILTER_CHOICES if k[1] != gens]:
        del _FILTER_CHOICES[old]  # an older generation is never read again
    _FILTER_CHOICES[key] = (now + _FILTER_CHOICES_TTL, found)
    return found


def _filter_choices() -> dict[str, list[tuple[int, str]]]:
    return {
        "cycle": [(c.pk, str(c)) for c in Cycle.objects.order_by("-plan_year")],
        "kecamatan": [(r.pk, str(r)) for r in kecamatan_list()],
        "kelurahan": [
            (r.pk, str(r))
            for r in Region.objects.filter(level__in=Region.VILLAGE_LEVELS).order_by("name")
        ],
        "category": [(u.pk, str(u)) for u in Urusan.objects.filter(level="bidang")],
    }


def proposal_visible(*, reference: str, user) -> Proposal:
    """A proposal by reference if `proposal_list_visible` holds it for the user; 404
    otherwise."""
    # Three joins; the optional links (mostly empty) come as prefetches: a ten-table
    # join cost more to plan and compile than the page took to render.
    return get_object_or_404(
        proposal_list_visible(user=user)
        .select_related("cycle", "kelurahan__parent", "category")
        .prefetch_related(
            "agency", "suggested_agency", "proposer", "duplicate_of", "carried_from__cycle"
        ),
        reference=reference,
    )


def proposal_get_own(*, reference: str, user) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("cycle"),
        reference=reference,
        proposer_id=getattr(user, "pk", None),
    )


def proposal_timeline(*, proposal: Proposal, viewer):
    """The status history; the proposer's own name only when they chose to show it."""
    return timeline(
        proposal,
        workflow=PROPOSAL,
        viewer=viewer,
        show_citizen_names=proposal.show_proposer_name,
        citizen_label=_("Pengusul"),
    )


def proposal_timelines(*, proposals, viewer) -> dict:
    """proposal_timeline() of many proposals in one query: {pk: entries}."""
    return timelines(
        proposals,
        workflow=PROPOSAL,
        viewer=viewer,
        show_citizen_names=lambda p: p.show_proposer_name,
        citizen_label=_("Pengusul"),
    )


def proposal_photos(*, proposal: Proposal):
    return list(proposal.photos.all())


def proposal_is_supported_by(*, proposal: Proposal, user) -> bool:
    if not user.is_authenticated:
        return False
    return Support.objects.filter(proposal=proposal, user=user, withdrawn_at__isnull=True).exists()


def proposal_list_mine(*, user) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(proposer_id=user.pk)
        .select_related("cycle", "kelurahan", "category", "carried_from")
        .order_by("-cycle__plan_year", "-pk")
    )


def proposal_list_for_officer(*, user, status: str | None = None) -> QuerySet[Proposal]:
    """Proposals in the officer's kelurahan, kecamatan or (Bappeda, TAPD) the whole city."""
    if not (user.is_authenticated and user.is_staff):
        return Proposal.objects.none()
    qs = scope_queryset(
        proposal_list_visible(user=user).exclude(status=Status.DRAFT),
        user,
        region_field="kelurahan",
    )
    if status:
        qs = qs.filter(status=status)
    return qs.select_related(*PUBLIC_RELATED).order_by("-pk")


def proposal_queue_for_officer(*, user, status: str | None = None) -> QuerySet[Proposal]:
    """proposal_list_for_officer() with the joins of the work queue's table only (its
    kelurahan and bidang), not the eight of a detail page."""
    return (
        proposal_list_for_officer(user=user, status=status)
        .select_related(None)
        .select_related("kelurahan", "category")
    )


def proposal_get_for_officer(*, user, reference: str) -> Proposal:
    return get_object_or_404(proposal_list_for_officer(user=user), reference=reference)


def proposal_similar(
    *,
    title: str,
    kelurahan_id: int | None,
    cycle: Cycle | None,
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list[Proposal]:
    """Similar titles in the same kelurahan and cycle: trigram similarity on PostgreSQL,
    a word match elsewhere."""
    title = (title or "").strip()
    if len(title) < 4 or not kelurahan_id or cycle is None:
        return []
    qs = proposal_list_public().filter(kelurahan_id=kelurahan_id, cycle=cycle)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        qs = (
            qs.annotate(similarity=TrigramSimilarity("title", title))
            .filter(similarity__gte=0.2)
            .order_by("-similarity")
        )
    else:
        words = [w for w in title.split() if len(w) >= 4][:5]
        if not words:
            return []
        q = Q()
        for w in words:
            q |= Q(title__icontains=w)
        qs = qs.filter(q)
    return list(qs[:limit])


def proposal_list_accepted(*, plan_year: int | None = None, agency=None) -> QuerySet[Proposal]:
    """For e-Budgeting: proposals accepted into the RKPD and not yet funded.

    Each row has its kelurahan (and kecamatan), agency, program and estimated_cost.
    """
    qs = (
        Proposal.objects.filter(status=Status.ACCEPTED)
        .select_related("cycle", "kelurahan", "kelurahan__parent", "agency", "category")
        .order_by("cycle__plan_year", "agency__name", "reference")
    )
    if plan_year is not None:
        qs = qs.filter(cycle__plan_year=plan_year)
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs


def proposal_list_flagged(*, user) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(is_hidden=True)
        .select_related(*PUBLIC_RELATED)
        .prefetch_related("flags")
        .order_by("-pk")
    )


# --- follow the money ---------------------------------------------------------------------

KEL_DONE = (
    Status.RANKED_KELURAHAN,
    Status.FORWARDED_KECAMATAN,
    Status.RANKED_KECAMATAN,
    Status.FORWARDED_CITY,
    Status.ACCEPTED,
    Status.NOT_ACCEPTED,
    Status.FUNDED,
    Status.COMPLETED,
    Status.CARRIED_OVER,
)
KEC_DONE = KEL_DONE[2:]
CITY_DONE = (
    Status.ACCEPTED,
    Status.NOT_ACCEPTED,
    Status.FUNDED,
    Status.COMPLETED,
    Status.CARRIED_OVER,
)
PROMISED = (Status.ACCEPTED, Status.FUNDED, Status.COMPLETED, Status.CARRIED_OVER)
FUNDED = (Status.FUNDED, Status.COMPLETED)
MONEY = DecimalField(max_digits=20, decimal_places=2)


@dataclass(frozen=True)
class Stage:
    label: str
    state: str  # "done", "stopped", "current", "pending"
    outcome: str
    rank: int | None = None


@dataclass(frozen=True)
class MonthRow:
    month: int
    name: str
    amount: Decimal
    percent: Decimal | None
    cumulative: Decimal
    cumulative_percent: Decimal | None


@dataclass(frozen=True)
class Story:
    proposal: Proposal
    stages: tuple[Stage, ...]
    funding: Funding | None
    months: tuple[MonthRow, ...]
    realised: Decimal
    realised_percent: Decimal | None
    confirmed: int
    disputed: int
    earlier: Story | None = None


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _stages(p: Proposal) -> tuple[Stage, ...]:
    s = p.status
    stopped_early = s in (Status.REJECTED, Status.MERGED)
    if s in KEL_DONE:
        kel = Stage(_("Musrenbang kelurahan"), "done", _("Lolos forum kelurahan"), p.rank_kelurahan)
    elif stopped_early:
        kel = Stage(_("Musrenbang kelurahan"), "stopped", p.status_label)
    elif s == Status.DRAFT:
        kel = Stage(_("Musrenbang kelurahan"), "pending", _("Belum diajukan"))
    else:
        kel = Stage(_("Musrenbang kelurahan"), "current", p.status_label)
    if s in KEC_DONE:
        kec = Stage(_("Musrenbang kecamatan"), "done", _("Lolos forum kecamatan"), p.rank_kecamatan)
    elif s == Status.FORWARDED_KECAMATAN:
        kec = Stage(_("Musrenbang kecamatan"), "current", p.status_label)
    else:
        kec = Stage(_("Musrenbang kecamatan"), "pending", _("Belum sampai tahap ini"))
    if s == Status.NOT_ACCEPTED:
        city = Stage(_("Musrenbang kota / RKPD"), "stopped", p.status_label)
    elif s in CITY_DONE:
        city = Stage(_("Musrenbang kota / RKPD"), "done", _("Diterima dalam RKPD"))
    elif s == Status.FORWARDED_CITY:
        city = Stage(_("Musrenbang kota / RKPD"), "current", p.status_label)
    else:
        city = Stage(_("Musrenbang kota / RKPD"), "pending", _("Belum sampai tahap ini"))
    return (kel, kec, city)


def _story(p: Proposal, *, depth: int = 0) -> Story:
    funding = (
        Funding.objects.select_related("agency", "completion_photo")
        .prefetch_related("months")
        .filter(proposal=p)
        .first()
    )
    rows, total = [], Decimal(0)
    if funding is not None:
        budget = funding.amount
        for m in funding.months.all():
            total += m.amount
            rows.append(
                MonthRow(
                    month=m.month,
                    name=str(MONTHS[m.month]),
                    amount=m.amount,
                    percent=_pct(m.amount, budget),
                    cumulative=total,
                    cumulative_percent=_pct(total, budget),
                )
            )
    feedback = dict(
        CompletionFeedback.objects.filter(proposal=p)
        .values_list("confirmed")
        .annotate(n=Count("pk"))
        .values_list("confirmed", "n")
    )
    earlier = None
    if p.carried_from_id and depth < 3:
        earlier = _story(p.carried_from, depth=depth + 1)
    return Story(
        proposal=p,
        stages=_stages(p),
        funding=funding,
        months=tuple(rows),
        realised=total,
        realised_percent=_pct(total, funding.amount) if funding else None,
        confirmed=feedback.get(True, 0),
        disputed=feedback.get(False, 0),
        earlier=earlier,
    )


def proposal_story(*, proposal: Proposal) -> Story:
    """The whole story of a proposal for its page: the forums and their ranks, the
    activity that funds it, the money spent month by month, the completion; and the
    same for the earlier cycle it was carried over from."""
    return _story(proposal)


def proposal_feedback_of(*, proposal: Proposal, user) -> CompletionFeedback | None:
    if not user.is_authenticated:
        return None
    return CompletionFeedback.objects.filter(proposal=proposal, user=user).first()


def proposal_get_for_agency(*, user, reference: str) -> Proposal:
    """A funded proposal of the officer's own agency (to mark its work completed)."""
    unit_id = getattr(user, "unit_id", None)
    if not (user.is_authenticated and user.is_staff and unit_id):
        raise Http404
    return get_object_or_404(
        Proposal.objects.select_related("cycle", "agency"),
        reference=reference,
        agency_id=unit_id,
        is_hidden=False,
    )


# --- "Janji dan realisasi": the public page and its open data ----------------------------


def _realised_subquery():
    return Coalesce(
        Subquery(
            FundingMonth.objects.filter(funding__proposal=OuterRef("pk"))
            .values("funding")
            .annotate(s=Sum("amount"))
            .values("s")[:1],
            output_field=MONEY,
        ),
        Value(Decimal(0), output_field=MONEY),
    )


def promise_years() -> list[int]:
    return list(Cycle.objects.order_by("-plan_year").values_list("plan_year", flat=True))


def promise_proposals(*, year: int, region: Region | None = None) -> QuerySet[Proposal]:
    """Public proposals accepted into the RKPD of a plan year (in a kecamatan or kelurahan),
    each with `budgeted` and `realised` (zero when not funded): the rows behind every
    figure of the page and the open dataset."""
    qs = Proposal.objects.filter(_public_q(), cycle__plan_year=year, status__in=PROMISED)
    if region is not None:
        if region.level in Region.VILLAGE_LEVELS:
            qs = qs.filter(kelurahan=region)
        else:
            qs = qs.filter(kelurahan__parent=region)
    funded = Q(status__in=FUNDED)
    return (
        qs.select_related("kelurahan__parent", "agency", "funding", "funding__agency")
        .annotate(
            budgeted=Case(
                When(funded, then=F("funding__amount")),
                default=Value(Decimal(0)),
                output_field=MONEY,
            ),
            realised=Case(
                When(funded, then=_realised_subquery()),
                default=Value(Decimal(0)),
                output_field=MONEY,
            ),
        )
        .order_by("kelurahan__parent__name", "kelurahan__name", "reference")
    )


def promise_list(*, year: int, region: Region | None, figure: str) -> list[Proposal]:
    """The list behind one figure: accepted, funded or completed."""
    qs = promise_proposals(year=year, region=region)
    if figure == "funded":
        qs = qs.filter(status__in=FUNDED)
    elif figure == "completed":
        qs = qs.filter(status=Status.COMPLETED)
    return list(qs)


@dataclass(frozen=True)
class PromiseRow:
    region: Region | None
    accepted: int
    funded: int
    completed: int
    budgeted: Decimal
    realised: Decimal

    @property
    def funded_percent(self):
        return _pct(self.funded, self.accepted)

    @property
    def realised_percent(self):
        return _pct(self.realised, self.budgeted)


def promise_summary(*, year: int, kecamatan: Region | None = None) -> list[PromiseRow]:
    """Per kecamatan (city level) or per kelurahan of a kecamatan, in the database."""
    group = "kelurahan" if kecamatan is not None else "kelurahan__parent"
    qs = Proposal.objects.filter(_public_q(), cycle__plan_year=year, status__in=PROMISED)
    if kecamatan is not None:
        qs = qs.filter(kelurahan__parent=kecamatan)
        regions = list(Region.objects.filter(parent=kecamatan).order_by("name"))
    else:
        regions = list(kecamatan_list())
    funded = Q(status__in=FUNDED)
    realised = Subquery(
        FundingMonth.objects.filter(funding__proposal=OuterRef("pk"))
        .values("funding")
        .annotate(s=Sum("amount"))
        .values("s")[:1],
        output_field=MONEY,
    )
    per_proposal = qs.annotate(r=Coalesce(realised, Value(Decimal(0), output_field=MONEY)))
    agg = {
        row[group]: row
        for row in per_proposal.values(group).annotate(
            accepted=Count("pk"),
            funded=Count("pk", filter=funded),
            completed=Count("pk", filter=Q(status=Status.COMPLETED)),
            budgeted=Sum("funding__amount", filter=funded),
            realised=Sum("r", filter=funded),
        )
    }
    rows = []
    for region in regions:
        a = agg.get(region.pk, {})
        rows.append(
            PromiseRow(
                region=region,
                accepted=a.get("accepted", 0),
                funded=a.get("funded", 0),
                completed=a.get("completed", 0),
                budgeted=a.get("budgeted") or Decimal(0),
                realised=a.get("realised") or Decimal(0),
            )
        )
    return rows


def promise_total(rows: list[PromiseRow]) -> PromiseRow:
    return PromiseRow(
        region=None,
        accepted=sum(r.accepted for r in rows),
        funded=sum(r.funded for r in rows),
        completed=sum(r.completed for r in rows),
        budgeted=sum((r.budgeted for r in rows), Decimal(0)),
        realised=sum((r.realised for r in rows), Decimal(0)),
    )


def promise_region(*, code: str | None) -> Region | None:
    if not code:
        return None
    return Region.objects.filter(code=code, level__in=("kecamatan", *Region.VILLAGE_LEVELS)).first()
