"""Queue Celery tasks from a web request without ever failing it.

Every `.delay()` / `.apply_async()` made while serving a request goes through here
(tests/core/test_broker.py checks the code for others). A broker that is down must not
turn a page into a 500, nor hold it up: kombu would retry the connection for seconds
per message, so connect once without retries and give up on the first error. What was
to be queued must be recoverable from the database (a pending row that a periodic task
picks up, as notifications do), which is why the caller learns whether it was queued.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

logger = logging.getLogger(__name__)


def enqueue_many(task, calls: Iterable[Sequence]) -> bool:
    """Queue `task` once per argument tuple in `calls`, over one broker connection.

    Returns False (and logs a warning) if the broker could not take them; the caller's
    rows stay as they are for the periodic task.
    """
    return enqueue_later(task, [(args, None) for args in calls])


def enqueue_later(task, calls: Iterable[tuple[Sequence, float | None]]) -> bool:
    """Like `enqueue_many`, each call with its own countdown in seconds (None: now)."""
    calls = [(tuple(args), countdown) for args, countdown in calls]
    if not calls:
        return True
    try:
        with task.app.producer_or_acquire() as producer:
            producer.connection.ensure_connection(max_retries=0)
            for args, countdown in calls:
                task.apply_async(args, producer=producer, retry=False, countdown=countdown)
    except Exception:  # noqa: BLE001 - broker down (or refusing): the page goes on
        logger.warning(
            "could not queue %s for %d call(s) (broker down?)", task.name, len(calls), exc_info=True
        )
        return False
    return True


def enqueue(task, *args) -> bool:
    """Queue one call of `task`; False if the broker could not take it."""
    return enqueue_many(task, [args])
