"""The pages' one way to show a service's refusal outside a form, and to act then redirect.

A staff button posts, the view calls one service: a `DomainError` becomes an error message (its
sentence and its per-field messages), success a confirmation, and either way the user returns to
the object's page. Forms show refusals with `govbuy.core.forms.apply_domain_error` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from govbuy.core.errors import DomainError


def flash_domain_error(request: HttpRequest, exc: DomainError) -> None:
    """The refusal as one error message: the sentence, then each per-field message not repeating it."""
    sentence = str(exc.message)
    details = [str(m) for msgs in exc.fields.values() for m in msgs]
    messages.error(request, " ".join([sentence, *[d for d in details if d != sentence]]))


def act_then_redirect(
    request: HttpRequest, obj: Any, action: Callable[[Any], Any], done: Any, url_name: str, *, anchor: str = ""
) -> HttpResponse:
    """Call `action(obj)`; flash the refusal or `done`; redirect to `url_name` of the object (at
    `#anchor` when given, the part of the page the action changed)."""
    try:
        action(obj)
    except DomainError as exc:
        flash_domain_error(request, exc)
    else:
        messages.success(request, done)
    response = redirect(url_name, obj.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response
