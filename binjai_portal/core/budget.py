"""Message budgets: how many SMS or e-mails one number, account or client may cause.

Fixed windows counted in the cache (Redis): the first message of a window creates the
counter with the window as its expiry (`add`, i.e. SET NX EX) and every message takes one
with an atomic INCR, so concurrent web processes and workers share one count without a
lock. The outbox asks here when it writes a delivery (binjai_portal.core.notifications),
so every path that sends SMS is covered in one place.

Fail closed: when the counters cannot be read, nothing is allowed. An SMS costs money
and reaches a stranger's phone; the in-app inbox keeps the message meanwhile.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass

from django.core.cache import cache

logger = logging.getLogger(__name__)


class BudgetUnavailable(Exception):
    """The counter store could not be reached."""


@dataclass(frozen=True)
class Budget:
    """`limit` messages per `window` seconds for one `scope` (e.g. "sms-number")."""

    scope: str
    limit: int
    window: int


def _key(budget: Budget, subject: str, now: float) -> str:
    # Hashed: phone numbers and e-mail addresses are personal data, not cache keys.
    digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:24]
    return f"budget:{budget.scope}:{digest}:{int(now // budget.window)}"


def budget_take(budget: Budget, subject: str) -> bool:
    """Take one unit of `subject`'s budget; False when it is spent.

    Raises BudgetUnavailable when the cache does not answer.
    """
    key = _key(budget, subject, time.time())
    try:
        cache.add(key, 0, timeout=budget.window + 60)
        used = cache.incr(key)
    except ValueError:  # the key expired between add and incr: a new window
        try:
            cache.add(key, 0, timeout=budget.window + 60)
            used = cache.incr(key)
        except Exception as exc:  # noqa: BLE001
            raise BudgetUnavailable(str(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - any cache failure means "unknown": refuse
        logger.warning("message budget store unavailable: %s", exc)
        raise BudgetUnavailable(str(exc)) from exc
    return used <= budget.limit
