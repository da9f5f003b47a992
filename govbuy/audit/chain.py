"""The hash of an audit event: sha256 over canonical JSON of the previous hash and the fields."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64
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


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = {name: fields[name] for name in HASHED_FIELDS}
    payload["occurred_at"] = format_time(payload["occurred_at"])
    payload["prev_hash"] = prev_hash
    return hashlib.sha256(canonical_json(payload)).hexdigest()


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
