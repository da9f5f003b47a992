"""Reads for accounts: a user's memberships (through the reverse relation, since accounts sits
below organizations), whether two-factor is required, and the recent failures of a login pair."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from govbuy.accounts import rules
from govbuy.accounts.models import ApiToken, LoginFailure, User


def active_memberships(user: User) -> QuerySet[Any]:
    """The user's active memberships with organisation and region, for "your roles" and /me."""
    return (
        user.memberships.filter(is_active=True)
        .select_related("organisation__region")
        .order_by("organisation__name_zh", "pk")
    )


def membership_kinds(user: User) -> frozenset[str]:
    return frozenset(user.memberships.filter(is_active=True).values_list("organisation__kind", flat=True))


def is_expert(user: User) -> bool:
    """Linked to an expert of the evaluation pool (procurement's Expert.user, related name
    "expert"; read through the relation so accounts imports nothing above it)."""
    return User.objects.filter(pk=user.pk, expert__isnull=False).exists()


def two_factor_required(user: User) -> bool:
    """Cached on the user object for the rest of the request."""
    cached = getattr(user, "_govbuy_two_factor_required", None)
    if cached is not None:
        return bool(cached)
    # A platform admin needs no query to decide.
    kinds: frozenset[str] = frozenset() if user.is_superuser else membership_kinds(user)
    required = rules.two_factor_required(
        is_superuser=user.is_superuser,
        kinds=kinds,
        is_expert=not user.is_superuser and not (kinds & rules.TWO_FACTOR_KINDS) and is_expert(user),
    )
    user._govbuy_two_factor_required = required  # type: ignore[attr-defined]
    return required


def recent_failures(*, username: str, ip: str) -> list[datetime]:
    limit = settings.LOGIN_FAILURE_LIMIT
    return list(
        LoginFailure.objects.filter(username=username, ip=ip)
        .order_by("-at", "-pk")
        .values_list("at", flat=True)[: max(limit, 1)]
    )


def api_token(user: User) -> ApiToken | None:
    """The user's token (prefix and dates only: the key itself is not stored)."""
    return ApiToken.objects.filter(user=user).only("prefix", "created_at", "last_used_at").first()
