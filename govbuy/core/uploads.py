"""The one place that checks uploaded files, for every app (design/reliability.md R14).

`inspect_upload` accepts a file only when its extension names an allowed kind AND its bytes are
that kind: magic bytes at offset 0, a well-formed structure, and nothing else hiding in it (an
executable, a second format glued on, an archive inside an archive, a zip bomb). The original
name is kept only as display text; the stored name is generated from the content hash.

Every refusal is a `ValidationFailed` with a translated message under the field "file".
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext_lazy as _

from govbuy.core import pdfcheck
from govbuy.core.errors import ValidationFailed

KINDS: frozenset[str] = frozenset({"pdf", "png", "jpeg", "xlsx", "docx", "csv"})

# extension (lower case, without the dot) → kind
EXTENSIONS: dict[str, str] = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "xlsx": "xlsx",
    "docx": "docx",
    "csv": "csv",
}

CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv",
}

# The main part an OOXML package of each kind must declare in [Content_Types].xml. The
# macro-enabled variants (xlsm/docm) declare a different main part and are refused by this.
_OOXML_MAIN_PART: dict[str, bytes] = {
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
}
_OOXML_ROOT_DIR: dict[str, str] = {"xlsx": "xl/", "docx": "word/"}

# Executable and script headers refused whatever the extension says.
_EXECUTABLE_MAGIC: tuple[bytes, ...] = (
    b"MZ",  # DOS / Windows PE
    b"\x7fELF",  # Linux, BSD
    b"#!",  # scripts
    b"\xca\xfe\xba\xbe",  # Mach-O fat binary, Java class
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\x00asm",  # WebAssembly
    b"dex\n",  # Android
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE2: .doc/.xls/.msi, the classic macro carrier
)

# Other containers, refused as members of an OOXML package (no archive inside an archive).
_ARCHIVE_MAGIC: tuple[bytes, ...] = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",  # gzip
    b"BZh",
    b"\xfd7zXZ\x00",
    b"MSCF",  # cabinet
)
_ARCHIVE_SUFFIXES = (".zip", ".jar", ".rar", ".7z", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".cab", ".xlsx", ".docx")
_OOXML_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_ZIP_PATCHED_DATA = 0x20  # general-purpose flag bit 5: "compressed patched data"

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_PNG_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"
_ZIP_EOCD = b"PK\x05\x06"
# A zip reader looks for the end-of-central-directory record this far back from the end
# (22-byte record + the longest possible comment).
_ZIP_TAIL_WINDOW = 22 + 0xFFFF

# PDF names that run code, act on opening or leave the document, searched in the raw bytes first
# (cheap, and it sees what a damaged cross-reference table hides); the parser then looks inside
# compressed object streams (govbuy.core.pdfcheck).
_PDF_ACTIVE = re.compile(
    rb"/(JavaScript|JS|AA|Launch|EmbeddedFile|EmbeddedFiles|RichMedia|XFA|URI|SubmitForm|ImportData|GoToR|GoToE)"
    rb"(?![A-Za-z0-9])"
)

# Bidi embeddings/overrides/isolates and marks: they make "gpj.exe" display as "exe.jpg".
_BIDI = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")
_MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class InspectedUpload:
    kind: str
    extension: str
    content_type: str
    size: int
    sha256: str
    safe_name: str
    # The original name, checked and normalised: shown to people, never used as a path.
    display_name: str = ""


def _refuse(message: object) -> ValidationFailed:
    return ValidationFailed(message, code="upload_refused", fields={"file": [message]})


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def check_name(name: str) -> str:
    """The display form of an uploaded file's name, or ValidationFailed if it is unsafe."""
    if not name or not name.strip():
        raise _refuse(_("The file has no name."))
    normalised = unicodedata.normalize("NFC", name).strip()
    if any(ch in _BIDI for ch in normalised):
        raise _refuse(_("The file name contains right-to-left or other direction-changing characters."))
    for ch in normalised:
        if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}:
            raise _refuse(_("The file name contains control characters."))
    if "/" in normalised or "\\" in normalised or _WINDOWS_DRIVE.match(normalised):
        raise _refuse(_("The file name must not contain a path (no '/', '\\', '..' or drive letters)."))
    if normalised in {".", ".."} or normalised.startswith(".."):
        raise _refuse(_("The file name must not contain a path (no '/', '\\', '..' or drive letters)."))
    if len(normalised) > _MAX_NAME_LENGTH:
        raise _refuse(_("The file name is too long (at most %(limit)d characters).") % {"limit": _MAX_NAME_LENGTH})
    return normalised


def _extension_of(display_name: str) -> str:
    stem, dot, ext = display_name.rpartition(".")
    if not dot or not stem:
        return ""
    return ext.lower()


def _allowed_list(allowed: frozenset[str]) -> str:
    return ", ".join(sorted(ext for ext, kind in EXTENSIONS.items() if kind in allowed))


