"""When flags are computed (issue 15): the worker recomputes a tender's flags after each public
stage of the tender or its contract, once the stage has committed; `run_schedule` enqueues the
daily sweep when it is due, once however often it runs."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from govbuy.contracts.models import Contract
from govbuy.core import schedule
from govbuy.oversight.models import Flag, FlagRule
from govbuy.procurement.services import tenders
from tests.builders.procurement import draft_tender

pytestmark = pytest.mark.django_db


def test_publishing_a_tender_queues_its_flags_after_the_commit(world, approved, django_capture_on_commit_callbacks):
    FlagRule.objects.filter(code="short_period").update(threshold=60)  # every notice is "short"
    draft = draft_tender(world, approved)
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        tender = tenders.publish_tender(actor=world.purchaser_a, tender=draft, version=draft.version)
    assert not Flag.objects.exists()  # nothing before the commit
    for callback in waiting:
        callback()
    assert list(Flag.objects.values_list("tender_id", "rule__code")) == [(tender.pk, "short_period")]


def test_a_contract_stage_queues_its_tenders_flags(world, signed, django_capture_on_commit_callbacks):
    from tests.builders.contracts import publish

    Contract.objects.filter(pk=signed.pk).update(signed_at=timezone.now() - dt.timedelta(days=10))
    signed.refresh_from_db()
    Flag.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        publish(world, signed)
    assert Flag.objects.filter(rule__code="late_publication", tender_id=signed.award.tender_id).exists()


def test_is_due():
    now = timezone.now()
    day = dt.timedelta(hours=24)
    assert schedule.is_due(None, day, now)
    assert not schedule.is_due(now - dt.timedelta(hours=23), day, now)
    assert schedule.is_due(now - day, day, now)


def test_the_daily_sweep_is_registered_and_run_by_run_schedule(world, live):
    assert "oversight.compute_all_flags" in [job.name for job in schedule.jobs()]
    Contract.objects.filter(pk=live.pk).update(award_notice_at=live.signed_at - dt.timedelta(days=60))
    Flag.objects.all().delete()
    out = StringIO()
    call_command("run_schedule", stdout=out)
    assert "oversight.compute_all_flags" in out.getvalue()
    assert Flag.objects.filter(rule__code="late_signing", tender_id=live.award.tender_id).exists()


def test_run_schedule_enqueues_a_job_once_per_interval(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert "oversight.compute_all_flags" in schedule.run_due()
    assert "oversight.compute_all_flags" not in schedule.run_due()  # enqueued a moment ago
    later = timezone.now() + dt.timedelta(hours=24)
    assert "oversight.compute_all_flags" in schedule.run_due(now=later)
    assert DBTaskResult.objects.filter(task_path__endswith="compute_all_flags").count() == 2


def test_the_statistics_are_rebuilt_nightly_through_the_schedule(db):
    """The statistics' pre-aggregated figures are refreshed every night by the worker: the
    schedule asks for a refresh as the system, like the page's refresh button does."""
    from govbuy.oversight.models import StatisticsRefresh

    assert "oversight.refresh_statistics" in [job.name for job in schedule.jobs()]
    out = StringIO()
    call_command("run_schedule", stdout=out)
    assert "oversight.refresh_statistics" in out.getvalue()
    [refresh] = StatisticsRefresh.objects.all()
    assert refresh.requested_by_id is None
