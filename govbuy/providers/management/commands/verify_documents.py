"""Re-hash every stored dossier document against the sha256 recorded at upload (reliability R7).
Exits with status 1 when any file is missing or corrupt, naming each."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from govbuy.core.storage import check_stored
from govbuy.providers.models import DossierDocument


class Command(BaseCommand):
    help = "Check that every stored provider document still matches its recorded sha256."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = 0
        checked = 0
        for pk, path, sha256 in DossierDocument.objects.order_by("pk").values_list("pk", "path", "sha256").iterator():
            checked += 1
            result = check_stored(path, sha256)
            if result is not None:
                problems += 1
                self.stderr.write(f"document {pk} {path}: {result}")
        self.stdout.write(f"{checked} document(s) checked, {problems} problem(s)")
        if problems:
            raise CommandError(f"{problems} document(s) failed the integrity check")
