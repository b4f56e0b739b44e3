"""Reads of e-Musrenbang, scoped to who is asking, with their joins in place."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from binjai_portal.accounts.scoping import scope_filter, scope_queryset
from binjai_portal.core import pagecache
from binjai_portal.core.models import Region, Urusan
from binjai_portal.core.regions import kecamatan_list
from binjai_portal.core.workflow import timeline, timelines

from .models import Cycle, Forum, Proposal, Status, Support
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
# What a card (musrenbang/_card.html) and a map point show: three joins, not eight.
CARD_RELATED = ("kelurahan__parent", "category")
CARD_FIELDS = (
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


def proposal_list_public_cards() -> QuerySet[Proposal]:
    """proposal_list_public() with only the columns of a card (list and map pages)."""
    return (
        proposal_list_public().select_related(None).select_related(*CARD_RELATED).only(*CARD_FIELDS)
    )


def proposal_filter_choices() -> dict[str, list[tuple[int, str]]]:
    """The choices of the public filter form, cached until e-Musrenbang data changes
    (a new cycle) or ten minutes pass: four queries saved on every list page."""

    def build():
        return {
            "cycle": [(c.pk, str(c)) for c in Cycle.objects.order_by("-plan_year")],
            "kecamatan": [(r.pk, str(r)) for r in kecamatan_list()],
            "kelurahan": [
                (r.pk, str(r))
                for r in Region.objects.filter(level__in=Region.VILLAGE_LEVELS).order_by("name")
            ],
            "category": [(u.pk, str(u)) for u in Urusan.objects.filter(level="bidang")],
        }

    return pagecache.memo("musrenbang-filter-choices", ("musrenbang",), build, timeout=600)


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
