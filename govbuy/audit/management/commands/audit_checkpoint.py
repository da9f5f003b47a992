"""Sign a checkpoint of the audit chain's head. Run daily from the scheduler; the procurement
services also sign one at every bid opening and award."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govbuy.audit.services import create_checkpoint
from govbuy.core.errors import DomainError


class Command(BaseCommand):
    help = "Sign a checkpoint of the audit chain's head (position and hash)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reason", default="daily", help="Why the checkpoint is taken (default: daily).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoint = create_checkpoint(actor=None, reason=options["reason"])
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"Checkpoint {checkpoint.pk}: position {checkpoint.position}, head {checkpoint.head_hash}")
