"""Every write of e-Musrenbang; status changes go through the workflow engine.

Split by subject: `proposal` (the cycle, drafting, submitting, the officers' actions one by
one and in bulk, merging, acceptance, the carry-over), `forum` (ranking, the record and the
decision of the forums), `community` (support, flags and moderation, the completion
feedback), `funding` (the tie to e-Budgeting: funded, reported, defunded, realised,
completed); `common` holds what they share. The public names are re-exported here:
callers import `musrenbang.services`."""

from .common import (
    COMPLETION_PURPOSE,
    EDITABLE_FIELDS,
    FLAGS_TO_HIDE,
    MAX_PHOTOS,
    PHOTO_PURPOSE,
    SCOPE,
    WindowClosed,
)
from .community import (
    proposal_completion_feedback,
    proposal_flag,
    proposal_moderate,
    proposal_support,
    proposal_support_withdraw,
)
from .forum import (
    ensure_forum_scope,
    forum_decided,
    forum_finalise,
    forum_rank_move,
    forum_rank_set,
    forum_ranked,
    forum_record,
)
from .funding import (
    proposal_complete,
    proposal_defund,
    proposal_funding_report,
    proposal_mark_funded,
    proposal_realisation_report,
)
from .proposal import (
    BulkResult,
    cycle_create,
    proposal_accept,
    proposal_act,
    proposal_bulk_act,
    proposal_carry_over,
    proposal_create,
    proposal_merge,
    proposal_submit,
    proposal_update,
)

__all__ = [
    "BulkResult",
    "COMPLETION_PURPOSE",
    "EDITABLE_FIELDS",
    "FLAGS_TO_HIDE",
    "MAX_PHOTOS",
    "PHOTO_PURPOSE",
    "SCOPE",
    "WindowClosed",
    "cycle_create",
    "ensure_forum_scope",
    "forum_decided",
    "forum_finalise",
    "forum_rank_move",
    "forum_rank_set",
    "forum_ranked",
    "forum_record",
    "proposal_accept",
    "proposal_act",
    "proposal_bulk_act",
    "proposal_carry_over",
    "proposal_complete",
    "proposal_completion_feedback",
    "proposal_create",
    "proposal_defund",
    "proposal_flag",
    "proposal_funding_report",
    "proposal_mark_funded",
    "proposal_merge",
    "proposal_moderate",
    "proposal_realisation_report",
    "proposal_submit",
    "proposal_support",
    "proposal_support_withdraw",
    "proposal_update",
]
