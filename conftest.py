"""Shared fixtures: the persona world, clients signed in as each persona, and query counting."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ENV", "test")

# The lifecycle builder and its fixtures (an approved project, providers, a published tender…).
pytest_plugins = [
    "tests.builders.planning",
    "tests.builders.procurement",
    "tests.builders.contracts",
    "tests.builders.performance",
]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "zh-hans"
    # Tests change rows directly and reuse ids: the public page cache only where a test asks.
    settings.GOVBUY_PAGE_CACHE_SECONDS = 0
    # Capacity rate-limit counters live in the cache: each test starts with none.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db):
    from govbuy.core.testing import build_world

    return build_world()


@pytest.fixture
def login(client):
    """`login(user)` signs the test client in as a persona (two-factor passed) and returns it."""

    from govbuy.accounts.testing import force_login_verified

    def _login(user):
        return force_login_verified(client, user)

    return _login


# Reference data that data migrations seed (procurement methods, the negative list, the
# discriminatory-condition patterns). A transactional test ends with a flush, which empties
# these tables for every later test on the same database; put them back before a test runs.
_SEEDS = (
    "govbuy.procurement.migrations.0002_seed_methods",
    "govbuy.catalog.migrations.0002_seed_negative_list",
    "govbuy.providers.migrations.0002_seed_condition_patterns",
    "govbuy.credit.migrations.0002_seed_score_rules",
    "govbuy.oversight.migrations.0003_seed_flag_rules",
)
# Data migrations that add to a table seeded above: run right after it.
_SEED_FOLLOW_UPS = {
    "govbuy.catalog.migrations.0002_seed_negative_list": ("govbuy.catalog.migrations.0003_negative_list_more_terms",),
}
_SEED_CHECKS = (
    ("procurement", "ProcurementMethod"),
    ("catalog", "NegativeListMatter"),
    ("providers", "ConditionPattern"),
    ("credit", "ScoreRule"),
    ("oversight", "FlagRule"),
)


@pytest.fixture(autouse=True)
def _reference_data(request):
    uses_db = any(name in request.fixturenames for name in ("db", "transactional_db"))
    if not uses_db and request.node.get_closest_marker("django_db") is None:
        return
    import importlib

    from django.apps import apps

    request.getfixturevalue("_django_db_helper")
    for module, (app_label, model_name) in zip(_SEEDS, _SEED_CHECKS, strict=True):
        if not apps.get_model(app_label, model_name).objects.exists():
            importlib.import_module(module).seed(apps, None)
            for follow_up in _SEED_FOLLOW_UPS.get(module, ()):
                importlib.import_module(follow_up).seed(apps, None)
