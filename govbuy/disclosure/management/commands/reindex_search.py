"""Rebuild the public search index from every search source (after an import, a restore, or
for sources whose apps do not announce their changes yet)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govbuy.disclosure.services import reindex_search


class Command(BaseCommand):
    help = "Rebuild the public search index (all sources, or the object types named)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("object_types", nargs="*", help="e.g. catalog.catalogitem providers.providerprofile")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reindex_search(object_types=options["object_types"] or None)
        for object_type, count in sorted(counts.items()):
            self.stdout.write(f"{object_type}: {count}")
