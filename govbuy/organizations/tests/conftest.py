from __future__ import annotations

import pytest

from govbuy.audit.models import AuditEvent


@pytest.fixture
def events():
    """`events(action)` → the audit events with that action code, oldest first."""

    def _events(action: str):
        return list(AuditEvent.objects.filter(action=action).order_by("position"))

    return _events
