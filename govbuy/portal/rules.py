"""Pure decisions about public feedback: what a valid submission is, the moderation transitions,
who moderates, and the rate limit. No queries."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from govbuy.core.errors import RateLimited, TransitionRefused, ValidationFailed
from govbuy.organizations.kinds import PURCHASER_KINDS
from govbuy.organizations.scope import Scope

MAX_NAME = 100
MAX_CONTACT = 200
MAX_MESSAGE = 2000
MAX_REASON = 2000
MAX_REPLY = 2000

# Defaults for settings.GOVBUY_FEEDBACK_RATE_LIMIT / GOVBUY_FEEDBACK_RATE_WINDOW_SECONDS
# (docs/operations.md): a person writes a few comments an hour; a script writes hundreds.
DEFAULT_RATE_LIMIT = 5
DEFAULT_RATE_WINDOW_SECONDS = 3600

# The roles that act for a purchaser (the same writing roles planning and procurement use).
MODERATOR_ROLES = frozenset({"admin", "staff", "approver"})

PENDING, PUBLISHED, REJECTED = "pending", "published", "rejected"
# A published comment may still be taken down (it turned out abusive or personal); a rejected one
# stays rejected: the sender can write again.
TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING: frozenset({PUBLISHED, REJECTED}),
    PUBLISHED: frozenset({REJECTED}),
    REJECTED: frozenset(),
}
# A reply is written while the comment is pending (it appears when published) or published.
REPLYABLE = frozenset({PENDING, PUBLISHED})


@dataclass(frozen=True)
class Submission:
    name: str
    contact: str
    message: str


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def clean_submission(*, name: Any, contact: Any, message: Any) -> Submission:
    """The submission, trimmed, or ValidationFailed naming every field that is wrong."""
    cleaned = Submission(name=_text(name), contact=_text(contact), message=_text(message))
    fields: dict[str, list[Any]] = {}
    if not cleaned.message:
        fields["message"] = [_("Write your comment.")]
    elif len(cleaned.message) > MAX_MESSAGE:
        fields["message"] = [
            _("The comment is %(length)d characters long; at most %(max)d are allowed.")
            % {"length": len(cleaned.message), "max": MAX_MESSAGE}
        ]
    if len(cleaned.name) > MAX_NAME:
        fields["name"] = [_("The name may be at most %(max)d characters long.") % {"max": MAX_NAME}]
    if len(cleaned.contact) > MAX_CONTACT:
        fields["contact"] = [_("The contact may be at most %(max)d characters long.") % {"max": MAX_CONTACT}]
    if any("\x00" in value for value in (cleaned.name, cleaned.contact, cleaned.message)):
        fields.setdefault("message", []).append(_("The text contains characters that are not allowed."))
    if fields:
        raise ValidationFailed(_("The feedback could not be sent. Check the marked fields."), fields=fields)
    return cleaned


def clean_text(value: Any, *, field: str, maximum: int, empty_message: Any) -> str:
    text = _text(value)
    if not text:
        raise ValidationFailed(empty_message, fields={field: [empty_message]})
    if len(text) > maximum or "\x00" in text:
        message = _("At most %(max)d characters, without control characters.") % {"max": maximum}
        raise ValidationFailed(message, fields={field: [message]})
    return text


def check_transition(before: str, after: str) -> None:
    if after not in TRANSITIONS.get(before, frozenset()):
        raise TransitionRefused(_("This feedback has already been moderated."), code="feedback_already_moderated")


def check_replyable(status: str) -> None:
    if status not in REPLYABLE:
        raise TransitionRefused(_("A rejected comment cannot be answered."), code="feedback_not_replyable")


def moderator_of(scope: Scope, purchaser_id: int) -> bool:
    """A member with a writing role of the purchaser organisation the project belongs to."""
    return any(
        org_id == purchaser_id and kind in PURCHASER_KINDS and role in MODERATOR_ROLES
        for org_id, kind, role, _region, _level in scope.memberships
    )


def moderated_purchasers(scope: Scope) -> frozenset[int]:
    return frozenset(
        org_id
        for org_id, kind, role, _region, _level in scope.memberships
        if kind in PURCHASER_KINDS and role in MODERATOR_ROLES
    )


def client_key(address: str, secret: str) -> str:
    """A keyed hash of the sender's address: enough to count, not enough to recover it."""
    return hmac.new(secret.encode(), f"govbuy.feedback\x00{address}".encode(), hashlib.sha256).hexdigest()


def check_rate(recent: int, *, limit: int, window_seconds: int, retry_after: int | None = None) -> None:
    """`recent` submissions from the same sender in the window: the next one is refused at the
    limit. `retry_after`: seconds until the oldest of them leaves the window (the whole window
    when not known)."""
    if recent >= limit:
        minutes = max(1, window_seconds // 60)
        raise RateLimited(
            _("You have sent %(limit)d comments in the last %(minutes)d minutes. Please wait and try again later.")
            % {"limit": limit, "minutes": minutes},
            code="feedback_rate_limited",
            retry_after=retry_after if retry_after is not None else window_seconds,
        )
