"""Contracts tests run in English; the award → draft → ready → signed → live chain is
tests/builders/contracts.py (registered for every test by the root conftest)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english_messages():
    from django.utils import translation

    with translation.override("en"):
        yield


def backdate(contract, **fields):
    """Tests move time by moving the recorded moments in the database (never by sleeping)."""
    type(contract).objects.filter(pk=contract.pk).update(**fields)
    contract.refresh_from_db()
    return contract
