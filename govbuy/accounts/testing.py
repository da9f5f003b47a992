"""Test helpers: sign a test client in as if the whole sign-in, two-factor included, passed."""

from __future__ import annotations

from typing import Any

from govbuy.accounts.sessions import mark_two_factor_verified


def force_login_verified(client: Any, user: Any) -> Any:
    """`client.force_login(user)`, then mark the session as having proved a TOTP code, so users
    whose role requires two-factor reach every page. Returns the client."""
    client.force_login(user)
    session = client.session
    mark_two_factor_verified(session, user)
    session.save()
    return client
