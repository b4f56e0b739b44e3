"""What citizens do with a proposal: support and its withdrawal, flags and the
moderation they lead to, the feedback on a completed proposal."""

from __future__ import annotations

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binjai_portal.core.notifications import Text, notify

from ..models import CompletionFeedback, Flag, Proposal, Status, Support
from .common import FLAGS_TO_HIDE


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
            title=Text(
                gettext_lazy("Usulan %(ref)s disembunyikan sementara"), ref=proposal.reference
            ),
            body=Text(
                gettext_lazy(
                    "Beberapa pengguna melaporkan usulan Anda. Usulan disembunyikan dari "
                    "halaman publik sampai moderator memeriksanya."
                )
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
        title = gettext_lazy("Usulan %(ref)s ditampilkan kembali")
    else:
        title = gettext_lazy("Usulan %(ref)s tetap disembunyikan")
    notify(
        recipient=proposal.proposer,
        title=Text(title, ref=proposal.reference),
        body=Text.plain((note or "").strip()),
        url=proposal.get_absolute_url(),
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
