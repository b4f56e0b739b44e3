"""Notify once: `once(key)` is how a reminder, an escalation or an alert is sent once.

Call it inside the transaction that writes the notifications, and send only when it
returns True. The key is claimed with INSERT ... ON CONFLICT DO NOTHING: a second run of
the job finds it and sends nothing; a concurrent worker waits for the first one's
transaction and then finds it too; if the first one rolls back, the key is free again.
Keys read `<app>.<what>:<id>[:<detail>]`, e.g. `masyarakat.overdue:42`.
"""

from __future__ import annotations

import hashlib

from django.db import connection
from django.utils import timezone

from .models import NotifiedOnce

MAX_LENGTH = NotifiedOnce._meta.get_field("key").max_length


def stored_key(key: str) -> str:
    """The key as the column holds it: itself when it fits, else its head and a digest of
    the whole, so two long keys that share their first characters stay two keys and
    once() and once_taken() read the same row."""
    if len(key) <= MAX_LENGTH:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"{key[: MAX_LENGTH - len(digest) - 1]}#{digest}"


def once(key: str) -> bool:
    """Claim `key`; True for the first caller only (per committed transaction)."""
    table = connection.ops.quote_name(NotifiedOnce._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, created_at) VALUES (%s, %s)"  # noqa: S608 (model table name)
            " ON CONFLICT (key) DO NOTHING RETURNING key",
            [stored_key(key), timezone.now()],
        )
        return cursor.fetchone() is not None


def once_taken(keys) -> set[str]:
    """Which of `keys` were claimed already (to skip work before claiming)."""
    by_stored = {stored_key(k): k for k in keys}
    taken = NotifiedOnce.objects.filter(key__in=list(by_stored)).values_list("key", flat=True)
    return {by_stored[k] for k in taken}
