"""A proposal's life at the officers: the cycle, drafting and submitting, the
workflow actions one by one and in bulk, merging, acceptance and the carry-over to the
next cycle."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from binjai_portal.accounts import roles
from binjai_portal.core.uploads import CleanFile
from binjai_portal.core.workflow import (
    TransitionRefused,
    refused_message,
    transition,
    workflow_start,
)

from ..models import Cycle, Proposal, Status, Support
from ..workflows import BULK_ACTIONS, BULK_LIMIT, OFFICER_ACTIONS, PROPOSAL
from .common import EDITABLE_FIELDS, _act, _attach_photos, _next_reference, _window_check


@transaction.atomic
def cycle_create(
    *,
    plan_year: int,
    name: str = "",
    kelurahan_opens: datetime.date,
    kelurahan_closes: datetime.date,
    kecamatan_opens: datetime.date,
    kecamatan_closes: datetime.date,
    city_opens: datetime.date,
    city_closes: datetime.date,
    is_demo: bool = False,
) -> Cycle:
    cycle = Cycle(
        plan_year=plan_year,
        name=name or f"Musrenbang RKPD {plan_year}",
        kelurahan_opens=kelurahan_opens,
        kelurahan_closes=kelurahan_closes,
        kecamatan_opens=kecamatan_opens,
        kecamatan_closes=kecamatan_closes,
        city_opens=city_opens,
        city_closes=city_closes,
        is_demo=is_demo,
    )
    cycle.full_clean()
    cycle.save()
    return cycle


@transaction.atomic
def proposal_create(
    *,
    proposer,
    cycle: Cycle,
    data: dict,
    photos: Sequence[CleanFile] = (),
    today: datetime.date | None = None,
    is_demo: bool = False,
) -> Proposal:
    """A citizen's new draft. Only while the kelurahan window of the cycle is open."""
    if not is_demo:
        _window_check(cycle, today)
    proposal = Proposal(
        cycle=cycle,
        proposer=proposer,
        is_demo=is_demo,
        **{k: v for k, v in data.items() if k in EDITABLE_FIELDS},
    )
    proposal.reference = "0000-00000"  # placeholder for validation only
    proposal.full_clean(exclude=["reference"])
    proposal.reference = _next_reference(cycle)
    proposal.save()
    _attach_photos(proposal, photos, proposer)
    workflow_start(proposal, workflow=PROPOSAL, state=Status.DRAFT, actor=proposer)
    return proposal


@transaction.atomic
def proposal_update(
    *, proposal: Proposal, actor, data: dict, photos: Sequence[CleanFile] = ()
) -> Proposal:
    """The proposer edits a draft or a proposal returned for revision."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.proposer_id != actor.pk:
        raise Http404
    if not proposal.is_editable:
        raise ValidationError(
            _("Usulan yang sudah diajukan tidak dapat diubah lagi."), code="not_editable"
        )
    changed = []
    for key, value in data.items():
        if key in EDITABLE_FIELDS:
            setattr(proposal, key, value)
            changed.append(key)
    proposal.full_clean()
    proposal.save(update_fields=[*changed, "updated_at"])
    _attach_photos(proposal, photos, actor)
    return proposal


@transaction.atomic
def proposal_submit(*, proposal: Proposal, actor, today: datetime.date | None = None) -> Proposal:
    """Submit a draft, or resubmit a returned one, while the kelurahan window is open."""
    _window_check(proposal.cycle, today)
    action = "resubmit" if proposal.status == Status.RETURNED else "submit"
    if proposal.submitted_at is None:
        proposal.submitted_at = timezone.now()
    transition(
        proposal, workflow=PROPOSAL, action=action, actor=actor, extra_fields=["submitted_at"]
    )
    return proposal


@transaction.atomic
def proposal_act(*, proposal: Proposal, actor, action: str, note: str = "") -> Proposal:
    """An officer's plain step (verify, return, reject, forward, not accept, complete)."""
    if action not in OFFICER_ACTIONS or action == "merge":
        raise TransitionRefused(_("Tindakan ini tidak tersedia di sini."), code="undeclared")
    extra = []
    if action in ("return", "reject", "not_accept"):
        proposal.decision_note = (note or "").strip()
        extra.append("decision_note")
    return _act(proposal, action=action, actor=actor, note=note, extra_fields=extra)