def _check_not_executable(data: bytes) -> None:
    if data.startswith(_EXECUTABLE_MAGIC):
        raise _refuse(_("The file is a program or script, not a document. It was refused."))


def _check_no_trailing_zip(data: bytes) -> None:
    """Refuse a non-zip file that a zip reader would also open (e.g. a PNG with a zip appended)."""
    if _ZIP_EOCD in data[-_ZIP_TAIL_WINDOW:]:
        raise _refuse(_("The file also contains an archive (a polyglot file). It was refused."))


def _check_pdf(data: bytes) -> None:
    if not data.startswith(b"%PDF-"):
        raise _refuse(_("The file's content is not a PDF document."))
    if b"%%EOF" not in data[-1024:]:
        raise _refuse(_("The PDF document is incomplete (no end-of-file marker)."))
    active = _refuse(
        _(
            "The PDF document contains scripts, actions, links to outside, forms that submit, or embedded files. "
            "It was refused; print it to a plain PDF and upload that."
        )
    )
    if _PDF_ACTIVE.search(pdfcheck.unescape_names(data)):
        raise active
    try:
        found = pdfcheck.active_content(data)
    except pdfcheck.Unreadable:
        raise _refuse(_("The PDF document cannot be read (damaged, or protected by a password).")) from None
    if found is not None:
        raise active


def _check_png(data: bytes) -> None:
    if not data.startswith(_PNG_MAGIC):
        raise _refuse(_("The file's content is not a PNG image."))
    if not data.endswith(_PNG_IEND):
        raise _refuse(_("The PNG image has data after its end (or is truncated). It was refused."))


def _check_jpeg(data: bytes) -> None:
    if not data.startswith(b"\xff\xd8\xff"):
        raise _refuse(_("The file's content is not a JPEG image."))
    if b"\xff\xd9" not in data[-64:]:
        raise _refuse(_("The JPEG image has data after its end (or is truncated). It was refused."))


def _check_csv(data: bytes) -> None:
    if b"\x00" in data:
        raise _refuse(_("The CSV file contains binary data (NUL bytes)."))
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            raise _refuse(_("The CSV file is not text in UTF-8 or GB18030.")) from None


def _bad_member_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or _WINDOWS_DRIVE.match(name):
        return True
    if any(part in {"..", "."} for part in name.split("/")):
        return True
    return any(unicodedata.category(ch) in {"Cc", "Cf"} or ch in _BIDI for ch in name)


