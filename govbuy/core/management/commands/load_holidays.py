"""Seed the holiday table with the data govbuy ships (2025, 2026 official; 2027 provisional).

Idempotent. By default a year already in the table is left alone, because the finance bureau may
have edited it since; --replace makes a year exactly the shipped data again (refused for a year
the bureau marked official when the shipped data is only provisional). Every change goes through
calendar_services with the system as actor, so it is audited like an edit on the page.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from govbuy.core.calendar import data as calendar_data
from govbuy.core.calendar.services import load_year
from govbuy.core.models import CalendarYear


class Command(BaseCommand):
    help = "Load the shipped PRC public holidays and make-up working days into the holiday table (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help=f"load only this year (repeatable); shipped: {', '.join(map(str, calendar_data.BUNDLED_YEARS))}",
        )
        parser.add_argument(
            "--replace", action="store_true", help="overwrite a year already in the table with the shipped data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["years"] or list(calendar_data.BUNDLED_YEARS)
        unknown = sorted(set(years) - set(calendar_data.BUNDLED_YEARS))
        if unknown:
            raise CommandError(f"no shipped data for {', '.join(map(str, unknown))}")
        present = dict(CalendarYear.objects.filter(year__in=years).values_list("year", "status"))
        quiet = options["verbosity"] == 0
        for year in years:
            data = calendar_data.bundled(year)
            if year in present and not options["replace"]:
                if not quiet:
                    self.stdout.write(f"{year}: already in the table ({present[year]}), left as it is")
                continue
            if present.get(year) == CalendarYear.Status.OFFICIAL and data.status != CalendarYear.Status.OFFICIAL:
                self.stdout.write(f"{year}: official in the table, the shipped data is provisional; left as it is")
                continue
            result = load_year(actor=None, year=year, status=data.status, source=data.source, days=data.days)
            if quiet:
                continue
            if result.changed_anything or year not in present:
                self.stdout.write(
                    f"{year} ({data.status}): {len(result.added)} added, {len(result.changed)} changed, "
                    f"{len(result.removed)} removed"
                )
            else:
                self.stdout.write(f"{year}: already up to date")
