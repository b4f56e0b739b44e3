"""Notify once: `once(key)` is how a reminder, an escalation or an alert is sent once.

Call it inside the transaction that writes the notifications, and send only when it
returns True. The key is claimed with INSERT ... ON CONFLICT DO NOTHING: a second run of
the job finds it and sends nothing; a concurrent worker waits for the first one's
transaction and then finds it too; if the first one rolls back, the key is free again.
Keys read `<app>.<what>:<id>[:<detail>]`, e.g. `masyarakat.overdue:42`.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from .models import NotifiedOnce


def once(key: str) -> bool:
    """Claim `key`; True for the first caller only (per committed transaction)."""
    table = connection.ops.quote_name(NotifiedOnce._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, created_at) VALUES (%s, %s)"  # noqa: S608 (model table name)
            " ON CONFLICT (key) DO NOTHING RETURNING key",
            [key[:255], timezone.now()],
        )
        return cursor.fetchone() is not None


def once_taken(keys) -> set[str]:
    """Which of `keys` were claimed already (to skip work before claiming)."""
    return set(
        NotifiedOnce.objects.filter(key__in=[k[:200] for k in keys]).values_list("key", flat=True)
    )