def _check_ooxml(data: bytes, kind: str) -> None:
    not_package = _refuse(_("The file's content is not a valid %(kind)s document.") % {"kind": kind.upper()})
    if not data.startswith(b"PK\x03\x04"):
        raise not_package
    if b"%PDF-" in data[:1024]:
        raise _refuse(_("The file is both an archive and a PDF (a polyglot file). It was refused."))
    max_members = _limit("GOVBUY_UPLOAD_ZIP_MAX_MEMBERS", 1000)
    max_total = _limit("GOVBUY_UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
    max_ratio = _limit("GOVBUY_UPLOAD_ZIP_MAX_RATIO", 100)
    bomb = _refuse(_("The archive expands to far more than its size (a zip bomb). It was refused."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, struct.error, EOFError, NotImplementedError):
        raise not_package from None
    with archive:
        members = archive.infolist()
        if not members:
            raise not_package
        if len(members) > max_members:
            raise _refuse(_("The archive has too many entries (at most %(limit)d).") % {"limit": max_members})
        # The end-of-central-directory record must end the file and the first entry must start
        # it: anything before or after is a second file hiding in the same bytes.
        if min(m.header_offset for m in members) != 0 or not _eocd_ends_file(data):
            raise _refuse(_("The file has data before or after its archive (a polyglot file). It was refused."))
        names: set[str] = set()
        declared_total = 0
        for member in members:
            if _bad_member_name(member.filename):
                raise _refuse(_("The archive contains an entry with an unsafe path. It was refused."))
            if member.filename in names:
                raise not_package
            names.add(member.filename)
            if member.flag_bits & 0x1:
                raise _refuse(_("The document is encrypted. Upload it without a password."))
            # Office documents use only these two methods; anything else (bzip2, lzma, "patched"
            # data) is refused here, before any decompressor is asked for it.
            if member.compress_type not in _OOXML_COMPRESSION or member.flag_bits & _ZIP_PATCHED_DATA:
                raise not_package
            if member.filename.lower().endswith(_ARCHIVE_SUFFIXES) or member.filename.lower().endswith(
                "vbaproject.bin"
            ):
                raise _refuse(_("The document contains another archive or macros. It was refused."))
            declared_total += member.file_size
            if declared_total > max_total:
                raise bomb
        if "[Content_Types].xml" not in names or not any(n.startswith(_OOXML_ROOT_DIR[kind]) for n in names):
            raise not_package
        # Declared sizes can lie: count what actually comes out, stopping at the limits.
        actual_total = 0
        content_types = b""
        for member in members:
            if member.is_dir():
                continue
            produced = 0
            head = b""
            try:
                with archive.open(member) as stream:
                    while chunk := stream.read(64 * 1024):
                        if not head:
                            head = chunk[:16]
                        produced += len(chunk)
                        actual_total += len(chunk)
                        if actual_total > max_total:
                            raise bomb
                        if produced > 1024 * 1024 and produced > max_ratio * max(member.compress_size, 1):
                            raise bomb
                        if member.filename == "[Content_Types].xml" and len(content_types) < 1024 * 1024:
                            content_types += chunk
            # A damaged deflate stream raises zlib.error, which is none of zipfile's own errors; an unknown
            # version or encryption flag raises NotImplementedError.
            except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError):
                raise not_package from None
            if head.startswith(_ARCHIVE_MAGIC) or head.startswith(_EXECUTABLE_MAGIC):
                raise _refuse(_("The document contains another archive or a program. It was refused."))
        if actual_total > 1024 * 1024 and actual_total > max_ratio * max(len(data), 1):
            raise bomb
        if _OOXML_MAIN_PART[kind] not in content_types:
            raise not_package


def _eocd_ends_file(data: bytes) -> bool:
    position = data.rfind(_ZIP_EOCD, max(0, len(data) - _ZIP_TAIL_WINDOW))
    if position < 0 or position + 22 > len(data):
        return False
    (comment_length,) = struct.unpack("<H", data[position + 20 : position + 22])
    return position + 22 + comment_length == len(data)


_CHECKS = {
    "pdf": _check_pdf,
    "png": _check_png,
    "jpeg": _check_jpeg,
    "csv": _check_csv,
}


def inspect_upload(*, name: str, data: bytes, allowed: frozenset[str], max_bytes: int) -> InspectedUpload:
    """Check an uploaded file; return what it is, or raise ValidationFailed saying why not."""
    unknown = set(allowed) - KINDS
    if unknown:
        raise ValueError(f"unknown upload kinds: {sorted(unknown)}")
    display_name = check_name(name)
    extension = _extension_of(display_name)
    kind = EXTENSIONS.get(extension)
    if kind is None or kind not in allowed:
        raise _refuse(
            _("Files of this type are not accepted. Allowed: %(allowed)s.") % {"allowed": _allowed_list(allowed)}
        )
    size = len(data)
    if size == 0:
        raise _refuse(_("The file is empty."))
    if size > max_bytes:
        raise _refuse(
            _("The file is too large: %(size)s; at most %(limit)s is accepted.")
            % {"size": human_size(size), "limit": human_size(max_bytes)}
        )
    _check_not_executable(data)
    if kind in _OOXML_MAIN_PART:
        _check_ooxml(data, kind)
    else:
        _CHECKS[kind](data)
        _check_no_trailing_zip(data)
    digest = hashlib.sha256(data).hexdigest()
    return InspectedUpload(
        kind=kind,
        extension=extension,
        content_type=CONTENT_TYPES[kind],
        size=size,
        sha256=digest,
        safe_name=f"{digest[:32]}.{extension}",
        display_name=display_name,
    )


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"


# --- Reading uploads: bounded in memory and on disk -------------------------------------------


def request_max_bytes() -> int:
    """The largest request body accepted at all (GOVBUY_REQUEST_MAX_BYTES): a bid with its most
    documents, each at the file limit, and the form around them."""
    return int(settings.GOVBUY_REQUEST_MAX_BYTES)


class CappedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: the files of a multipart request go on to Django's handlers
    (memory for small requests, a temporary file otherwise) but never more than the file limit
    and one byte of each, so a file of any size costs at most that much memory or disk, and the
    check that follows still sees it is too large and says so (`inspect_upload`). A request
    that sends more than GOVBUY_REQUEST_MAX_BYTES in all (chunked, so no Content-Length told the
    middleware beforehand) is stopped without reading the rest."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.total = 0
        self.kept = 0
        self.file_cap = int(settings.GOVBUY_UPLOAD_MAX_BYTES) + 1
        self.request_cap = request_max_bytes()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.kept = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.total += len(raw_data)
        if self.total > self.request_cap:
            raise StopUpload(connection_reset=True)
        room = self.file_cap - self.kept
        if room <= 0:
            return None
        chunk = raw_data[:room]
        self.kept += len(chunk)
        return chunk

    def file_complete(self, file_size: int) -> None:
        return None


def read_upload(upload: Any) -> bytes:
    """The bytes of an uploaded file, at most the file limit and one byte (what the handler kept):
    enough for `inspect_upload` to refuse a larger one with its size message."""
    limit = int(settings.GOVBUY_UPLOAD_MAX_BYTES) + 1
    upload.seek(0)
    return bytes(upload.read(limit))
