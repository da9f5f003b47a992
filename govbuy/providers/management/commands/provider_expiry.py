"""Tell providers about dossier documents that expired or expire soon. Idempotent: each document
is reported once per kind. Whether a document counts is decided at read time, not here."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from govbuy.providers.services.expiry_notices import send_expiry_notices


class Command(BaseCommand):
    help = "Send expiry notices for provider dossier documents (safe to run any number of times)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_expiry_notices()
        self.stdout.write(f"{sent} notice(s) sent")
