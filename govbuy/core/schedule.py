"""Periodic work: apps register a task (django.tasks) with its interval; `manage.py run_schedule`
(from cron or a systemd timer, or looping with `--every`) enqueues each one that is due, and the
task worker runs it. Due means: never enqueued, or last enqueued at least its interval ago, as the
task queue's own table records it (django-tasks-db) — no state of its own, so running the command
twice, or from two hosts a minute apart, enqueues the work once. See docs/deployment.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils import timezone


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Any  # a django.tasks Task without arguments
    every: dt.timedelta


_jobs: dict[str, Periodic] = {}


def register_periodic(name: str, task: Any, every: dt.timedelta) -> None:
    _jobs[name] = Periodic(name, task, every)


def jobs() -> list[Periodic]:
    return [_jobs[name] for name in sorted(_jobs)]


def is_due(last: dt.datetime | None, every: dt.timedelta, now: dt.datetime) -> bool:
    return last is None or now - last >= every


def last_enqueued(paths: Iterable[str]) -> dict[str, dt.datetime]:
    """When each task was last put on the queue (nothing known with a backend that keeps no table)."""
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(task_path__in=list(paths)).values("task_path").annotate(last=Max("enqueued_at"))
    return {row["task_path"]: row["last"] for row in rows}


def run_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every periodic task that is due; the names of those enqueued."""
    moment = now or timezone.now()
    registered = jobs()
    last = last_enqueued(job.task.module_path for job in registered)
    done = []
    for job in registered:
        if is_due(last.get(job.task.module_path), job.every, moment):
            job.task.enqueue()
            done.append(job.name)
    return done
