"""Sealed bids at rest (design/reliability.md R5).

Each tender gets a random 256-bit data key, wrapped (AES key wrap, RFC 3394) by the
key-encryption key (KEK), which never enters the database: production reads it from the
environment (GOVBUY_BID_KEK, base64 of 32 bytes), development and tests from a file under var/
made on first use. A bid is sealed with AES-GCM under the tender's data key; the associated data
binds the ciphertext to its tender, lot and provider, so a sealed blob copied onto another bid
row fails to open instead of opening as someone else's bid.

The receipt hash covers the submitted content *and* a random salt sealed with it. Without the
salt a dump holder could hash candidate prices until one matched the receipt; with it the hash
is unguessable until the opening reveals the salt, and then anyone can recompute it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
from decimal import Decimal
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32
NONCE_BYTES = 12


def _decode(value: str) -> bytes:
    try:
        key = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured("GOVBUY_BID_KEK must be base64 of 32 bytes") from None
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured("GOVBUY_BID_KEK must be base64 of 32 bytes")
    return key


def kek_problem() -> str | None:
    """Why the KEK is unusable in this environment, or None (used by the system check)."""
    value = str(getattr(settings, "GOVBUY_BID_KEK", "") or "")
    if value:
        try:
            _decode(value)
        except ImproperlyConfigured as exc:
            return str(exc)
        return None
    if getattr(settings, "PRODUCTION", False):
        return "GOVBUY_BID_KEK is not set: production must take the bid key-encryption key from the environment"
    return None


def _file_kek(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two processes starting at once agree on one key (the loser reads the winner's).
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _decode(path.read_text())
    with os.fdopen(fd, "w") as handle:
        handle.write(base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode())
    return _decode(path.read_text())


def kek() -> bytes:
    value = str(getattr(settings, "GOVBUY_BID_KEK", "") or "")
    if value:
        return _decode(value)
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured("GOVBUY_BID_KEK must be set in production")
    return _file_kek(Path(settings.GOVBUY_BID_KEK_FILE))


def new_wrapped_key() -> bytes:
    return aes_key_wrap(kek(), secrets.token_bytes(KEY_BYTES))


def _data_key(wrapped: bytes | memoryview) -> bytes:
    try:
        return aes_key_unwrap(kek(), bytes(wrapped))
    except InvalidUnwrap:
        raise ImproperlyConfigured("the bid key-encryption key does not open this tender's key") from None


def _aad(tender_id: int, lot_id: int, provider_id: int) -> bytes:
    return f"govbuy-bid:{tender_id}:{lot_id}:{provider_id}".encode()


def canonical(content: dict[str, Any]) -> bytes:
    def default(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        raise TypeError(type(value).__name__)

    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=default).encode()


def receipt_hash(content: dict[str, Any]) -> str:
    """sha256 of the canonical content (which includes its salt)."""
    return hashlib.sha256(canonical(content)).hexdigest()


def salted(content: dict[str, Any]) -> dict[str, Any]:
    return {**content, "salt": secrets.token_hex(16)}


def seal(
    *, wrapped_key: bytes | memoryview, tender_id: int, lot_id: int, provider_id: int, content: dict[str, Any]
) -> tuple[bytes, bytes]:
    """(nonce, ciphertext) of the content."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    ciphertext = AESGCM(_data_key(wrapped_key)).encrypt(nonce, canonical(content), _aad(tender_id, lot_id, provider_id))
    return nonce, ciphertext


def unseal(
    *,
    wrapped_key: bytes | memoryview,
    tender_id: int,
    lot_id: int,
    provider_id: int,
    nonce: bytes | memoryview,
    ciphertext: bytes | memoryview,
) -> dict[str, Any]:
    plaintext = AESGCM(_data_key(wrapped_key)).decrypt(
        bytes(nonce), bytes(ciphertext), _aad(tender_id, lot_id, provider_id)
    )
    result: dict[str, Any] = json.loads(plaintext)
    return result
