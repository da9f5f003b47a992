"""Audit sentences of performance that need more than a template: a survey answer's flags are
stored as codes ("burst, too_fast") and read out as the patterns' names in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from govbuy.performance.models import FlagKind


def survey_answered(_event: Any, values: dict[str, Any]) -> str:
    labels = dict(FlagKind.choices)
    codes = [code.strip() for code in str(values.get("flags") or "").split(",") if code.strip()]
    if not codes:
        return _("An anonymous answer to the survey “{title}” was received").format(title=values["title"])
    flags = _("; ").join(str(labels.get(code, code)) for code in codes)
    return _("An anonymous answer to the survey “{title}” was received (flags: {flags})").format(
        title=values["title"], flags=flags
    )
