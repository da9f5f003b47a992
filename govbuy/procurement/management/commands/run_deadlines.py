"""Mail reminders of procurement time limits that end soon or have ended. Idempotent: each
(kind, object) is reminded once. Correctness never depends on it: every limit is checked when a
step is requested."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from govbuy.procurement.services.deadlines import send_deadline_reminders


class Command(BaseCommand):
    help = "Mail reminders of award, challenge and complaint time limits (safe to run any number of times)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_deadline_reminders()
        self.stdout.write(f"{sent} reminder(s) sent")
