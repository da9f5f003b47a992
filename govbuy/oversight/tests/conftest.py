"""Fixtures of monitoring: procurement's published tender of purchaser A (district A), made
through the services (tests/builders/)."""

from __future__ import annotations

import pytest

from tests.builders.procurement import draft_tender


@pytest.fixture
def project(approved):
    return approved


@pytest.fixture
def make_tender(world, project):
    return lambda **overrides: draft_tender(world, project, **overrides)


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are asserted in English (msgids)."""
    from django.utils import translation

    with translation.override("en"):
        yield
