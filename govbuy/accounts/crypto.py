"""Secrets of the accounts app at rest: TOTP secrets encrypted, API tokens hashed.

TOTP secrets must be read back (the server computes the expected code), so they are encrypted
with AES-GCM under a key that never enters the database: GOVBUY_TOTP_KEY in production (a
system check refuses to start without it), SECRET_KEY in development and tests. The AES key is
derived with HKDF and a purpose label, so the configured value is never used directly and the
same value could not open anything sealed for another purpose. The user's id is the associated
data: a ciphertext copied onto another user's row fails to open instead of giving that user the
copied secret. Stored form: "v1:" + base64(nonce + ciphertext); the prefix leaves room for a
later key or algorithm without guessing which one a row used.

API tokens need only be recognised, never read back, and are 256 random bits: a plain sha256
of the key is enough (a slow password hash would only slow every API request, since nobody can
guess a random 256-bit value).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TOTP_VERSION = "v1"
TOTP_PURPOSE = b"govbuy/accounts/totp-secret/v1"
NONCE_BYTES = 12
# Keys shorter than this are refused in production (the system check says why).
MIN_KEY_CHARS = 32
API_TOKEN_BYTES = 32
API_TOKEN_PREFIX_CHARS = 8


class UnreadableSecret(Exception):
    """The stored TOTP secret does not open: another user's row, a damaged value or a wrong key."""


def totp_key_material() -> str:
    value = str(getattr(settings, "GOVBUY_TOTP_KEY", "") or "")
    if value:
        return value
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured("GOVBUY_TOTP_KEY must be set in production")
    return str(settings.SECRET_KEY)


def _totp_key() -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=TOTP_PURPOSE)
    return hkdf.derive(totp_key_material().encode())


def _aad(user_id: int) -> bytes:
    return f"govbuy-totp:{user_id}".encode()


def encrypt_totp_secret(*, user_id: int, secret: str) -> str:
    if not user_id:
        raise ValueError("a TOTP secret is bound to a saved user")
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(_totp_key()).encrypt(nonce, secret.encode(), _aad(user_id))
    return f"{TOTP_VERSION}:" + base64.b64encode(nonce + sealed).decode()


def decrypt_totp_secret(*, user_id: int, stored: str) -> str:
    version, _sep, payload = stored.partition(":")
    if version != TOTP_VERSION or not payload:
        raise UnreadableSecret("unknown format")
    try:
        raw = base64.b64decode(payload, validate=True)
        plain = AESGCM(_totp_key()).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(user_id))
    except (binascii.Error, ValueError, InvalidTag):
        raise UnreadableSecret("does not open for this user with this key") from None
    return plain.decode()


def new_api_token() -> str:
    return secrets.token_urlsafe(API_TOKEN_BYTES)


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_prefix(key: str) -> str:
    """The first characters, shown to the user to tell their token apart (not enough to guess it)."""
    return key[:API_TOKEN_PREFIX_CHARS]
