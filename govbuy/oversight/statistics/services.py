"""Writes of the statistics: queue a rebuild of the pre-aggregated figures, and run it (the task).

A rebuild reads every lower app once (compute.py) and replaces all cells in one transaction, so a
reader sees the old figures or the new ones, never half of each. While one rebuild is queued or
running, asking again returns it instead of starting another."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core import pagecache
from govbuy.core.calendar.rules import local_date
from govbuy.core.errors import PermissionRefused
from govbuy.organizations.scope import SYSTEM_SCOPE, scope_for
from govbuy.oversight.models import Grain, Measure, StatisticsCell, StatisticsRefresh
from govbuy.oversight.statistics import compute, rules

# A queued or running rebuild without progress for this long is taken to be dead.
STALE_AFTER = timedelta(minutes=15)
BATCH = 2000


def _label(actor: Any) -> str:
    return str(getattr(actor, "username", "") or "system")[:200]


def request_refresh(*, actor: Any, queue: bool = True) -> StatisticsRefresh:
    """Queue a rebuild (the page's and the API's refresh). A finance bureau's staff may ask; the
    system (actor None: the nightly command, the demo) too. `queue=False` leaves running it to
    the caller."""
    scope = scope_for(actor) if actor is not None else SYSTEM_SCOPE
    if not rules.may_refresh(scope):
        raise PermissionRefused(_("Only a finance bureau's staff may refresh the statistics."))
    now = timezone.now()
    with transaction.atomic():
        for run in StatisticsRefresh.objects.select_for_update().filter(status__in=StatisticsRefresh.ACTIVE_STATUSES):
            if now - (run.heartbeat_at or run.created_at) < STALE_AFTER:
                return run
            run.status = StatisticsRefresh.Status.FAILED
            run.finished_at = now
            run.save(update_fields=["status", "finished_at"])
        run = StatisticsRefresh.objects.create(
            requested_by_id=getattr(actor, "pk", None),
            requested_by_label=_label(actor),
            created_at=now,
            steps_total=len(compute.steps(local_date(now))),
        )
        record_event(actor=actor, action="oversight.statistics.requested", obj=run, data={"refresh": run.pk})
        run_id = run.pk
        if queue:
            transaction.on_commit(lambda: refresh_statistics.enqueue(run_id))
    return run


def run_refresh(*, refresh_id: int, today: dt.date | None = None) -> StatisticsRefresh:
    """Compute every measure and replace the cells. Delivered twice, the second delivery finds
    the rebuild finished (or running and alive) and leaves it alone."""
    now = timezone.now()
    with transaction.atomic():
        run = StatisticsRefresh.objects.select_for_update().get(pk=refresh_id)
        alive = run.status == StatisticsRefresh.Status.RUNNING and now - (run.heartbeat_at or now) < STALE_AFTER
        if not run.is_active or alive:
            return run
        run.status = StatisticsRefresh.Status.RUNNING
        run.started_at = run.heartbeat_at = now
        run.save(update_fields=["status", "started_at", "heartbeat_at"])
    try:
        tally = compute.Tally()
        for done, step in enumerate(compute.steps(today or local_date(now)), start=1):
            step(tally)
            StatisticsRefresh.objects.filter(pk=refresh_id).update(steps_done=done, heartbeat_at=timezone.now())
    except Exception:
        StatisticsRefresh.objects.filter(pk=refresh_id).update(
            status=StatisticsRefresh.Status.FAILED, finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        run = StatisticsRefresh.objects.select_for_update().get(pk=refresh_id)
        written = _replace(tally)
        run.status = StatisticsRefresh.Status.DONE
        run.finished_at = run.heartbeat_at = timezone.now()
        run.cells = written
        run.save(update_fields=["status", "finished_at", "heartbeat_at", "cells"])
        record_event(actor=None, action="oversight.statistics.refreshed", obj=run, data={"cells": written})
        # The public statistics page and its API are cached by generation: move it.
        pagecache.bump()
    return run


def _replace(tally: compute.Tally) -> int:
    """Every cell replaced, inside the caller's transaction: the detail and its three roll-ups."""
    names = compute.categories(key[5] for key in tally.cells)
    merged: dict[tuple[Any, ...], list[Any]] = {}

    def add(grain: str, key: tuple[Any, ...], name: str, number: int, amount: Any) -> None:
        slot = merged.setdefault((grain, *key), [name, 0, 0])
        slot[1] += number
        slot[2] += amount

    for (measure, key, audience, year, region, item, method), (number, amount) in tally.cells.items():
        if measure == Measure.PROVIDERS_BY_KIND:
            code, name = "", ""
        else:
            code, name = (
                names.get(item, (rules.OUTSIDE_CATALOG, "")) if item is not None else (rules.OUTSIDE_CATALOG, "")
            )
        add(Grain.CELL, (measure, key, audience, year, region, code, method), name, number, amount)
        add(Grain.REGION, (measure, key, audience, year, region, "", ""), "", number, amount)
        add(Grain.CATEGORY, (measure, key, audience, year, region, code, ""), name, number, amount)
        add(Grain.METHOD, (measure, key, audience, year, region, "", method), "", number, amount)
    StatisticsCell.objects.all().delete()
    StatisticsCell.objects.bulk_create(
        (
            StatisticsCell(
                grain=grain,
                measure=measure,
                key=key,
                audience=audience,
                year=year,
                region_id=region,
                category=code,
                category_name=name,
                method=method,
                number=number,
                amount=amount,
            )
            for (grain, measure, key, audience, year, region, code, method), (name, number, amount) in merged.items()
        ),
        batch_size=BATCH,
    )
    return sum(1 for key in merged if key[0] == Grain.CELL)


# The task lives beside the service that queues it (no tasks module importing this one back).
@task()
def refresh_statistics(refresh_id: int) -> int:
    """The background task: a primary key in, the number of figures written out."""
    return run_refresh(refresh_id=refresh_id).cells


@task()
def refresh_statistics_nightly() -> int:
    """The nightly rebuild (through `run_schedule`): asks for a refresh as the system, which the
    worker then runs like one asked for on the page. A primary key out."""
    return request_refresh(actor=None).pk
