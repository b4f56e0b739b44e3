"""What the writes of e-Musrenbang share: the limits and purposes of uploads, the
submission window, the proposal number, the workflow step (`_act`) and the notices to
the proposer and supporters (`_tell`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binjai_portal.core import formatting, sequences
from binjai_portal.core.notifications import Text, notify
from binjai_portal.core.sequences import sequence_next
from binjai_portal.core.uploads import CleanFile, upload_store
from binjai_portal.core.workflow import transition

from ..models import Cycle, Proposal, Support
from ..workflows import PROPOSAL

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
                "opens": formatting.date(cycle.kelurahan_opens),
                "closes": formatting.date(cycle.kelurahan_closes),
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


def _tell(proposal: Proposal, *, title: Text, body: Text | str, actor=None) -> None:
    """Notify the proposer and supporters; every message names the proposal. `title` and
    `body` are Texts (or what a person typed), rendered in each reader's language."""
    named = Text(
        gettext_lazy("Usulan %(ref)s “%(title)s”"), ref=proposal.reference, title=proposal.title
    )
    url = proposal.get_absolute_url()
    for user in _audience(proposal):
        if actor is not None and user.pk == getattr(actor, "pk", None):
            continue
        notify(
            recipient=user,
            title=Text("%(ref)s: %(title)s", ref=proposal.reference, title=title),
            body=Text("%(named)s. %(body)s", named=named, body=body),
            url=url,
        )