@dataclass(frozen=True)
class BulkResult:
    """What a bulk step did: the references moved, and each refused one with its reason."""

    action: str
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def proposal_bulk_act(
    *, actor, action: str, references: Sequence[str], note: str = ""
) -> BulkResult:
    """Verify or forward several proposals at once: each one goes through the workflow on
    its own (its own row lock, checks, history row and notification), so one refusal
    (already moved by a colleague, outside the officer's area) neither stops nor undoes
    the others."""
    from ..selectors import proposal_list_for_officer

    if action not in BULK_ACTIONS:
        raise ValidationError(_("Tindakan ini tidak dapat dilakukan sekaligus."), code="bulk")
    wanted = list(dict.fromkeys(r.strip() for r in references if r and r.strip()))
    if not wanted:
        raise ValidationError(_("Pilih paling sedikit satu usulan."), code="bulk_empty")
    if len(wanted) > BULK_LIMIT:
        raise ValidationError(
            _("Paling banyak %(n)s usulan sekaligus.") % {"n": BULK_LIMIT}, code="bulk_limit"
        )
    found = {
        p.reference: p for p in proposal_list_for_officer(user=actor).filter(reference__in=wanted)
    }
    result = BulkResult(action=action)
    for reference in wanted:
        proposal = found.get(reference)
        if proposal is None:
            result.refused.append((reference, _("Tidak ditemukan di wilayah Anda.")))
            continue
        try:
            with transaction.atomic():
                proposal_act(proposal=proposal, actor=actor, action=action, note=note)
        except ValidationError as exc:  # TransitionRefused too
            result.refused.append((reference, refused_message(exc)))
        else:
            result.done.append(reference)
    return result


@transaction.atomic
def proposal_merge(*, proposal: Proposal, into: Proposal, actor, note: str = "") -> Proposal:
    """Merge a duplicate into another proposal of the same kelurahan and cycle."""
    if (
        into.pk == proposal.pk
        or into.cycle_id != proposal.cycle_id
        or into.kelurahan_id != proposal.kelurahan_id
        or into.status in (Status.DRAFT, Status.MERGED, Status.REJECTED)
    ):
        raise ValidationError(
            _("Usulan tujuan harus usulan lain yang aktif di kelurahan dan siklus yang sama."),
            code="bad_merge_target",
        )
    note = (note or "").strip() or _("Duplikat dari %(ref)s") % {"ref": into.reference}
    proposal.duplicate_of = into
    proposal.decision_note = note
    return _act(
        proposal,
        action="merge",
        actor=actor,
        note=note,
        extra_fields=["duplicate_of", "decision_note"],
    )


@transaction.atomic
def proposal_accept(*, proposal: Proposal, actor, agency, program: str, note: str = "") -> Proposal:
    """Bappeda adopts a proposal into the RKPD under a responsible agency and program."""
    if agency is None or agency.kind != roles.OPD:
        raise ValidationError(_("Pilih perangkat daerah pelaksana."), code="agency")
    if not (program or "").strip():
        raise ValidationError(_("Program RKPD wajib diisi."), code="program")
    proposal.agency, proposal.program = agency, program.strip()
    return _act(
        proposal, action="accept", actor=actor, note=note, extra_fields=["agency", "program"]
    )


@transaction.atomic
def proposal_carry_over(
    *, proposal: Proposal, actor, cycle: Cycle | None = None, today: datetime.date | None = None
) -> Proposal:
    """Carry an accepted-but-unfunded proposal into the next cycle as a new draft.

    The new proposal keeps the earlier one's content and photos, links to it, and its
    active supports (with their original dates) so nobody re-types last year's work.
    """
    if cycle is None:
        cycle = Cycle.objects.filter(plan_year=proposal.cycle.plan_year + 1).first()
    if cycle is None or cycle.plan_year <= proposal.cycle.plan_year:
        raise ValidationError(_("Siklus musrenbang berikutnya belum dibuka."), code="no_next_cycle")
    transition(
        proposal,
        workflow=PROPOSAL,
        action="carry_over",
        actor=actor,
        note=_("Dibawa ke siklus %(year)s") % {"year": cycle.plan_year},
    )
    new = Proposal(
        cycle=cycle,
        proposer=proposal.proposer,
        carried_from=proposal,
        is_demo=proposal.is_demo,
        **{k: getattr(proposal, k) for k in EDITABLE_FIELDS},
    )
    new.reference = _next_reference(cycle)
    new.full_clean()
    new.save()
    new.photos.set(proposal.photos.all())
    supports = [
        Support(proposal=new, user_id=s.user_id, created_at=s.created_at, carried=True)
        for s in proposal.supports.filter(withdrawn_at__isnull=True)
    ]
    Support.objects.bulk_create(supports)
    new.support_count = len(supports)
    new.save(update_fields=["support_count"])
    workflow_start(
        new,
        workflow=PROPOSAL,
        state=Status.DRAFT,
        actor=actor,
        note=_("Lanjutan dari %(ref)s") % {"ref": proposal.reference},
    )
    return new
