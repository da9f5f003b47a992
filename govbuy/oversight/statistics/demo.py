"""Demo figures: the statistics computed once from the demo's plans, tenders, contracts and
evaluations, through the refresh service (loading the demo again changes nothing)."""

from __future__ import annotations

from govbuy.oversight.models import StatisticsRefresh
from govbuy.oversight.statistics import services


def load() -> int:
    if StatisticsRefresh.objects.filter(status=StatisticsRefresh.Status.DONE).exists():
        return 0
    run = services.request_refresh(actor=None, queue=False)
    return services.run_refresh(refresh_id=run.pk).cells
