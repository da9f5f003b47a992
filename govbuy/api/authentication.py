from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <token>` (the usual spelling for API clients)."""

    keyword = "Bearer"
