"""Every write of e-Musrenbang. Status changes go through the workflow engine."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from binjai_portal.accounts import roles
from binjai_portal.accounts.scoping import scope_queryset
from binjai_portal.core import formatting, pagecache, sequences
from binjai_portal.core.notifications import notify
from binjai_portal.core.sequences import sequence_next
from binjai_portal.core.uploads import CleanFile, upload_store
from binjai_portal.core.workflow import (
    TransitionRefused,
    refused_message,
    transition,
    workflow_start,
)

from .models import (
    CompletionFeedback,
    Cycle,
    Flag,
    Forum,
    Funding,
    FundingMonth,
    Proposal,
    Status,
    Support,
)
from .workflows import BULK_ACTIONS, BULK_LIMIT, OFFICER_ACTIONS, PROPOSAL

MAX_PHOTOS = 5
FLAGS_TO_HIDE = 3
PHOTO_PURPOSE = "musrenbang.photo"
COMPLETION_PURPOSE = "musrenbang.completion"
EDITABLE_FIELDS = (
    "title",
    "problem",
    "activity",
    "category",
    "suggested_agency",
    "kelurahan",
    "rt",
    "rw",
    "address",
    "latitude",
    "longitude",
    "volume",
    "volume_unit",
    "estimated_cost",
    "beneficiaries",
    "show_proposer_name",
)
SCOPE = PROPOSAL.scope


class WindowClosed(ValidationError):
    pass


def _window_check(cycle: Cycle, today: datetime.date | None = None) -> None:
    if not cycle.kelurahan_window_open(today):
        raise WindowClosed(
            _(
                "Usulan hanya dapat diajukan selama musrenbang kelurahan %(year)s dibuka, "
                "yaitu %(opens)s sampai %(closes)s."
            )
            % {
                "year": cycle.plan_year,
                "opens": date_format(cycle.kelurahan_opens, "j F Y"),
                "closes": date_format(cycle.kelurahan_closes, "j F Y"),
            },
            code="window_closed",
        )


def _next_reference(cycle: Cycle) -> str:
    """The cycle's next reference, <plan year>-<5 digits> (core.sequences)."""
    number = sequence_next(key=sequences.PROPOSAL, year=cycle.plan_year)
    return f"{cycle.plan_year}-{number:05d}"


def _attach_photos(proposal: Proposal, photos: Sequence[CleanFile], owner) -> None:
    if not photos:
        return
    if proposal.photos.count() + len(photos) > MAX_PHOTOS:
        raise ValidationError(
            _("Paling banyak %(n)s foto per usulan.") % {"n": MAX_PHOTOS}, code="too_many_photos"
        )
    uploads = [upload_store(clean=p, purpose=PHOTO_PURPOSE, owner=owner) for p in photos]
    proposal.photos.add(*uploads)


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


def _act(
    proposal: Proposal, *, action: str, actor, note: str = "", extra_fields: Iterable[str] = ()
) -> Proposal:
    transition(
        proposal,
        workflow=PROPOSAL,
        action=action,
        actor=actor,
        note=note,
        extra_fields=extra_fields,
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
    from .selectors import proposal_list_for_officer

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


@transaction.atomic
def proposal_support(*, proposal: Proposal, user) -> bool:
    """Support a public proposal once. Returns False if already supporting."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.is_public or proposal.status in (Status.REJECTED, Status.MERGED):
        raise ValidationError(_("Usulan ini tidak dapat didukung."), code="not_supportable")
    if proposal.proposer_id == user.pk:
        raise ValidationError(_("Anda tidak dapat mendukung usulan sendiri."), code="own")
    support, created = Support.objects.get_or_create(proposal=proposal, user=user)
    if not created and support.withdrawn_at is None:
        return False
    if not created:
        support.withdrawn_at = None
        support.created_at = timezone.now()
        support.save(update_fields=["withdrawn_at", "created_at"])
    Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
    return True


@transaction.atomic
def proposal_support_withdraw(*, proposal: Proposal, user) -> bool:
    Proposal.objects.select_for_update().get(pk=proposal.pk)
    support = Support.objects.filter(
        proposal=proposal, user=user, withdrawn_at__isnull=True
    ).first()
    if support is None:
        return False
    support.withdrawn_at = timezone.now()
    support.save(update_fields=["withdrawn_at"])
    Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") - 1)
    return True


@transaction.atomic
def proposal_flag(*, proposal: Proposal, user, reason: str) -> bool:
    """Flag once; the third open flag hides the proposal and tells the proposer."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Tuliskan alasan laporan."), code="reason")
    proposal = Proposal.objects.select_for_update().select_related("proposer").get(pk=proposal.pk)
    if not proposal.is_public:
        raise Http404
    if Flag.objects.filter(proposal=proposal, user=user).exists():
        return False
    flag = Flag(proposal=proposal, user=user, reason=reason[:300])
    flag.full_clean()
    flag.save()
    proposal.flag_count += 1
    fields = ["flag_count"]
    if proposal.flag_count >= FLAGS_TO_HIDE and not proposal.is_hidden:
        proposal.is_hidden = True
        fields.append("is_hidden")
        notify(
            recipient=proposal.proposer,
            title=_("Usulan %(ref)s disembunyikan sementara") % {"ref": proposal.reference},
            body=_(
                "Beberapa pengguna melaporkan usulan Anda. Usulan disembunyikan dari "
                "halaman publik sampai moderator memeriksanya."
            ),
            url=proposal.get_absolute_url(),
        )
    proposal.save(update_fields=fields)
    return True


