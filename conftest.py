"""Shared fixtures: the persona world, clients signed in as each persona, and query counting."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ENV", "test")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "zh-hans"


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
