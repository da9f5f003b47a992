"""Load demo data: Beijing with districts, every oversight body, purchasers, providers and a
user for every role. Idempotent (run it as often as you like); refused under production."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from govbuy.demo import data as demo


class Command(BaseCommand):
    help = "Load idempotent demo data (never in production) and optionally print the demo logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--print-logins", action="store_true", help="print a login for every demo role")
        parser.add_argument("--port", type=int, default=8000, help="the port named in the printed sign-in address")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("seed_demo refuses to run under production settings (DJANGO_ENV=production).")
        # The services log every step at INFO (security events, WeasyPrint's progress); here that
        # is a thousand lines above the logins. Warnings and errors still show.
        if options["verbosity"] < 2:
            logging.disable(logging.INFO)
        try:
            with transaction.atomic():
                created = demo.load()
        finally:
            logging.disable(logging.NOTSET)
        if created:
            self.stdout.write(f"Demo data loaded ({created} new records).")
        if options["print_logins"]:
            self.stdout.write(demo.logins_text(port=options["port"]))
