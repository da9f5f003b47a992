"""Print the current two-factor code of a demo user (never in production)."""

from __future__ import annotations

from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo user, so the demo needs no authenticator app."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("totp_code is for demo data only and refuses to run under production settings.")
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None or not user.has_two_factor:
            raise CommandError(f"{options['username']} has no two-factor set up.")
        self.stdout.write(pyotp.TOTP(user.totp_secret).now())
