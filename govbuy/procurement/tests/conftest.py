"""Fixtures for procurement: the approved project as `project`, a factory for draft tenders, the
announcements made, and English service messages. The chain itself is tests/builders/."""

from __future__ import annotations

import pytest

from tests.builders.procurement import draft_tender

CANARY = "98765.43"


@pytest.fixture
def project(approved):
    return approved


@pytest.fixture
def make_tender(world, project):
    return lambda **overrides: draft_tender(world, project, **overrides)


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are asserted in English (msgids); the pages run in the default language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def announced():
    """The announcements made (the disclosure handler still runs; its releases are checked
    against the OCDS schema in tests/security/test_sealed_bids.py, outside this app's layer)."""
    from govbuy.core import publication

    seen: list[publication.Announcement] = []
    publication.register(seen.append, order=1000)
    yield seen
    publication.unregister(seen.append)
