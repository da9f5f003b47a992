"""Paging that stays fast when a list has hundreds of thousands of rows (docs/benchmarks.md).

`CappedPaginator` counts at most `cap + 1` rows (`SELECT COUNT(*) FROM (… LIMIT cap+1)`): an exact
count of a large result costs as much as reading it, and nobody pages past the thousandth result
of a search — they refine it. Past the cap the count says "more than N" (`count_capped`) and the
pages end at the cap.
"""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator

DEFAULT_CAP = 1000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int = DEFAULT_CAP, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _capped_count(self) -> int:
        # The order does not change a count: dropping it lets the database stop at cap + 1 rows
        # of any index instead of sorting first.
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self._capped_count, self.cap)

    @property
    def count_capped(self) -> bool:
        return self._capped_count > self.cap
