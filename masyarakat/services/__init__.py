"""Writes of e-Masyarakat: every change of a complaint goes through here.

Split by subject: `report` (the ADU- number, the signed-in and the anonymous report),
`handling` (verification to closing and reopening, "me too", the messages), `sla`
(reminders and the escalation of overdue tickets), `api_keys` (Open311 keys); `common`
holds what they share. The public names are re-exported here: callers import
`masyarakat.services`."""

from .api_keys import api_key_digest, api_key_is_valid, api_key_issue
from .common import AUTO_CLOSE_DAYS, MAX_PHOTOS, REOPEN_DAYS
from .handling import (
    message_post,
    ticket_answer_info,
    ticket_ask_info,
    ticket_assign,
    ticket_auto_close,
    ticket_auto_close_due,
    ticket_close,
    ticket_me_too,
    ticket_merge,
    ticket_reject,
    ticket_reopen,
    ticket_resolve,
    ticket_start,
    ticket_verify,
)
from .report import (
    FOLLOW_SECRET_BYTES,
    follow_secret_new,
    follow_secret_normal,
    ticket_create,
    ticket_create_anonymous,
    ticket_number_next,
)
from .sla import OVERDUE, REMINDER, ticket_sla_check

__all__ = [
    "AUTO_CLOSE_DAYS",
    "FOLLOW_SECRET_BYTES",
    "MAX_PHOTOS",
    "OVERDUE",
    "REMINDER",
    "REOPEN_DAYS",
    "api_key_digest",
    "api_key_is_valid",
    "api_key_issue",
    "follow_secret_new",
    "follow_secret_normal",
    "message_post",
    "ticket_answer_info",
    "ticket_ask_info",
    "ticket_assign",
    "ticket_auto_close",
    "ticket_auto_close_due",
    "ticket_close",
    "ticket_create",
    "ticket_create_anonymous",
    "ticket_me_too",
    "ticket_merge",
    "ticket_number_next",
    "ticket_reject",
    "ticket_reopen",
    "ticket_resolve",
    "ticket_sla_check",
    "ticket_start",
    "ticket_verify",
]
