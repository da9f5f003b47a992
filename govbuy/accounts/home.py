"""Home-page sections: "Account security" while a required two-factor set-up is missing, and
"Your roles" for everyone, so every signed-in user has something meaningful on the home page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from govbuy.accounts import selectors
from govbuy.accounts.models import User


def account_security_section(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not isinstance(user, User) or user.has_two_factor or not selectors.two_factor_required(user):
        return None
    return {
        "id": "account-security",
        "title": _("Account security"),
        "items": [
            {
                "label": _("Set up two-factor authentication"),
                "url": reverse("accounts:two_factor_setup"),
                "note": _("Your role requires it."),
            }
        ],
        "empty": "",
    }


def roles_section(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not isinstance(user, User):
        return None
    items: list[dict[str, Any]] = []
    if user.is_superuser:
        items.append({"label": _("Platform administrator"), "url": reverse("admin:index"), "note": ""})
    # An evaluation expert of the pool (procurement links the account; accounts only reads it).
    expert = getattr(user, "expert", None)
    if expert is not None:
        items.append(
            {
                "label": _("Evaluation expert of the expert pool"),
                "url": "",
                "note": f"{expert.expertise} · {expert.affiliation}" if expert.affiliation else expert.expertise,
            }
        )
    for membership in selectors.active_memberships(user):
        organisation = membership.organisation
        items.append(
            {
                "label": f"{organisation} — {membership.get_role_display()}",
                "url": "",
                "note": f"{organisation.get_kind_display()} · {organisation.region}",
            }
        )
    return {
        "id": "your-roles",
        "title": _("Your roles"),
        "items": items,
        "empty": _("You have no role in any organisation yet. Ask your organisation's administrator to add you."),
    }
