"""Domain errors: a stable code, a translated message, and optional per-field messages.

Services raise these; the HTML layer turns them into form errors and the API layer into
`{code, message, fields}` with the matching HTTP status.
"""

from __future__ import annotations

import contextvars
from typing import Any

from django.utils.translation import gettext_lazy as _

# How long the last rate limit of this request asked the client to wait (seconds); read by
# govbuy.core.middleware.RetryAfterMiddleware for the Retry-After header of the 429 answer, however
# the page or the API renders the error.
retry_after_hint: contextvars.ContextVar[int | None] = contextvars.ContextVar("retry_after_hint", default=None)


class DomainError(Exception):
    code = "invalid"
    status = 400
    default_message: Any = _("The request could not be processed.")

    def __init__(self, message: Any = None, *, code: str | None = None, fields: dict[str, list[Any]] | None = None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": str(self.message),
            "fields": {name: [str(m) for m in msgs] for name, msgs in self.fields.items()},
        }


class ValidationFailed(DomainError):
    code = "invalid"
    status = 400


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Not found.")


class PermissionRefused(DomainError):
    code = "forbidden"
    status = 403
    default_message = _("You are not allowed to do this.")


class Conflict(DomainError):
    """Someone else changed the object first (stale version) or the state no longer allows it."""

    code = "conflict"
    status = 409
    default_message = _("This record was changed by someone else. Reload it and try again.")


class TransitionRefused(DomainError):
    code = "transition_refused"
    status = 409
    default_message = _("This action is not allowed in the current state.")


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    default_message = _("Too many attempts. Please wait and try again.")

    def __init__(
        self,
        message: Any = None,
        *,
        code: str | None = None,
        fields: dict[str, list[Any]] | None = None,
        retry_after: int | None = None,
    ):
        super().__init__(message, code=code, fields=fields)
        self.retry_after = retry_after
        if retry_after is not None:
            retry_after_hint.set(max(1, int(retry_after)))
