"""Active content in PDF documents, found by parsing them (pypdf), not by searching their bytes.

A name like /JavaScript can hide in a compressed object stream, behind a #-escape, or in an
incremental update; a byte search sees none of these. `active_content(data)` walks every object
the document's cross-reference tables (and their repair) lead to, inside object streams too, and
answers the first thing a document of evidence never needs: scripts, actions that run on opening
or on events, links that leave the document or submit it, embedded files, XFA forms, multimedia.
It also reads every object stream's decoded text, so an object no table points at is still seen.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

logger = logging.getLogger("govbuy.uploads")

# Keys whose mere presence makes a document active.
FORBIDDEN_KEYS = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/AA",  # additional actions: on page open/close, field events, document events
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/XFA",
        "/Launch",
    }
)
# Action types (/S) refused wherever an action dictionary appears (/OpenAction, /A of a link…).
FORBIDDEN_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/URI",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/Rendition",
        "/Sound",
        "/Movie",
        "/RichMediaExecute",
        "/ResetForm",
    }
)
# The same names, searched in decoded object streams (after undoing #xx escapes).
_RAW_NAMES = re.compile(
    rb"/(JavaScript|JS|AA|EmbeddedFiles?|RichMedia|XFA|Launch|URI|SubmitForm|ImportData|GoToR|GoToE|OpenAction)"
    rb"(?![A-Za-z0-9])"
)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
MAX_OBJECTS = 200_000


def unescape_names(data: bytes) -> bytes:
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)


class Unreadable(Exception):
    """The document cannot be parsed (or is encrypted with a password): it cannot be checked."""


def _problem_in(obj: Any, seen: set[int]) -> str | None:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            # Indirect objects are visited from the object table itself; not followed here, so
            # a reference cycle costs nothing.
            continue
        if isinstance(item, DictionaryObject):
            if id(item) in seen:
                continue
            seen.add(id(item))
            for key, value in item.items():
                if key in FORBIDDEN_KEYS:
                    return str(key)
                if key == "/S" and str(value) in FORBIDDEN_ACTIONS:
                    return str(value)
                if key == "/OpenAction" and not isinstance(value, ArrayObject):
                    # A destination array (open at page n) is harmless; an action is not.
                    target = value.get_object() if isinstance(value, IndirectObject) else value
                    if isinstance(target, DictionaryObject):
                        return "/OpenAction"
                stack.append(value)
            if isinstance(item, StreamObject) and item.get("/Type") == "/ObjStm":
                # The decoded text of an object stream: objects no table points at live here too.
                found = _RAW_NAMES.search(unescape_names(item.get_data()))
                if found is not None and found.group(1) != b"OpenAction":
                    return "/" + found.group(1).decode()
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None


def _object_numbers(reader: Any) -> list[tuple[int, int]]:
    numbers: set[tuple[int, int]] = set()
    for generation, table in reader.xref.items():
        numbers.update((number, generation) for number in table)
    numbers.update((number, 0) for number in reader.xref_objStm)
    return sorted(numbers)


def active_content(data: bytes) -> str | None:
    """The first active element of the document (a PDF name such as "/JavaScript"), or None.
    Raises Unreadable when the document cannot be parsed or opened."""
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("encrypted")
        found = _problem_in(reader.trailer, set())
        if found is not None:
            return found
        numbers = _object_numbers(reader)
        if len(numbers) > MAX_OBJECTS:
            raise Unreadable("too many objects")
        seen: set[int] = set()
        for number, generation in numbers:
            obj = reader.get_object(IndirectObject(number, generation, reader))
            found = _problem_in(obj, seen)
            if found is not None:
                return found
    except Unreadable:
        raise
    except Exception as exc:  # pypdf raises many kinds for damaged files; all mean "cannot check"
        logger.info("upload.pdf.unreadable error=%s", type(exc).__name__)
        raise Unreadable(type(exc).__name__) from exc
    return None
