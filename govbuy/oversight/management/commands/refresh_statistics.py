"""Rebuild the pre-aggregated statistics now (nightly from cron, or after a data load)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from govbuy.oversight.statistics import services


class Command(BaseCommand):
    help = "Rebuild the pre-aggregated statistics (oversight and public figures)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--queue", action="store_true", help="Only queue the rebuild for the task worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        run = services.request_refresh(actor=None, queue=options["queue"])
        if options["queue"]:
            self.stdout.write(f"statistics refresh {run.pk} queued")
            return
        run = services.run_refresh(refresh_id=run.pk)
        self.stdout.write(f"statistics refresh {run.pk}: {run.status}, {run.cells} figures")