@transaction.atomic
def proposal_moderate(*, proposal: Proposal, moderator, restore: bool, note: str = "") -> Proposal:
    """A moderator restores a hidden proposal (flags resolved) or keeps it hidden."""
    if not rules.has_perm("musrenbang.moderate_proposal", moderator):
        raise Http404
    proposal = Proposal.objects.select_for_update().select_related("proposer").get(pk=proposal.pk)
    now = timezone.now()
    Flag.objects.filter(proposal=proposal, resolved_at__isnull=True).update(resolved_at=now)
    if restore:
        proposal.is_hidden = False
        proposal.flag_count = 0
        proposal.save(update_fields=["is_hidden", "flag_count"])
        title = _("Usulan %(ref)s ditampilkan kembali")
    else:
        title = _("Usulan %(ref)s tetap disembunyikan")
    notify(
        recipient=proposal.proposer,
        title=title % {"ref": proposal.reference},
        body=(note or "").strip(),
        url=proposal.get_absolute_url(),
    )
    return proposal


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


# --- follow the money: what e-Budgeting reports -----------------------------------------
#
# e-Budgeting calls these services when it funds a proposal, when the budget that funds
# it is approved or revised, when money is spent and when the agency finishes the work.
# e-Musrenbang keeps its own copy (Funding, FundingMonth) and never reads e-Budgeting.


