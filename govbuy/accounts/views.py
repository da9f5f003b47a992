"""Sign-in (password, then a TOTP code when the user has one), sign-out, the account security
page, two-factor enrolment and password change. Decisions live in services and rules."""

from __future__ import annotations

import time
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from govbuy.accounts import rules, selectors, services
from govbuy.accounts.forms import CodeForm, LoginForm, PasswordChangeForm
from govbuy.accounts.models import User
from govbuy.accounts.security import security_log
from govbuy.accounts.sessions import PENDING, is_two_factor_verified, mark_two_factor_verified
from govbuy.core.errors import DomainError
from govbuy.core.forms import apply_domain_error
from govbuy.core.middleware import client_ip

ENDED_MESSAGES = {
    "idle": _("You were signed out because the session was idle for too long. Please sign in again."),
    "absolute": _("You were signed out because the session reached its time limit. Please sign in again."),
    "ended": _("Your session has ended. Please sign in again."),
    "two_factor": _("Please sign in again with your authentication code."),
}


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _locked(request: HttpRequest, exc: services.LoginLocked) -> HttpResponse:
    response = render(request, "accounts/locked.html", {"message": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def _finish_sign_in(request: HttpRequest, user: User, *, backend: str, two_factor: bool) -> None:
    if SESSION_KEY in request.session:
        # login() keeps the key when the same user signs in again; a sign-in always gets a new one.
        request.session.cycle_key()
    login(request, user, backend=backend)
    if two_factor:
        mark_two_factor_verified(request.session, user)
    services.sign_in_completed(user=user, ip=client_ip(request), two_factor=two_factor)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    reason = request.GET.get("reason", "")
    if request.method == "GET" and reason in ENDED_MESSAGES:
        messages.info(request, ENDED_MESSAGES[reason])
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.authenticate_password(
                username=form.cleaned_data["username"], password=form.cleaned_data["password"], ip=client_ip(request)
            )
        except services.LoginLocked as exc:
            return _locked(request, exc)
        except services.InvalidCredentials as exc:
            form.add_error(None, str(exc.message))
        else:
            backend = getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0])
            if user.has_two_factor:
                request.session[PENDING] = {
                    "user": user.pk,
                    "username": user.username,
                    "backend": backend,
                    "at": time.time(),
                    "next": next_url,
                }
                return redirect("accounts:login_verify")
            _finish_sign_in(request, user, backend=backend, two_factor=False)
            return redirect(next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    pending: dict[str, Any] | None = request.session.get(PENDING)
    if not pending or time.time() - float(pending.get("at", 0)) > rules.PENDING_TWO_FACTOR_SECONDS:
        request.session.pop(PENDING, None)
        messages.info(request, _("The sign-in took too long. Please enter your password again."))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.authenticate_totp(
                user_pk=int(pending["user"]),
                username=str(pending["username"]),
                code=form.cleaned_data["code"],
                ip=client_ip(request),
            )
        except services.LoginLocked as exc:
            request.session.pop(PENDING, None)
            return _locked(request, exc)
        except services.InvalidCode as exc:
            form.add_error("code", str(exc.message))
        else:
            request.session.pop(PENDING, None)
            _finish_sign_in(request, user, backend=str(pending["backend"]), two_factor=True)
            return redirect(_safe_next(request, pending.get("next")))
    return render(request, "accounts/login_verify.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        security_log("logout", username=request.user.get_username())
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin site signs in through our sign-in, so lockout and two-factor apply there too."""
    if request.user.is_authenticated:
        return redirect("admin:index" if request.user.is_staff else settings.LOGIN_REDIRECT_URL)
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("accounts:login"))


def _security_context(request: HttpRequest, user: User, **extra: Any) -> dict[str, Any]:
    return {
        "two_factor_on": user.has_two_factor,
        "two_factor_required": selectors.two_factor_required(user),
        "memberships": selectors.active_memberships(user),
        "api_token": selectors.api_token(user),
        "disable_form": extra.pop("disable_form", None) or CodeForm(),
        **extra,
    }


@login_required
@never_cache
def security(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(request, "accounts/security.html", _security_context(request, user))


def _format_secret(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@never_cache
@sensitive_post_parameters("code")
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if user.has_two_factor:
        if not is_two_factor_verified(request.session, user):
            logout(request)
            return redirect(f"{reverse('accounts:login')}?reason=two_factor")
        messages.info(request, _("Two-factor authentication is already on."))
        return redirect("accounts:security")
    secret = services.begin_two_factor_enrolment(user=user, actor=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_two_factor(user=user, actor=user, code=form.cleaned_data["code"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            mark_two_factor_verified(request.session, user)
            messages.success(request, _("Two-factor authentication is now on."))
            return redirect(next_url)
    uri = rules.provisioning_uri(secret=secret, account=user.username, issuer=settings.TOTP_ISSUER)
    # segno writes the SVG itself from the URI (no user markup), so it is safe to inline.
    qr_svg = mark_safe(segno.make(uri, error="m").svg_inline(scale=4, title=str(_("QR code"))))  # noqa: S308  # nosec B308 B703  # segno's own SVG, no user markup
    context = {
        "form": form,
        "qr_svg": qr_svg,
        "secret": _format_secret(secret),
        "required": selectors.two_factor_required(user),
        "next": next_url,
        "issuer": settings.TOTP_ISSUER,
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_POST
@sensitive_post_parameters("code")
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            services.disable_two_factor(user=user, actor=user, code=form.cleaned_data["code"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Two-factor authentication is now off."))
            return redirect("accounts:security")
    context = _security_context(request, user, disable_form=form)
    return render(request, "accounts/security.html", context, status=400)


@login_required
@never_cache
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def password_change(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        old_key = request.session.session_key or ""
        try:
            changed = services.change_password(
                user=user,
                actor=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                new_password_again=form.cleaned_data["new_password2"],
                ip=client_ip(request),
                keep_session=old_key,
            )
        except services.LoginLocked as exc:
            logout(request)
            return _locked(request, exc)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            update_session_auth_hash(request, changed)
            services.track_session(user=changed, session_key=str(request.session.session_key), replaces=old_key)
            messages.success(request, _("Your password was changed. Your other sessions were signed out."))
            return redirect("accounts:security")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
@require_POST
@never_cache
def api_token_create(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    key = services.issue_api_token(user=user, actor=user, channel="web")
    return render(request, "accounts/api_token_created.html", {"key": key})


@login_required
@require_POST
def api_token_revoke(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if services.revoke_api_token(user=user, actor=user, channel="web"):
        messages.success(request, _("Your API token was revoked."))
    return redirect("accounts:security")
