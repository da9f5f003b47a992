"""The hash of an audit event, and the signature of a checkpoint.

Scheme 2 (every event written since the chain became keyed): HMAC-SHA256 under
GOVBUY_AUDIT_CHAIN_KEY over canonical JSON of the previous hash, the scheme and every field. The
key lives outside the database, so someone who can write to the database can neither edit an
event nor rewrite the tail after the last checkpoint and recompute the hashes: without the key the
hashes do not come out right.

Scheme 1 (events written before): plain sha256 over the same JSON without the scheme. The
verifier accepts it only up to the signed legacy boundary (`LEGACY_BOUNDARY_REASON`), so a tail
rewritten later with plain hashes is found.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

from django.conf import settings

GENESIS_HASH = "0" * 64
PLAIN_SCHEME = 1
KEYED_SCHEME = 2
CURRENT_SCHEME = KEYED_SCHEME
# The reason of the checkpoint the keying migration signs at the head of a chain that existed
# before: plain-hashed events are valid up to its position and nowhere else. Users cannot take a
# checkpoint with this reason (services.create_checkpoint refuses it).
LEGACY_BOUNDARY_REASON = "legacy-plain-hashes-end"
HASHED_FIELDS = (
    "position",
    "occurred_at",
    "actor_id",
    "actor_label",
    "organisation_id",
    "organisation_label",
    "region_id",
    "action",
    "object_type",
    "object_id",
    "changes",
    "data",
    "request_id",
    "ip",
)


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def jsonable(value: Any) -> Any:
    """Make values storable in a JSONField and stable under hashing (Decimal, dates → str)."""
    return json.loads(canonical_json(value))


def format_time(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def chain_key() -> bytes:
    return str(settings.GOVBUY_AUDIT_CHAIN_KEY).encode()


def event_hash(prev_hash: str, fields: dict[str, Any], *, scheme: int = CURRENT_SCHEME) -> str:
    """The hash of one event under `scheme` ("" for a scheme this code does not know, which
    never matches a stored hash)."""
    payload = {name: fields[name] for name in HASHED_FIELDS}
    payload["occurred_at"] = format_time(payload["occurred_at"])
    payload["prev_hash"] = prev_hash
    if scheme == PLAIN_SCHEME:
        return hashlib.sha256(canonical_json(payload)).hexdigest()
    if scheme == KEYED_SCHEME:
        payload["scheme"] = scheme
        return hmac.new(chain_key(), canonical_json(payload), hashlib.sha256).hexdigest()
    return ""


def checkpoint_signature(*, key: str, position: int, head_hash: str, reason: str, created_at: datetime) -> str:
    """HMAC-SHA256 over the checkpoint's canonical JSON. The key lives outside the database, so
    someone who rewrites the chain (and recomputes every hash) cannot also mint checkpoints."""
    payload = {
        "position": position,
        "head_hash": head_hash,
        "reason": reason,
        "created_at": format_time(created_at),
    }
    return hmac.new(key.encode(), canonical_json(payload), hashlib.sha256).hexdigest()


def signature_matches(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())
