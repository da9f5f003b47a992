"""Session limits and two-factor enforcement (design/reliability.md R11).

SessionLimitsMiddleware ends a session after SESSION_IDLE_SECONDS without a request or
SESSION_ABSOLUTE_SECONDS after sign-in, and ends at once a session whose user Django no longer
accepts (deactivated, deleted, password changed). TwoFactorMiddleware keeps users whose role
requires TOTP on the enrolment page until this session has proved a code.

Pages are redirected to the sign-in (or enrolment) page; API calls get no redirect: the session
is dropped and the API answers as for anyone not signed in, or with a 403 in the API's shape.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from govbuy.accounts import rules, selectors
from govbuy.accounts.security import security_log
from govbuy.accounts.sessions import LOGIN_AT, SEEN_AT, is_two_factor_verified

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _login_url(request: HttpRequest, reason: str) -> str:
    query = {"reason": reason}
    if request.method == "GET":
        query["next"] = request.get_full_path()
    return f"{reverse('accounts:login')}?{urlencode(query)}"


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ended = self._check(request)
        if ended is not None and not _is_api(request):
            return HttpResponseRedirect(_login_url(request, ended))
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> str | None:
        session = request.session
        if SESSION_KEY not in session:
            return None
        user_id = session.get(SESSION_KEY)
        if not request.user.is_authenticated:
            security_log("session.ended", reason="user_refused", user_id=user_id)
            logout(request)
            return "ended"
        now = time.time()
        login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
        if not isinstance(login_at, (int, float)) or not isinstance(seen_at, (int, float)):
            # A session older than these stamps: its limits start now.
            session[LOGIN_AT] = session[SEEN_AT] = now
            return None
        reason = rules.session_end_reason(
            now=now,
            login_at=login_at,
            seen_at=seen_at,
            idle_seconds=settings.SESSION_IDLE_SECONDS,
            absolute_seconds=settings.SESSION_ABSOLUTE_SECONDS,
        )
        if reason is not None:
            security_log("session.ended", reason=reason, username=request.user.get_username(), user_id=user_id)
            logout(request)
            return reason
        if rules.activity_stamp_due(now=now, seen_at=seen_at):
            session[SEEN_AT] = now
        return None


def two_factor_enforced() -> bool:
    return bool(getattr(settings, "GOVBUY_ENFORCE_TWO_FACTOR", True))


def _exempt_paths() -> tuple[str, ...]:
    return (
        reverse("accounts:two_factor_setup"),
        reverse("accounts:logout"),
        reverse("accounts:login"),
        reverse("accounts:login_verify"),
        settings.STATIC_URL,
        "/i18n/",
        "/jsi18n/",
        "/healthz",
    )


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if two_factor_enforced() and SESSION_KEY in request.session:
            user = request.user
            if (
                user.is_authenticated
                and not is_two_factor_verified(request.session, user)
                and not request.path.startswith(_exempt_paths())
                and selectors.two_factor_required(user)  # type: ignore[arg-type]
            ):
                return self._refuse(request)
        return self.get_response(request)

    def _refuse(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if getattr(user, "has_two_factor", False):
            # Enrolled, yet this session never proved a code (it was not made by our sign-in).
            security_log("two_factor.session_unverified", username=user.get_username())
            logout(request)
            if _is_api(request):
                return self.get_response(request)
            return HttpResponseRedirect(_login_url(request, "two_factor"))
        if _is_api(request):
            return JsonResponse(
                {
                    "code": "two_factor_required",
                    "message": _("Your role requires two-factor authentication. Set it up before using the API."),
                    "fields": {},
                },
                status=403,
            )
        url = reverse("accounts:two_factor_setup")
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        return HttpResponseRedirect(url)
