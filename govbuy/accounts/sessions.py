"""What the accounts app keeps in a session: when it signed in, when it was last used, which
user passed two-factor in it, and the half-finished sign-in waiting for a code."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

LOGIN_AT = "govbuy.login_at"
SEEN_AT = "govbuy.seen_at"
TWO_FACTOR_USER = "govbuy.two_factor_user"
PENDING = "govbuy.pending_sign_in"
ENDED_REASONS = ("idle", "absolute", "ended", "two_factor")


def mark_two_factor_verified(session: SessionBase, user: Any) -> None:
    session[TWO_FACTOR_USER] = str(user.pk)


def is_two_factor_verified(session: SessionBase, user: Any) -> bool:
    return session.get(TWO_FACTOR_USER) == str(user.pk)


def stamp_login(session: SessionBase) -> None:
    now = time.time()
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    # Two-factor is proved per sign-in: the flow that proves it sets the flag after login().
    session.pop(TWO_FACTOR_USER, None)


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Runs for every login() (our views, the test client's force_login, the admin)."""
    from govbuy.accounts import services

    if request is None or not hasattr(request, "session"):
        return
    stamp_login(request.session)
    request.session.pop(PENDING, None)
    if request.session.session_key is None:
        request.session.save()
    services.track_session(user=user, session_key=str(request.session.session_key))


def on_user_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    from govbuy.accounts import services

    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        services.forget_session(session_key=key)
