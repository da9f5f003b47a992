"""Test helpers: sign a test client in as if the whole sign-in, two-factor included, passed;
give a user an API token without the sign-in."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from govbuy.accounts import crypto
from govbuy.accounts.models import ApiToken
from govbuy.accounts.sessions import mark_two_factor_verified


def force_login_verified(client: Any, user: Any) -> Any:
    """`client.force_login(user)`, then mark the session as having proved a TOTP code, so users
    whose role requires two-factor reach every page. Returns the client."""
    client.force_login(user)
    session = client.session
    mark_two_factor_verified(session, user)
    session.save()
    return client


def api_token_for(user: Any, key: str = "") -> str:
    """Make `key` (a new random one when empty) the user's API token and return it; calling it
    again with the same key brings back a token an earlier request revoked. No audit event: the
    token endpoint has its own tests. The token counts as just used, so query counts measured
    right after do not include the once-a-minute last_used_at stamp."""
    key = key or crypto.new_api_token()
    digest = crypto.api_token_hash(key)
    # Only a read when the token is already there: some tests call this while the database
    # refuses writes.
    if ApiToken.objects.filter(user=user, key_hash=digest).exists():
        return key
    ApiToken.objects.update_or_create(
        user=user,
        defaults={
            "key_hash": digest,
            "prefix": crypto.api_token_prefix(key),
            "created_at": timezone.now(),
            "last_used_at": timezone.now(),
        },
    )
    return key
