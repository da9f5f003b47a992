"""The deploy check: production needs its own key for the hash of survey codes."""

from __future__ import annotations

import pytest
from django.core.checks import Tags, registry

from govbuy.performance.checks import check_survey_code_key

SECRET = "s" * 50


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("", {"performance.E001"}),
        (SECRET, {"performance.E001"}),
        ("short-key", {"performance.E001"}),
        ("k" * 48, set()),
    ],
)
def test_production_needs_its_own_survey_code_key(settings, key, expected):
    settings.PRODUCTION = True
    settings.SECRET_KEY = SECRET
    settings.GOVBUY_SURVEY_CODE_KEY = key
    assert {error.id for error in check_survey_code_key()} == expected


def test_development_falls_back_to_the_secret_key(settings):
    settings.PRODUCTION = False
    settings.GOVBUY_SURVEY_CODE_KEY = settings.SECRET_KEY
    assert check_survey_code_key() == []


def test_the_check_runs_with_check_deploy_only(settings):
    settings.PRODUCTION = True
    settings.GOVBUY_SURVEY_CODE_KEY = settings.SECRET_KEY
    ran = {e.id for e in registry.run_checks(tags=[Tags.security], include_deployment_checks=True)}
    assert "performance.E001" in ran
    assert "performance.E001" not in {e.id for e in registry.run_checks(tags=[Tags.security])}
