"""Performance tests' project is purchaser A's approved project; the template, the contract in
delivery and the survey/round helpers are tests/builders/performance.py."""

from __future__ import annotations

import pytest


@pytest.fixture
def project(approved):
    return approved
