"""The musrenbang forums (kelurahan, kecamatan, kota): the ranking of the
proposals, the forum's record and its final decision."""

from __future__ import annotations

from collections.abc import Sequence

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext as _

from binjai_portal.accounts.scoping import scope_queryset
from binjai_portal.core import pagecache
from binjai_portal.core.workflow import transition

from ..models import Cycle, Forum, Proposal, Status
from ..workflows import PROPOSAL


@transaction.atomic
def forum_rank_set(*, actor, level: str, region, cycle: Cycle, ordered_ids: Sequence[int]) -> None:
    """Set the forum's ranking order (1, 2, 3 ...) of the proposals at that stage."""
    field, status, region_filter = _forum_stage(level, region)
    qs = ensure_forum_scope(actor, level, region).filter(
        cycle=cycle, status=status, **region_filter
    )
    proposals = {p.pk: p for p in qs.select_for_update().order_by("pk")}
    ids = [int(i) for i in ordered_ids]
    if set(ids) != set(proposals) or len(ids) != len(set(ids)):
        raise ValidationError(
            _(
                "Daftar peringkat tidak sesuai dengan usulan di forum ini. "
                "Muat ulang halaman lalu coba lagi."
            ),
            code="rank_mismatch",
        )
    for position, pk in enumerate(ids, start=1):
        setattr(proposals[pk], field, position)
    Proposal.objects.bulk_update(proposals.values(), [field])
    pagecache.invalidate("musrenbang")  # bulk_update sends no signal


@transaction.atomic
def forum_rank_move(
    *, actor, level: str, region, cycle: Cycle, proposal_id: int, direction: str
) -> None:
    """Move one row up or down in the forum's order."""
    ordered = [p.pk for p in forum_ranked(actor=actor, level=level, region=region, cycle=cycle)]
    if proposal_id not in ordered or direction not in ("up", "down"):
        raise ValidationError(_("Usulan tidak ada di forum ini."), code="not_in_forum")
    i = ordered.index(proposal_id)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(ordered):
        ordered[i], ordered[j] = ordered[j], ordered[i]
    forum_rank_set(actor=actor, level=level, region=region, cycle=cycle, ordered_ids=ordered)


def forum_ranked(*, actor, level: str, region, cycle: Cycle):
    field, status, region_filter = _forum_stage(level, region)
    return (
        ensure_forum_scope(actor, level, region)
        .filter(cycle=cycle, status=status, **region_filter)
        .order_by(F(field).asc(nulls_last=True), "-support_count", "pk")
    )


def forum_decided(*, actor, level: str, region, cycle: Cycle):
    """The ranking the forum decided (finalised), in its order. It stays visible after the
    proposals moved on from the forum's stage; rows still being ranked are not in it."""
    field, stage_status, region_filter = _forum_stage(level, region)
    return (
        ensure_forum_scope(actor, level, region)
        .filter(cycle=cycle, **{f"{field}__isnull": False}, **region_filter)
        .exclude(status=stage_status)
        .order_by(field, "pk")
    )


def _forum_stage(level: str, region):
    if level == Forum.Level.KELURAHAN:
        return "rank_kelurahan", Status.VERIFIED, {"kelurahan": region}
    if level == Forum.Level.KECAMATAN:
        return "rank_kecamatan", Status.FORWARDED_KECAMATAN, {"kelurahan__parent": region}
    raise Http404


def ensure_forum_scope(actor, level: str, region):
    """Proposals the actor may rank at this forum; 404 when the forum is not theirs."""
    if not rules.has_perm("musrenbang.hold_forum", actor, Forum(level=level, region=region)):
        raise Http404
    return scope_queryset(Proposal.objects.all(), actor, region_field="kelurahan")


@transaction.atomic
def forum_record(*, actor, level: str, region, cycle: Cycle, data: dict) -> Forum:
    """Record (or update) the forum's date, place, participants and notes."""
    ensure_forum_scope(actor, level, region)
    forum, _created = Forum.objects.select_for_update().get_or_create(
        cycle=cycle, level=level, region=region
    )
    for key in ("held_on", "place", "participant_count", "participants", "notes", "chair_name"):
        if key in data:
            setattr(forum, key, data[key])
    forum.recorded_by = actor
    forum.full_clean()
    forum.save()
    return forum


@transaction.atomic
def forum_finalise(*, actor, level: str, region, cycle: Cycle) -> int:
    """Close the ranking: every proposal at the forum moves to "ranked" in its order."""
    ranked = list(forum_ranked(actor=actor, level=level, region=region, cycle=cycle))
    if not ranked:
        raise ValidationError(_("Tidak ada usulan untuk diperingkat."), code="empty")
    field = "rank_kelurahan" if level == Forum.Level.KELURAHAN else "rank_kecamatan"
    action = "rank_kelurahan" if level == Forum.Level.KELURAHAN else "rank_kecamatan"
    for position, proposal in enumerate(ranked, start=1):
        setattr(proposal, field, position)
        transition(
            proposal,
            workflow=PROPOSAL,
            action=action,
            actor=actor,
            note=_("Peringkat %(n)s") % {"n": position},
            extra_fields=[field],
        )
    return len(ranked)
