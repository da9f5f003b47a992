"""System checks: production refuses to publish open data under the placeholder ocid prefix or
without the site's public URL (every URL in releases and packages is built on it)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error

PLACEHOLDER_PREFIX = "ocds-xxxxxx"
# Prefixes the Open Contracting Partnership assigns: "ocds-" and six characters.
REGISTERED_PREFIX = re.compile(r"^ocds-[a-z0-9]{6}$")
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "testserver"})


def open_data_problems() -> list[tuple[str, str, str]]:
    """(check id, problem, hint) for each open-data setting unusable in production."""
    if not getattr(settings, "PRODUCTION", False):
        return []
    problems = []
    prefix = str(getattr(settings, "OCDS_OCID_PREFIX", "") or "")
    if not prefix or prefix == PLACEHOLDER_PREFIX or not REGISTERED_PREFIX.match(prefix):
        problems.append(
            (
                "disclosure.E001",
                f"OCDS_OCID_PREFIX is {prefix!r}: production must publish under the prefix registered with the "
                "Open Contracting Partnership, not the placeholder",
                "Register a prefix (https://standard.open-contracting.org/1.1/en/schema/identifiers/) and set "
                "OCDS_OCID_PREFIX to it, e.g. ocds-a1b2c3.",
            )
        )
    url = str(getattr(settings, "GOVBUY_PUBLIC_URL", "") or "")
    parts = urlsplit(url)
    if not url or parts.scheme != "https" or not parts.hostname or parts.hostname in LOOPBACK_HOSTS:
        problems.append(
            (
                "disclosure.E002",
                f"GOVBUY_PUBLIC_URL is {url!r}: production must set the https address the public reaches the "
                "site at (releases and packages carry URLs built on it)",
                "Set GOVBUY_PUBLIC_URL, e.g. https://govbuy.example.gov.cn",
            )
        )
    return problems


def check_open_data_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    return [Error(problem, hint=hint, id=check_id) for check_id, problem, hint in open_data_problems()]
