"""Writes of e-Dokter: bookings, on-site registrations and the moves of the day's queue.

Split by subject: `booking` (a citizen's booking, the counter's registration, a
cancellation, the rating), `queue` (the console's steps), `day` (closures, quotas, the
counters and the end of the day), `tokens` (API tokens); `common` holds what they
share. The lock order of every change to a queue is in `booking`'s docstring.
The public names are re-exported here: callers import `dokter.services`."""

from ..rules import ensure_facility_staff
from ..selectors import (
    BOOKING_DAYS_AHEAD,
    booking_cutoff,
    display_cache_key,
    waiting_order,
)
from .booking import booking_cancel, booking_create, booking_rate, booking_register_onsite
from .common import CODE_ALPHABET, BookingRefused
from .day import (
    CLOSE_DAY_ACTIONS,
    FULL_FLAG_SECONDS,
    booking_send_reminders,
    closure_reason,
    queue_close_day,
    quota_taken,
    schedule_changed,
    session_marked_full,
)
from .queue import (
    NEAR_AHEAD,
    booking_check_in,
    booking_finish,
    booking_mark_absent,
    booking_recall,
    booking_requeue,
    booking_start_service,
    booking_transfer,
    booking_transfer_undo,
    queue_call_next,
)
from .tokens import TOKEN_PREFIX, api_token_digest, api_token_issue, api_token_revoke

__all__ = [
    "BOOKING_DAYS_AHEAD",
    "BookingRefused",
    "CLOSE_DAY_ACTIONS",
    "CODE_ALPHABET",
    "FULL_FLAG_SECONDS",
    "NEAR_AHEAD",
    "TOKEN_PREFIX",
    "api_token_digest",
    "api_token_issue",
    "api_token_revoke",
    "booking_cancel",
    "booking_check_in",
    "booking_create",
    "booking_cutoff",
    "booking_finish",
    "booking_mark_absent",
    "booking_rate",
    "booking_recall",
    "booking_register_onsite",
    "booking_requeue",
    "booking_send_reminders",
    "booking_start_service",
    "booking_transfer",
    "booking_transfer_undo",
    "closure_reason",
    "display_cache_key",
    "ensure_facility_staff",
    "queue_call_next",
    "queue_close_day",
    "quota_taken",
    "schedule_changed",
    "session_marked_full",
    "waiting_order",
]
