"""When the flags are computed: after each stage a tender or its contract makes public (the
publication hook tells oversight, which it may not be imported by) the worker recomputes that
tender's flags once the stage has committed; the daily sweep (govbuy.core.schedule) catches what
time alone makes late (signing, publication, payment) and what is not published (acceptance)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction

from govbuy.core.publication import Announcement

TENDER, CONTRACT = "procurement.tender", "contracts.contract"
SWEEP_EVERY = dt.timedelta(hours=24)


def tender_of(announcement: Announcement) -> int | None:
    if announcement.obj_type == TENDER:
        return announcement.obj_id
    if announcement.obj_type == CONTRACT:
        from govbuy.contracts.models import Contract

        return Contract.objects.filter(pk=announcement.obj_id).values_list("award__tender_id", flat=True).first()
    return None


def recompute_after_stage(announcement: Announcement) -> None:
    """Queue the tender's flags after the commit; a failing queue must not fail the stage."""
    from govbuy.oversight.tasks import compute_tender_flags

    tender_id = tender_of(announcement)
    if tender_id is not None:
        transaction.on_commit(partial(compute_tender_flags.enqueue, tender_id), robust=True)
