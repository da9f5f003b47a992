"""System checks: production refuses to start without the audit chain's key, or without a place
outside the database for the copies of the checkpoints."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error

MIN_KEY_CHARS = 32
OTHER_KEYS = ("SECRET_KEY", "AUDIT_CHECKPOINT_KEY", "GOVBUY_IDENTITY_KEY", "GOVBUY_TOTP_KEY", "GOVBUY_BID_KEK")


def chain_key_problem() -> str | None:
    if not getattr(settings, "PRODUCTION", False):
        return None
    key = str(getattr(settings, "GOVBUY_AUDIT_CHAIN_KEY", "") or "")
    if not key:
        return "GOVBUY_AUDIT_CHAIN_KEY is not set: production must take the audit chain's key from the environment"
    if len(key) < MIN_KEY_CHARS:
        return f"GOVBUY_AUDIT_CHAIN_KEY is shorter than {MIN_KEY_CHARS} characters"
    for name in OTHER_KEYS:
        if key == str(getattr(settings, name, "") or ""):
            return f"GOVBUY_AUDIT_CHAIN_KEY equals {name}: the audit chain needs a key of its own"
    return None


def check_audit_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    problem = chain_key_problem()
    if problem is not None:
        errors.append(
            Error(
                problem,
                hint='Set GOVBUY_AUDIT_CHAIN_KEY to a random value of its own, e.g. `python -c "import secrets; '
                'print(secrets.token_urlsafe(48))"`; keep it out of the database and back it up with the other keys.',
                id="audit.E001",
            )
        )
    if getattr(settings, "PRODUCTION", False) and not getattr(settings, "GOVBUY_AUDIT_CHECKPOINT_FILE", ""):
        errors.append(
            Error(
                "GOVBUY_AUDIT_CHECKPOINT_FILE is not set: checkpoints would exist only in the database they protect",
                hint="Point it at a file on a volume the database server cannot write (docs/operations.md).",
                id="audit.E002",
            )
        )
    return errors