def _audience(proposal: Proposal) -> list:
    """The proposer and everyone who still supports the proposal."""
    from binjai_portal.accounts.models import User

    ids = {proposal.proposer_id}
    ids.update(
        Support.objects.filter(proposal=proposal, withdrawn_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _tell(proposal: Proposal, *, title: str, body: str, actor=None) -> None:
    """Notify the proposer and supporters; every message names the proposal."""
    named = _("Usulan %(ref)s “%(title)s”") % {
        "ref": proposal.reference,
        "title": proposal.title,
    }
    url = proposal.get_absolute_url()
    for user in _audience(proposal):
        if actor is not None and user.pk == getattr(actor, "pk", None):
            continue
        notify(
            recipient=user,
            title=f"{proposal.reference}: {title}",
            body=f"{named}. {body}",
            url=url,
        )


def _funding_text(funding: Funding) -> str:
    return _(
        "Sub kegiatan %(code)s %(name)s, %(agency)s, tahun anggaran %(year)s, "
        "anggaran %(amount)s (%(phase)s)."
    ) % {
        "code": funding.sub_kegiatan_code,
        "name": funding.sub_kegiatan_name,
        "agency": funding.agency.name if funding.agency_id else "—",
        "year": funding.fiscal_year,
        "amount": formatting.rupiah(funding.amount),
        "phase": funding.get_phase_display(),
    }


def _active_funding(proposal_id: int) -> Funding:
    funding = (
        Funding.objects.select_for_update(of=("self",))
        .select_related("proposal", "agency")
        .filter(proposal_id=proposal_id)
        .first()
    )
    if funding is None or not funding.is_active:
        raise ValidationError(
            _("Usulan ini tidak sedang didanai oleh kegiatan anggaran."), code="not_funded"
        )
    return funding


@transaction.atomic
def proposal_mark_funded(
    *,
    proposal_id: int,
    actor,
    budget_reference: str,
    agency=None,
    sub_kegiatan_code: str = "",
    sub_kegiatan_name: str = "",
    fiscal_year: int | None = None,
    amount=None,
    phase: str = Funding.Phase.DRAFT,
) -> Proposal:
    """Called by e-Budgeting when an accepted proposal gets a budget activity.

    Moves accepted -> funded through the workflow (the budget reference is the history
    note), keeps what funds it, and tells the proposer and supporters. One activity per
    proposal: a second one is refused with the name of the first.
    """
    proposal = Proposal.objects.select_related("cycle").get(pk=proposal_id)
    current = Funding.objects.select_related("agency").filter(proposal=proposal).first()
    if current is not None and current.is_active:
        raise ValidationError(
            _(
                "Usulan %(ref)s sudah didanai oleh sub kegiatan %(code)s %(name)s "
                "(%(agency)s, tahun anggaran %(year)s). Satu usulan hanya dapat didanai "
                "oleh satu kegiatan."
            )
            % {
                "ref": proposal.reference,
                "code": current.sub_kegiatan_code,
                "name": current.sub_kegiatan_name,
                "agency": current.agency.name if current.agency_id else "—",
                "year": current.fiscal_year,
            },
            code="already_funded",
        )
    budget_reference = (budget_reference or "").strip()
    proposal.budget_reference = budget_reference[:100]
    _act(
        proposal,
        action="fund",
        actor=actor,
        note=budget_reference,
        extra_fields=["budget_reference"],
    )
    values = {
        "agency": agency or proposal.agency,
        "sub_kegiatan_code": (sub_kegiatan_code or "")[:40],
        "sub_kegiatan_name": (sub_kegiatan_name or budget_reference)[:255],
        "fiscal_year": fiscal_year or proposal.cycle.plan_year,
        "amount": amount if amount is not None else proposal.estimated_cost,
        "phase": phase,
        "cancelled_reason": "",
        "funded_at": timezone.now(),
    }
    if current is None:
        funding = Funding(proposal=proposal, **values)
    else:  # funded again after an earlier funding was cancelled
        funding = current
        for key, value in values.items():
            setattr(funding, key, value)
        funding.months.all().delete()
    funding.full_clean()
    funding.save()
    _tell(
        proposal,
        title=_("didanai APBD %(year)s") % {"year": funding.fiscal_year},
        body=_funding_text(funding) + " " + _("Ikuti anggaran dan realisasinya di halaman usulan."),
        actor=actor,
    )
    return proposal


@transaction.atomic
def proposal_funding_report(
    *, proposal_id: int, actor, amount, phase: str, reason: str = ""
) -> Funding:
    """The budget that funds the proposal was approved or revised (amount, phase)."""
    if phase not in (Funding.Phase.DRAFT, Funding.Phase.APPROVED, Funding.Phase.REVISED):
        raise ValidationError(_("Tahap anggaran tidak dikenal."), code="phase")
    funding = _active_funding(proposal_id)
    old_amount, old_phase = funding.amount, funding.phase
    funding.amount, funding.phase = amount, phase
    funding.full_clean()
    funding.save(update_fields=["amount", "phase", "updated_at"])
    proposal = funding.proposal
    if phase == Funding.Phase.APPROVED and old_phase != phase:
        _tell(
            proposal,
            title=_("anggaran ditetapkan"),
            body=_("APBD yang mendanainya telah ditetapkan.") + " " + _funding_text(funding),
            actor=actor,
        )
    elif phase == Funding.Phase.REVISED:
        if old_amount != funding.amount:
            change = _("Anggaran berubah dari %(old)s menjadi %(new)s.") % {
                "old": formatting.rupiah(old_amount),
                "new": formatting.rupiah(funding.amount),
            }
        else:
            change = _("Anggaran tetap %(amount)s.") % {"amount": formatting.rupiah(funding.amount)}
        reason = (reason or "").strip()
        _tell(
            proposal,
            title=_("anggaran diubah pada perubahan APBD"),
            body=f"{change} {reason}".strip() + " " + _funding_text(funding),
            actor=actor,
        )
    return funding


@transaction.atomic
def proposal_defund(*, proposal_id: int, actor, reason: str) -> Proposal:
    """A budget revision removed the line that funded the proposal: it goes back to
    "accepted", visibly, with the reason on its page and in its history."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Alasan pembatalan pendanaan wajib diisi."), code="reason")
    funding = _active_funding(proposal_id)
    proposal = funding.proposal
    note = _("Pendanaan dibatalkan pada perubahan anggaran: %(reason)s") % {"reason": reason}
    proposal.decision_note = note
    proposal.budget_reference = ""
    _act(
        proposal,
        action="defund",
        actor=actor,
        note=note,
        extra_fields=["decision_note", "budget_reference"],
    )
    funding.phase, funding.cancelled_reason = Funding.Phase.CANCELLED, reason
    funding.save(update_fields=["phase", "cancelled_reason", "updated_at"])
    _tell(proposal, title=_("pendanaan dibatalkan"), body=note, actor=actor)
    return proposal


@transaction.atomic
def proposal_realisation_report(*, proposal_id: int, month: int, amount, actor=None) -> Funding:
    """The activity that funds the proposal spent `amount` in `month` (replaces the
    month). The first spending tells the proposer and supporters that work started."""
    funding = _active_funding(proposal_id)
    if not 1 <= int(month) <= 12:
        raise ValidationError(_("Bulan harus 1 sampai 12."), code="month")
    others = sum(m.amount for m in funding.months.exclude(month=month))
    if amount < 0 or others + amount > funding.amount:
        raise ValidationError(
            _("Realisasi kumulatif %(sum)s melebihi anggaran %(planned)s.")
            % {
                "sum": formatting.rupiah(others + amount),
                "planned": formatting.rupiah(funding.amount),
            },
            code="over_budget",
        )
    started = not funding.months.filter(amount__gt=0).exists()
    FundingMonth.objects.update_or_create(
        funding=funding, month=month, defaults={"amount": amount, "reported_at": timezone.now()}
    )
    if started and amount > 0:
        _tell(
            funding.proposal,
            title=_("realisasi dimulai"),
            body=_("Realisasi anggaran dimulai: %(amount)s pada bulan %(month)s.")
            % {"amount": formatting.rupiah(amount), "month": month},
            actor=actor,
        )
    return funding


@transaction.atomic
def proposal_complete(
    *,
    proposal_id: int,
    actor,
    photo: CleanFile | None,
    note: str,
    completed_on: datetime.date | None = None,
) -> Proposal:
    """The agency that carries out the work marks it completed, with a photo and a note."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Catatan penyelesaian wajib diisi."), code="note")
    if photo is None:
        raise ValidationError(_("Lampirkan foto hasil pekerjaan."), code="photo")
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise ValidationError(_("Tanggal selesai tidak boleh di masa depan."), code="completed_on")
    funding = _active_funding(proposal_id)
    proposal = funding.proposal
    _act(proposal, action="complete", actor=actor, note=note)
    funding.completion_photo = upload_store(clean=photo, purpose=COMPLETION_PURPOSE, owner=actor)
    funding.completed_on, funding.completion_note, funding.completed_by = (
        completed_on,
        note,
        actor,
    )
    funding.save(
        update_fields=[
            "completion_photo",
            "completed_on",
            "completion_note",
            "completed_by",
            "updated_at",
        ]
    )
    _tell(
        proposal,
        title=_("selesai dilaksanakan"),
        body=_("Pekerjaan selesai pada %(date)s: %(note)s Apakah benar sudah dikerjakan? ")
        % {"date": formatting.date(completed_on), "note": note}
        + _("Beri tanggapan di halaman usulan."),
        actor=actor,
    )
    return proposal


@transaction.atomic
def proposal_completion_feedback(*, proposal: Proposal, user, confirmed: bool):
    """A citizen says whether the completed work was really done (once; may change)."""
    if not (user and user.is_authenticated) or user.is_staff:
        raise ValidationError(
            _("Hanya warga yang dapat memberi tanggapan atas pekerjaan ini."), code="not_citizen"
        )
    if proposal.status != Status.COMPLETED or not proposal.is_public:
        raise ValidationError(
            _("Tanggapan hanya untuk usulan yang sudah selesai dilaksanakan."),
            code="not_completed",
        )
    row, _created = CompletionFeedback.objects.update_or_create(
        proposal=proposal, user=user, defaults={"confirmed": bool(confirmed)}
    )
    return row
