"""Pagination whose cost does not grow with the table.

Django's Paginator counts every matching row (COUNT(*) over a million complaints is
200 ms) and lets a visitor ask for page 50,000 (an OFFSET that reads every row before
it). CappedPaginator counts at most CAP + 1 rows, without ORDER BY, so PostgreSQL
stops at the CAP+1st row it finds, and pages end where the count stops: a list shows
"more than 1,000" and the visitor narrows the filters to go further.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

CAP = 1000


class CappedPaginator(Paginator):
    cap = CAP

    def __init__(self, object_list, per_page, *args, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if cap is not None:
            self.cap = cap

    @cached_property
    def _capped_count(self) -> tuple[int, bool]:
        qs = self.object_list
        if hasattr(qs, "order_by"):
            n = qs.order_by()[: self.cap + 1].count()
        else:
            n = len(qs[: self.cap + 1])
        return min(n, self.cap), n > self.cap

    @property
    def count(self) -> int:  # noqa: D102 (Paginator's, capped)
        return self._capped_count[0]

    @property
    def capped(self) -> bool:
        """True when there are more rows than `count` (show "more than {count}")."""
        return self._capped_count[1]
