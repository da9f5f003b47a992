"""System checks: production refuses to start with the accounts' keys missing or borrowed.

GOVBUY_IDENTITY_KEY (the HMAC of identity numbers) and GOVBUY_TOTP_KEY (encrypted TOTP secrets)
fall back to SECRET_KEY outside production so development needs no setup. In production each
must be its own value: SECRET_KEY is rotated when sessions must be ended, and rotating it must
not also unlink every related-party pair or lock every two-factor user out.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error

from govbuy.accounts.crypto import MIN_KEY_CHARS

KEYS = (
    ("GOVBUY_IDENTITY_KEY", "accounts.E001", "the HMAC of legal representatives' identity numbers"),
    ("GOVBUY_TOTP_KEY", "accounts.E002", "the encryption of two-factor secrets"),
)
HINT = (
    'Set {name} to a random value of its own, e.g. `python -c "import secrets; print(secrets.token_urlsafe(48))"`; '
    "keep it out of the database and backups, and keep it: {consequence}"
)
CONSEQUENCE = {
    "GOVBUY_IDENTITY_KEY": "changing it unlinks related parties until their identity numbers are entered again.",
    "GOVBUY_TOTP_KEY": "changing it makes every two-factor user set two-factor up again.",
}


def key_problems() -> list[tuple[str, str, str]]:
    """(setting, check id, problem) for each accounts key unusable in this environment."""
    if not getattr(settings, "PRODUCTION", False):
        return []
    secret_key = str(settings.SECRET_KEY)
    values = {name: str(getattr(settings, name, "") or "") for name, _id, _purpose in KEYS}
    problems = []
    for name, check_id, purpose in KEYS:
        value = values[name]
        if not value:
            problem = f"{name} is not set: production must take the key for {purpose} from the environment"
        elif value == secret_key:
            problem = f"{name} is not set or equals SECRET_KEY: production must use a separate key for {purpose}"
        elif len(value) < MIN_KEY_CHARS:
            problem = f"{name} is shorter than {MIN_KEY_CHARS} characters"
        elif any(value == values[other] for other, _id, _p in KEYS if other != name):
            problem = f"{name} equals another key: each purpose needs its own key"
        else:
            continue
        problems.append((name, check_id, problem))
    return problems


def check_account_keys(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    return [
        Error(problem, hint=HINT.format(name=name, consequence=CONSEQUENCE[name]), id=check_id)
        for name, check_id, problem in key_problems()
    ]
