"""System check (tagged deploy): production refuses to start without its own key for the hash of
satisfaction-survey codes.

GOVBUY_SURVEY_CODE_KEY falls back to SECRET_KEY outside production so development needs no
setup. In production it must be its own value: only the keyed hash of a code is stored, so with
SECRET_KEY as the key, rotating SECRET_KEY (to end every session) would void every printed
invitation, and anyone holding SECRET_KEY and a copy of the database could test guesses offline.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error

MIN_KEY_CHARS = 32
NAME = "GOVBUY_SURVEY_CODE_KEY"
HINT = (
    f'Set {NAME} to a random value of its own, e.g. `python -c "import secrets; print(secrets.token_urlsafe(48))"`, '
    "and keep it: changing it voids every survey code already issued."
)


def survey_key_problem() -> str | None:
    if not getattr(settings, "PRODUCTION", False):
        return None
    value = str(getattr(settings, NAME, "") or "")
    if not value:
        return f"{NAME} is not set: production must take the key for survey codes from the environment"
    if value == str(settings.SECRET_KEY):
        return f"{NAME} is not set or equals SECRET_KEY: production must use a separate key for survey codes"
    if len(value) < MIN_KEY_CHARS:
        return f"{NAME} is shorter than {MIN_KEY_CHARS} characters"
    return None


def check_survey_code_key(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    problem = survey_key_problem()
    return [] if problem is None else [Error(problem, hint=HINT, id="performance.E001")]
