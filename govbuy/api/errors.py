"""One error shape for the whole API: {"code", "message", "fields"}, translated.

`code` is stable (clients branch on it), `message` is a sentence in the request's language,
`fields` maps an input path ("items.0.amount", "non_field_errors") to its messages.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from govbuy.core.errors import DomainError

# Django forms/models say "__all__"; DRF says "non_field_errors": clients see one spelling.
_NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


# DRF messages without a translation in DRF's own catalogue (hard-coded English there), in ours.
_UNTRANSLATED = {
    "No data provided": gettext_lazy("No data was provided."),
    "This field cannot be set.": gettext_lazy("This field cannot be set."),
}


def _message(message: object) -> str:
    text = str(message)
    return str(_UNTRANSLATED.get(text, text))


def _key(key: object) -> str:
    return _NON_FIELD if key == NON_FIELD_ERRORS else str(key)


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error detail into {"a.b.0.c": [messages]}."""
    out: dict[str, list[str]] = {}

    def put(path: str, message: object) -> None:
        out.setdefault(path or _NON_FIELD, []).append(_message(message))

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{_key(key)}" if path else _key(key))
        elif isinstance(node, list):
            if all(not isinstance(item, (dict, list)) for item in node):
                for item in node:
                    put(path, item)
            else:
                # A list of nested objects (ListSerializer): errors are positional, empty = fine.
                for index, item in enumerate(node):
                    if item:
                        walk(item, f"{path}.{index}" if path else str(index))
        else:
            put(path, node)

    walk(detail, prefix)
    return out


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": fields or {}}


def _code_of(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else str(exc.default_code)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            fields = {_key(k): [str(m) for m in v] for k, v in exc.message_dict.items()}
        else:
            fields = {_NON_FIELD: [str(m) for m in exc.messages]}
        return Response(error_body("invalid", _("The data is not valid."), fields), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        # Http404's own text can name the model or the lookup; the client learns only "not found".
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        # Unexpected errors stay 500s: Django logs the traceback and answers without details.
        return None
    if isinstance(exc, exceptions.ParseError):
        # DRF's text quotes the parser ("JSON parse error - Expecting …"): English, and not the client's concern.
        body = error_body("parse_error", _("The request body could not be read (malformed JSON or form data)."))
    elif isinstance(exc, exceptions.ValidationError):
        body = error_body("invalid", _("The data is not valid."), _flatten(exc.detail))
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        message = _message(detail) if not isinstance(detail, (dict, list)) else _("The request could not be processed.")
        body = error_body(_code_of(exc), message)
    else:  # pragma: no cover - DRF only builds responses for APIException subclasses
        body = error_body("error", _("The request could not be processed."))
    response.data = body
    return response


ERROR_SERIALIZER = inline_serializer(
    name="Error",
    fields={
        "code": serializers.CharField(help_text="Stable machine-readable code, e.g. not_found, invalid, conflict."),
        "message": serializers.CharField(help_text="A sentence in the request's language."),
        "fields": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text='Messages per input path, e.g. {"items.0.amount": ["..."]}.',
        ),
    },
)


def error_responses(*statuses: int) -> dict[int, Any]:
    """For `@extend_schema(responses={200: X, **error_responses(400, 404, 409)})`."""
    return dict.fromkeys(statuses, ERROR_SERIALIZER)
