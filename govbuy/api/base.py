"""The API's one base: input parsing, strict input serializers, version input, scoped lookups,
paging and the transition view. Every module in `govbuy/api/` builds on these (decision record
`docs/decisions/0008-api-base.md`).

- `parse(InputClass, request)` validates the body (or `query=True`: the query string) and returns
  the validated data; errors at any depth reach the client as `{code, message, fields}` with
  dotted paths (`cost_lines.0.description`) through `govbuy.api.errors.exception_handler`.
- `StrictInputSerializer` refuses undeclared keys ("cannot be set"), wrong JSON types for text (a title
  of 12345) and normalises text (`govbuy.core.text`); nested input serializers inherit it.
- `AmountField` is money or a quantity as a string, parsed by `govbuy.core.money.parse_decimal`.
- `VersionSerializer` is the optimistic-locking input: the version the client read.
- `scoped(selector, ...)` turns the selector's "not in scope" (Http404, DoesNotExist) into the 404
  and lets every other error through.
- `paginate(view, request, queryset, Serializer)` is the one page shape; `answer(Serializer,
  queryset, obj)` the one "read it again and serialize" after a service call.
- `TransitionView`: input → one service call → output, for `POST …/<pk>/<action>/`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, QueryDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from govbuy.api.errors import error_responses
from govbuy.api.pagination import PageNumberPagination
from govbuy.core.errors import NotFound, ValidationFailed
from govbuy.core.money import NOT_EXACT, parse_decimal
from govbuy.core.text import normalise_text

CANNOT_BE_SET = _("This field cannot be set.")
INVALID_BASE64 = _("The content is not valid base64.")


def _normalised(data: Any, names: list[str]) -> Any:
    """A shallow copy of the input with the named text values normalised (files stay as they are)."""
    if isinstance(data, QueryDict):
        copy = QueryDict(mutable=True)
        for key, values in data.lists():
            copy.setlist(key, [normalise_text(v) if key in names and isinstance(v, str) else v for v in values])
        return copy
    return {key: normalise_text(value) if key in names else value for key, value in data.items()}


class StrictInputSerializer(serializers.Serializer):
    """Every API input: undeclared keys refused, text strictly typed and normalised."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)
        errors: dict[str, list[Any]] = {
            name: [serializers.ErrorDetail(str(CANNOT_BE_SET), code="read_only")]
            for name in sorted(set(data) - set(self.fields))
        }
        text: list[str] = []
        for name, field in self.fields.items():
            if not isinstance(field, serializers.CharField) or field.read_only or name not in data:
                continue
            value = data[name]
            if value is not None and not isinstance(value, str):
                errors[name] = [serializers.ErrorDetail(str(field.error_messages["invalid"]), code="invalid")]
            elif isinstance(value, str) and field.trim_whitespace:
                text.append(name)
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(_normalised(data, text) if text else data)


class VersionSerializer(StrictInputSerializer):
    """The version of the record the client read; a stale one answers 409 (optimistic locking)."""

    version = serializers.IntegerField(min_value=1)


class AmountField(serializers.CharField):
    """Yuan or a quantity as a decimal string ("120000.50"); the value passed on is the normalised string."""

    default_error_messages = {"invalid": NOT_EXACT}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return str(parse_decimal(data))
        except ValidationFailed as exc:
            raise serializers.ValidationError(str(exc.message), code=exc.code) from None


class Base64Field(serializers.CharField):
    """A document's content as base64 text; the value passed on is the bytes."""

    default_error_messages = {"not_base64": INVALID_BASE64}

    def to_internal_value(self, data: Any) -> bytes:  # type: ignore[override]
        text = super().to_internal_value(data)
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            self.fail("not_base64")


def parse(
    serializer_class: type[serializers.Serializer], request: Request, *, query: bool = False, **kwargs: Any
) -> dict[str, Any]:
    """The validated input of a request (body, or query string with `query=True`)."""
    serializer = serializer_class(data=request.query_params if query else request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def scoped[T](select: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a selector; "not in your scope" (Http404 or DoesNotExist) is the API's 404."""
    try:
        return select(*args, **kwargs)
    except (Http404, ObjectDoesNotExist) as exc:
        raise NotFound() from exc


def paginate(view: APIView, request: Request, queryset: Any, serializer_class: Any) -> Response:
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


def answer(serializer_class: Any, queryset: Any, obj: Any, code: int = 200) -> Response:
    """The object as stored after a service call, read again through `queryset` (its joins) and
    serialized: a service returns the locked row, not the related rows the answer shows."""
    return Response(serializer_class(queryset.get(pk=obj.pk)).data, status=code)


# `POST …/<pk>/<action>/`: look the object up in scope, parse the input, call one service,
# answer the output serializer of what the service returned (or of `refetch(result)`, or what
# `respond` builds).
#
# Subclasses set `input_serializer`, `output_serializer` and `summary` (the schema is built
# from them), and implement `lookup` and `perform`.
#
# (A comment, not a docstring: drf-spectacular would show a docstring in every operation.)
class TransitionView(APIView):
    input_serializer: type[serializers.Serializer] | None = VersionSerializer  # None: no body
    output_serializer: type[serializers.BaseSerializer]
    status_code = 200
    errors: tuple[int, ...] = (400, 403, 404, 409)
    # The OpenAPI operation: a subclass that sets `summary` is documented from its attributes.
    summary = ""
    operation_id: str | None = None
    tags: list[str] | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "summary" in cls.__dict__:
            missing = [name for name in ("lookup", "perform") if not hasattr(cls, name)]
            if missing:
                raise TypeError(f"{cls.__name__} must define {' and '.join(missing)}")
            schema = extend_schema(
                summary=cls.summary,
                request=cls.input_serializer,
                responses={cls.status_code: cls.output_serializer, **error_responses(*cls.errors)},
                operation_id=cls.operation_id,
                tags=cls.tags,
            )
            extend_schema_view(post=schema)(cls)

    # What each concrete view defines: the object in the user's scope, and the one service call.
    lookup: Callable[..., Any]
    perform: Callable[..., Any]

    def refetch(self, result: Any) -> Any:
        return result

    def respond(self, request: Request, result: Any) -> Response:
        return Response(self.output_serializer(self.refetch(result)).data, status=self.status_code)

    def post(self, request: Request, **kwargs: Any) -> Response:
        # The scope first: outside it the answer is 404 whatever the body says.
        obj = scoped(self.lookup, request, **kwargs)
        data = parse(self.input_serializer, request) if self.input_serializer else {}
        return self.respond(request, self.perform(request, obj, data))
