"""The tie to e-Budgeting, as e-Musrenbang's own copy (Funding, FundingMonth): funded,
reported, defunded, the monthly realisation and the completion."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binjai_portal.core import formatting
from binjai_portal.core.notifications import Rupiah, Text
from binjai_portal.core.uploads import CleanFile, upload_store

from ..models import Funding, FundingMonth, Proposal
from .common import COMPLETION_PURPOSE, _act, _tell


def _funding_text(funding: Funding) -> Text:
    return Text(
        gettext_lazy(
            "Sub kegiatan %(code)s %(name)s, %(agency)s, tahun anggaran %(year)s, "
            "anggaran %(amount)s (%(phase)s)."
        ),
        code=funding.sub_kegiatan_code,
        name=funding.sub_kegiatan_name,
        agency=funding.agency if funding.agency_id else "—",
        year=funding.fiscal_year,
        amount=Rupiah(funding.amount),
        phase=Funding.Phase(funding.phase).label,
    )


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
        title=Text(gettext_lazy("didanai APBD %(year)s"), year=funding.fiscal_year),
        body=Text(
            "%(funding)s %(follow)s",
            funding=_funding_text(funding),
            follow=gettext_lazy("Ikuti anggaran dan realisasinya di halaman usulan."),
        ),
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
            title=Text(gettext_lazy("anggaran ditetapkan")),
            body=Text(
                "%(set)s %(funding)s",
                set=gettext_lazy("APBD yang mendanainya telah ditetapkan."),
                funding=_funding_text(funding),
            ),
            actor=actor,
        )
    elif phase == Funding.Phase.REVISED:
        if old_amount != funding.amount:
            change = Text(
                gettext_lazy("Anggaran berubah dari %(old)s menjadi %(new)s."),
                old=Rupiah(old_amount),
                new=Rupiah(funding.amount),
            )
        else:
            change = Text(gettext_lazy("Anggaran tetap %(amount)s."), amount=Rupiah(funding.amount))
        reason = (reason or "").strip()
        if reason:
            change = Text("%(change)s %(reason)s", change=change, reason=reason)
        _tell(
            proposal,
            title=Text(gettext_lazy("anggaran diubah pada perubahan APBD")),
            body=Text("%(change)s %(funding)s", change=change, funding=_funding_text(funding)),
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
    _tell(
        proposal,
        title=Text(gettext_lazy("pendanaan dibatalkan")),
        body=Text(
            gettext_lazy("Pendanaan dibatalkan pada perubahan anggaran: %(reason)s"), reason=reason
        ),
        actor=actor,
    )
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
            title=Text(gettext_lazy("realisasi dimulai")),
            body=Text(
                gettext_lazy("Realisasi anggaran dimulai: %(amount)s pada bulan %(month)s."),
                amount=Rupiah(amount),
                month=month,
            ),
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
        title=Text(gettext_lazy("selesai dilaksanakan")),
        body=Text(
            "%(done)s%(respond)s",
            done=Text(
                gettext_lazy(
                    "Pekerjaan selesai pada %(date)s: %(note)s Apakah benar sudah dikerjakan? "
                ),
                date=completed_on,
                note=note,
            ),
            respond=gettext_lazy("Beri tanggapan di halaman usulan."),
        ),
        actor=actor,
    )
    return proposal
