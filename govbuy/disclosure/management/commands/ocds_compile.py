"""Compile a release package (ours or anyone's) into a record package with, for every ocid, the
releases, the compiledRelease and the versionedRelease.

Amounts stay exact (numbers are read as Decimal). Merge rules are those of OCDS 1.1.5 with our
extension; --schema takes them from another (patched) release schema instead, for a publisher
with other extensions. The records are written one at a time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govbuy.disclosure import jsonutil, ocds
from govbuy.disclosure.compile import InconsistentTypeError, merge_rules_from_schema, records_from_releases


class Command(BaseCommand):
    help = "Compile a release package FILE into a record package (stdout, or --output)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--output", help="write here instead of standard output")
        parser.add_argument("--schema", help="a patched release schema to take the merge rules from")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with Path(options["file"]).open("rb") as handle:
                package = jsonutil.loads(handle.read())
        except OSError as error:
            raise CommandError(f"cannot read {options['file']}: {error.strerror}") from error
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(f"{options['file']} is not JSON: {error}") from error
        if not isinstance(package, dict) or not isinstance(package.get("releases"), list):
            raise CommandError("the file is not a release package (no releases array)")
        rules = None
        if options["schema"]:
            with Path(options["schema"]).open(encoding="utf-8") as handle:
                rules = merge_rules_from_schema(json.load(handle))
        meta = {
            "uri": package.get("uri") or ocds.public_url("/ocds/records/"),
            # The record package is ours: it is written in the version we produce, whatever the
            # input declared (a 1.0.x package would otherwise fail the 1.1 record-package schema).
            "version": ocds.OCDS_VERSION,
            "publisher": package.get("publisher") or ocds.publisher(),
            "publishedDate": package.get("publishedDate") or "",
        }
        for key in ("extensions", "license", "publicationPolicy"):
            if package.get(key):
                meta[key] = package[key]
        out = Path(options["output"]).open("w", encoding="utf-8") if options["output"] else sys.stdout  # noqa: SIM115
        try:
            out.write(jsonutil.dumps(meta)[:-1] + ',"records":[')
            for index, record in enumerate(records_from_releases(package["releases"], rules)):
                out.write(("," if index else "") + jsonutil.dumps(record))
            out.write("]}\n")
        except (InconsistentTypeError, ValueError, TypeError, KeyError) as error:
            raise CommandError(f"cannot compile: {error}") from error
        finally:
            if out is not sys.stdout:
                out.close()
