"""Validation against the official OCDS 1.1.5 schemas, offline.

The schema files are read at run time from settings.SHARED_DIR / "ocds" (never copied into the
repository). The release schema is patched with our local extension (JSON Merge Patch, RFC 7386,
as OCDS extensions are applied) and registered in a `referencing.Registry` under the official
`id` URLs, so the package schemas' absolute `$ref`s resolve to the local files.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

EXTENSION_DIR = Path(__file__).resolve().parent / "ocds_extension"
# Our local extension (docs/ocds.md): its own small patch, not a copy of the OCDS schema, which is
# always read from ../shared/ocds. Served under the names the extension standard requires.
EXTENSION_FILES = {
    "extension.json": EXTENSION_DIR / "extension.json",
    "release-schema.json": EXTENSION_DIR / "local-release-schema-patch.json",
}


def shared_ocds_dir() -> Path:
    return Path(settings.SHARED_DIR) / "ocds"


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge recursively, null deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@cache
def release_schema() -> dict[str, Any]:
    return _load(shared_ocds_dir() / "release-schema.json")


@cache
def patched_release_schema() -> dict[str, Any]:
    return merge_patch(release_schema(), _load(EXTENSION_FILES["release-schema.json"]))


@cache
def _validators() -> dict[str, Draft4Validator]:
    base = shared_ocds_dir()
    schemas = {
        "release": patched_release_schema(),
        "release-package": _load(base / "release-package-schema.json"),
        "record-package": _load(base / "record-package-schema.json"),
        "versioned-release": _load(base / "versioned-release-validation-schema.json"),
    }
    registry: Registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)) for schema in schemas.values()
    )
    return {
        name: Draft4Validator(schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)
        for name, schema in schemas.items()
    }


def errors(kind: str, document: Any) -> list[str]:
    """Messages of every violation of `kind` ("release", "release-package", "record-package"),
    with the path of each; an empty list when the document is valid."""
    validator = _validators()[kind]
    found = sorted(validator.iter_errors(document), key=lambda error: list(map(str, error.absolute_path)))
    return [f"/{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in found]
