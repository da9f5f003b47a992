"""Canonical JSON for OCDS documents: sorted keys, no spaces, UTF-8, and Decimal amounts written
as the exact JSON numbers they are (the standard library would need a float on the way, and
0.1 + 0.2 is not a price). Floats are refused: an amount that reached a release as a float has
already been rounded somewhere."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any


def _chunks(value: Any) -> Iterator[str]:
    if value is None:
        yield "null"
    elif value is True:
        yield "true"
    elif value is False:
        yield "false"
    elif isinstance(value, str):
        yield encode_basestring(value)
    elif isinstance(value, int):
        yield int.__repr__(value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a JSON number")
        yield str(value)
    elif isinstance(value, float):
        raise TypeError("floats are not allowed in OCDS documents: use Decimal")
    elif isinstance(value, dict):
        if not value:
            yield "{}"
            return
        yield "{"
        first = True
        for key in sorted(value):
            if not isinstance(key, str):
                raise TypeError(f"JSON object keys must be strings, got {key!r}")
            if not first:
                yield ","
            first = False
            yield encode_basestring(key)
            yield ":"
            yield from _chunks(value[key])
        yield "}"
    elif isinstance(value, (list, tuple)):
        if not value:
            yield "[]"
            return
        yield "["
        for index, item in enumerate(value):
            if index:
                yield ","
            yield from _chunks(item)
        yield "]"
    else:
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: Any) -> str:
    """Canonical text (the bytes a release's sha256 covers)."""
    return "".join(_chunks(value))


def loads(text: str | bytes) -> Any:
    """Parse keeping every number exact (fractions become Decimal)."""
    return json.loads(text, parse_float=Decimal)
