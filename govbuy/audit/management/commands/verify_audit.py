"""Verify the audit chain: prints OK with counts, or the first broken position and exits 1.

Run daily (after `audit_checkpoint`) and after every restore. By default the result is kept as a
verification run and an audit event, so the audit page and the home page show it; --read-only
only reads (for a restored copy whose row counts are being compared).
"""

from __future__ import annotations

import re
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govbuy.audit import services
from govbuy.audit.verify import PublishedCheckpoint, VerifyResult, verify_chain

HEX64 = re.compile(r"^[0-9a-f]{64}$")


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain against its signed checkpoints."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--read-only", action="store_true", help="Verify without recording the result.")
        parser.add_argument(
            "--position", type=int, help="Check against a published checkpoint at this position (with --hash)."
        )
        parser.add_argument("--hash", dest="head_hash", help="The published head hash at --position.")

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = None
        if options["position"] is not None or options["head_hash"]:
            head_hash = (options["head_hash"] or "").lower()
            if options["position"] is None or options["position"] < 0 or not HEX64.match(head_hash):
                raise CommandError("--position needs --hash (64 hex digits) and a position of 0 or more.")
            checkpoint = PublishedCheckpoint(position=options["position"], head_hash=head_hash)
        if options["read_only"]:
            result = verify_chain(checkpoint)
        else:
            run = services.start_verify_run(actor=None)
            run = services.execute_verify_run(run_id=run.pk, checkpoint=checkpoint)
            result = VerifyResult(
                ok=run.status == run.Status.INTACT,
                checked=run.checked,
                first_broken_position=run.first_broken_position,
                reason=run.reason,
                checkpoint_position=run.checkpoint_position,
            )
        if result.ok:
            checkpoint_note = (
                f", checkpoint at position {result.checkpoint_position} matches"
                if result.checkpoint_position is not None
                else ", no checkpoint yet"
            )
            self.stdout.write(f"OK: {result.checked} events verified{checkpoint_note}.")
            return
        self.stderr.write(
            f"BROKEN at position {result.first_broken_position} ({result.reason}): {result.message} "
            f"{result.checked} events verified before it."
        )
        sys.exit(1)
