"""API for signing in and the signed-in user.

POST /auth/token/ trades a username, password and (when enrolled) a TOTP code for a Bearer
token, under the same (username, IP) lockout as the sign-in page plus a per-IP throttle; the
server keeps only the token's hash, so this answer is the only place it appears. DELETE revokes
the caller's token. GET /me/ describes the caller: memberships and two-factor.
POST /me/password/ changes the caller's password with the page's rules."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from govbuy.accounts import selectors, services
from govbuy.accounts.middleware import two_factor_enforced
from govbuy.accounts.models import User
from govbuy.api.accounts.serializers import (
    MeSerializer,
    PasswordChangeSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)
from govbuy.api.base import parse
from govbuy.api.errors import error_responses
from govbuy.core.errors import PermissionRefused, ValidationFailed
from govbuy.core.middleware import client_ip


class LoginRateThrottle(AnonRateThrottle):
    """Per client address, at the "login" rate in settings. The address is the one the rest of
    the project uses (REMOTE_ADDR), not X-Forwarded-For, which a client could make up."""

    scope = "login"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request._request) or "unknown"}


def me_data(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "is_platform_admin": user.is_superuser,
        "two_factor": {"enabled": user.has_two_factor, "required": selectors.two_factor_required(user)},
        "memberships": list(selectors.active_memberships(user)),
    }


# --- Views -------------------------------------------------------------------------------------


class AuthTokenView(APIView):
    throttle_classes = [LoginRateThrottle]

    def get_permissions(self) -> list[Any]:
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self) -> list[Any]:
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(
        operation_id="auth_token_create",
        summary="Get an API token",
        description="Username and password, plus `totp` when the user has two-factor on. Five failures for "
        "one username from one address lock that pair for 15 minutes (429, code `login_locked`); "
        "other users and addresses are not affected. Users whose role requires two-factor must "
        "set it up on the website first (403, code `two_factor_required`). A new token replaces "
        "any earlier one. The token appears only in this answer: the server keeps its hash, not the token.",
        request=TokenRequestSerializer,
        responses={201: TokenResponseSerializer, **error_responses(400, 403, 429)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = parse(TokenRequestSerializer, request)
        ip = client_ip(request._request)
        user = services.authenticate_password(username=data["username"], password=data["password"], ip=ip)
        if user.has_two_factor:
            if not data["totp"].strip():
                message = _("Enter the code from your authenticator app.")
                raise ValidationFailed(message, code="totp_required", fields={"totp": [message]})
            user = services.authenticate_totp(user_pk=user.pk, username=user.username, code=data["totp"], ip=ip)
        elif two_factor_enforced() and selectors.two_factor_required(user):
            raise PermissionRefused(
                _("Your role requires two-factor authentication. Set it up on the website first."),
                code="two_factor_required",
            )
        key = services.issue_api_token(user=user, actor=user, channel="api")
        services.sign_in_completed(user=user, ip=ip, two_factor=user.has_two_factor, channel="api")
        return Response(TokenResponseSerializer({"token": key, "user": me_data(user)}).data, status=201)

    @extend_schema(
        operation_id="auth_token_revoke",
        summary="Revoke your API token",
        request=None,
        responses={204: None, **error_responses(401, 403)},
    )
    def delete(self, request: Request) -> Response:
        services.revoke_api_token(user=request.user, actor=request.user, channel="api")  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(
        operation_id="me_retrieve",
        summary="Who am I",
        description="The signed-in user, their memberships (organisation, kind, role, region) and "
        "whether two-factor authentication is on and required for them.",
        responses={200: MeSerializer, **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(me_data(request.user)).data)  # type: ignore[arg-type]


class PasswordChangeView(APIView):
    throttle_classes = [LoginRateThrottle]

    @extend_schema(
        operation_id="me_password_change",
        summary="Change your password",
        description="At least 12 characters, not a common password, not like your username. A wrong old "
        "password counts towards the sign-in lockout. Your other sessions end.",
        request=PasswordChangeSerializer,
        responses={204: None, **error_responses(400, 401, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        data = parse(PasswordChangeSerializer, request)
        django_request = request._request
        session = getattr(django_request, "session", None)
        keep = (session.session_key or "") if session is not None and request.auth is None else ""
        user = services.change_password(
            user=request.user,  # type: ignore[arg-type]
            actor=request.user,  # type: ignore[arg-type]
            old_password=data["old_password"],
            new_password=data["new_password1"],
            new_password_again=data["new_password2"],
            ip=client_ip(django_request),
            keep_session=keep,
        )
        if keep:
            update_session_auth_hash(django_request, user)
            services.track_session(user=user, session_key=str(django_request.session.session_key), replaces=keep)
        return Response(status=status.HTTP_204_NO_CONTENT)
