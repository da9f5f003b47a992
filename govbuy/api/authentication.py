from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from govbuy.accounts import services


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <token>` (the usual spelling for API clients). The header parsing
    (and the schema drf-spectacular writes for it) is DRF's; the lookup is ours, by the sha256 of
    the key (govbuy.accounts.models.ApiToken), since the key itself is not stored."""

    keyword = "Bearer"

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        token = services.authenticate_api_token(key)
        if token is None:
            # DRF's own message (already translated); an unknown key, a revoked one and one of a
            # deactivated user read the same, so the answer does not tell which accounts exist.
            raise AuthenticationFailed(_("Invalid token."))
        return token.user, token
