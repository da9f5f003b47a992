"""Bulk files of every release: DIR/releases.jsonl.gz (one release per line, in feed order) and
DIR/release-package-<year>.json.gz (one release package per year of the release date, UTC).

Streams in constant memory: releases come from the database in chunks and go straight into the
gzip streams (one per year, opened as the years appear). A package's metadata is written after
its releases, since its publishedDate is only known at the end. Everything up to the feed head
read at the start is exported, so a run is a consistent cut even while writers publish.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandParser

from govbuy.disclosure import jsonutil, ocds, selectors


class Command(BaseCommand):
    help = "Write gzip JSON Lines of all releases and one gzip release package per year into DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory")
        parser.add_argument("--chunk-size", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        directory.mkdir(parents=True, exist_ok=True)
        head = selectors.feed_head()
        lines_path = directory / "releases.jsonl.gz"
        partial = lines_path.with_suffix(".gz.partial")
        packages: dict[str, tuple[IO[str], Path, list[str]]] = {}
        count = 0
        with gzip.open(partial, "wt", encoding="utf-8") as lines:
            for _seq, document, date in selectors.releases_up_to(head, chunk_size=options["chunk_size"]):
                lines.write(document)
                lines.write("\n")
                year = str(date.year)
                if year not in packages:
                    path = directory / f"release-package-{year}.json.gz"
                    handle = gzip.open(path.with_suffix(".gz.partial"), "wt", encoding="utf-8")  # noqa: SIM115
                    handle.write('{"releases":[')
                    packages[year] = (handle, path, [""])
                    separator = ""
                else:
                    separator = ","
                handle, _path, latest = packages[year]
                handle.write(separator + document)
                stamp = ocds.format_date(date)
                latest[0] = max(latest[0], stamp)
                count += 1
        for year, (handle, path, latest) in sorted(packages.items()):
            meta = ocds.package_metadata(
                uri=ocds.public_url(f"/ocds/bulk/release-package-{year}.json.gz"), published_date=latest[0]
            )
            handle.write("]," + jsonutil.dumps(meta)[1:])
            handle.close()
            os.replace(path.with_suffix(".gz.partial"), path)
        os.replace(partial, lines_path)
        self.stdout.write(
            f"{count} releases up to feed position {head}; {len(packages)} yearly packages in {directory}"
        )
