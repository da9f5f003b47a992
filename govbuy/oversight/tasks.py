"""Background work of oversight: thin wrappers that take primary keys only."""

from __future__ import annotations

from django.tasks import task

from govbuy.oversight.services import flagging, monitoring
from govbuy.procurement.models import Tender, TenderStatus


@task()
def compute_tender_flags(tender_id: int) -> int:
    return len(flagging.compute_flags(tender=tender_id))


@task()
def compute_all_flags() -> int:
    """Every tender past its draft (the nightly sweep; flags already raised are kept)."""
    total = 0
    for pk in Tender.objects.exclude(status=TenderStatus.DRAFT).values_list("pk", flat=True).iterator():
        total += len(flagging.compute_flags(tender=pk))
    return total


@task()
def remind_answers() -> int:
    """Mail the purchasers whose answers fall due (daily, through run_schedule)."""
    return monitoring.remind_answers_due()
