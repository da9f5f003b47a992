"""Enqueue the periodic tasks that are due (govbuy.core.schedule). Run it from cron or a systemd
timer every few minutes, or keep it running with `--every SECONDS`; the task worker does the work."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govbuy.core import schedule


class Command(BaseCommand):
    help = "Enqueue the periodic tasks that are due (safe to run any number of times)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="Repeat every SECONDS (0: run once).")

    def handle(self, *args: Any, **options: Any) -> None:
        every = int(options["every"])
        while True:
            names = schedule.run_due()
            self.stdout.write(f"{len(names)} periodic task(s) enqueued{': ' + ', '.join(names) if names else ''}")
            if every <= 0:
                return
            time.sleep(every)
