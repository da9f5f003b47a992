"""Write-once document storage with integrity checks on read (design/reliability.md R7).

Files go through Django's storage API (file system by default, object storage in production).
A stored name is never overwritten: names are derived from the content hash, so saving the same
bytes twice finds the existing file and keeps it. Every read re-hashes the bytes and refuses
to hand out a file whose hash no longer matches the one recorded at upload.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.utils.translation import gettext_lazy as _

from govbuy.core.errors import DomainError, ValidationFailed
from govbuy.core.uploads import InspectedUpload

logger = logging.getLogger("govbuy.security")


class DocumentIntegrityError(DomainError):
    """A stored file's bytes no longer match the sha256 recorded when it was uploaded."""

    code = "integrity_error"
    status = 500
    default_message = _(
        "The stored document failed its integrity check and was not served. The platform operator has been alerted."
    )


class DocumentMissing(DomainError):
    code = "document_missing"
    status = 500
    default_message = _("The stored document cannot be found. The platform operator has been alerted.")


def _storage(storage: Storage | None) -> Storage:
    return storage if storage is not None else default_storage


def document_path(*, prefix: str, upload: InspectedUpload) -> str:
    """The storage name for a checked upload: `<prefix>/<2 hex>/<sha256 prefix>.<ext>`."""
    if not prefix or prefix.startswith("/") or ".." in prefix.split("/"):
        raise ValueError("document prefix must be a relative path without '..'")
    return f"{prefix.rstrip('/')}/{upload.sha256[:2]}/{upload.safe_name}"


def save_once(*, path: str, data: bytes, sha256: str, storage: Storage | None = None) -> str:
    """Store `data` under `path` unless that name exists; never overwrite. Returns the name.

    An existing file under the name must hold the same bytes (the name comes from the hash);
    if it does not, the stored copy is corrupt and DocumentIntegrityError says so.
    """
    store = _storage(storage)
    if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), sha256):
        raise ValidationFailed(_("The file changed while it was being stored. Upload it again."))
    if store.exists(path):
        read_verified(path, sha256, storage=store)
        return path
    saved = store.save(path, ContentFile(data))
    if saved != path:
        # Another request stored the same name between our check and our write; the storage
        # picked a fresh name for ours instead of overwriting. Keep theirs, drop the copy.
        store.delete(saved)
        read_verified(path, sha256, storage=store)
    return path


def read_verified(path: str, sha256: str, *, storage: Storage | None = None) -> bytes:
    """The stored bytes, after checking they still hash to `sha256`."""
    store = _storage(storage)
    try:
        with store.open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        logger.error("document missing path=%s", path)
        raise DocumentMissing() from None
    if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), sha256):
        logger.error("document integrity failure path=%s expected=%s", path, sha256)
        raise DocumentIntegrityError()
    return data


def open_verified(path: str, sha256: str, *, storage: Storage | None = None) -> ContentFile:
    """A file object over the verified bytes, ready for FileResponse."""
    return ContentFile(read_verified(path, sha256, storage=storage), name=path.rsplit("/", 1)[-1])


def check_stored(path: str, sha256: str, *, storage: Storage | None = None) -> str | None:
    """For sweeps: None when the file is intact, else "missing" or "corrupt"."""
    try:
        read_verified(path, sha256, storage=storage)
    except DocumentMissing:
        return "missing"
    except DocumentIntegrityError:
        return "corrupt"
    return None
