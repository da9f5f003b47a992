"""The upload checker against a corpus built here: good files of every kind, and the attacks
of design/reliability.md R14 (renamed executables, polyglots, zip bombs, unsafe names, size)."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.storage import FileSystemStorage
from django.utils import translation

from govbuy.core.errors import ValidationFailed
from govbuy.core.storage import (
    DocumentIntegrityError,
    DocumentMissing,
    check_stored,
    document_path,
    open_verified,
    read_verified,
    save_once,
)
from govbuy.core.uploads import KINDS, inspect_upload

ALL = frozenset(KINDS)
LIMIT = 2 * 1024 * 1024


@pytest.fixture(autouse=True)
def _english():
    """These tests read the reasons in English (the msgids); test_refusals_are_translated checks
    that the default language shows them in Simplified Chinese."""
    with translation.override("en"):
        yield


def test_refusals_are_translated():
    with pytest.raises(ValidationFailed) as caught:
        inspect_upload(name="x.pdf", data=b"MZ" + b"\0" * 200, allowed=frozenset({"pdf"}), max_bytes=10_000)
    with translation.override("zh-hans"):
        assert "程序" in str(caught.value.message)


def make_pdf(text: str = "hello") -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>",
    ]
    stream = f"BT /F1 12 Tf 10 50 Td ({text}) Tj ET".encode()
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def make_jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 20 + b"\xff\xd9"


def make_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["name", "qualification"])
    book.active.append(["张三", "社会工作师"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


DOCX_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
    b'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
    b'main+xml"/></Types>'
)


def make_docx(extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        archive.writestr("word/document.xml", b"<w:document><w:body><w:p>hi</w:p></w:body></w:document>")
        for name, body in (extra or {}).items():
            archive.writestr(name, body)
    return buffer.getvalue()


def refused(name: str, data: bytes, allowed: frozenset[str] = ALL, max_bytes: int = LIMIT) -> str:
    with pytest.raises(ValidationFailed) as caught:
        inspect_upload(name=name, data=data, allowed=allowed, max_bytes=max_bytes)
    assert caught.value.code == "upload_refused"
    assert caught.value.fields["file"]
    return str(caught.value.message)


@pytest.mark.parametrize(
    ("name", "builder", "kind", "content_type"),
    [
        ("证明.pdf", make_pdf, "pdf", "application/pdf"),
        ("logo.PNG", make_png, "png", "image/png"),
        ("photo.jpg", make_jpeg, "jpeg", "image/jpeg"),
        ("photo.jpeg", make_jpeg, "jpeg", "image/jpeg"),
        ("staff.xlsx", make_xlsx, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "statement.docx",
            make_docx,
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("list.csv", lambda: "姓名,资格\n张三,社工\n".encode(), "csv", "text/csv"),
        ("bom.csv", lambda: "\ufeff姓名,资格\n".encode(), "csv", "text/csv"),
        ("gbk.csv", lambda: "姓名,资格\n李四,会计\n".encode("gb18030"), "csv", "text/csv"),
    ],
)
def test_valid_files_are_accepted(name, builder, kind, content_type):
    data = builder()
    result = inspect_upload(name=name, data=data, allowed=ALL, max_bytes=LIMIT)
    assert result.kind == kind
    assert result.content_type == content_type
    assert result.size == len(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.safe_name == f"{result.sha256[:32]}.{result.extension}"
    assert result.extension == name.rsplit(".", 1)[1].lower()
    assert result.display_name == name


def test_kind_outside_the_allow_list_is_refused():
    message = refused("a.png", make_png(), allowed=frozenset({"pdf"}))
    assert "pdf" in message


@pytest.mark.parametrize("name", ["setup.exe", "report", "archive.zip", "doc.xlsm", "x.svg", "page.html"])
def test_unknown_extensions_are_refused(name):
    refused(name, make_pdf())


@pytest.mark.parametrize(
    "payload",
    [
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120 + b"PE\x00\x00",
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100,
        b"#!/bin/sh\nrm -rf /\n",
        b"\xcf\xfa\xed\xfe" + b"\x00" * 40,
    ],
)
@pytest.mark.parametrize("name", ["invoice.pdf", "photo.png", "list.csv", "sheet.xlsx"])
def test_renamed_executables_are_refused(payload, name):
    refused(name, payload)


def test_executable_message_names_the_reason():
    assert "program" in refused("invoice.pdf", b"MZ" + b"\x00" * 200)


def test_extension_and_content_must_agree():
    refused("photo.png", make_pdf())
    refused("report.pdf", make_png())
    refused("sheet.xlsx", make_docx())
    refused("letter.docx", make_xlsx())
    refused("photo.jpg", make_png())


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def test_pdf_that_is_also_a_zip_is_refused():
    polyglot = make_pdf() + zip_bytes({"payload.exe": b"MZ" + b"\x00" * 100})
    assert "polyglot" in refused("report.pdf", polyglot)


def test_png_with_a_zip_appended_is_refused():
    refused("photo.png", make_png() + zip_bytes({"a.txt": b"hello"}))


def test_jpeg_with_a_zip_appended_is_refused():
    refused("photo.jpg", make_jpeg() + zip_bytes({"a.txt": b"hello"}))


def test_csv_with_a_zip_tail_is_refused():
    tail = zip_bytes({"a.txt": b"x"}).replace(b"\x00", b"\x01")
    refused("list.csv", b"a,b\n" + tail)


def test_zip_with_a_pdf_header_near_its_start_is_refused():
    data = make_docx({"word/%PDF-1.4.xml": b"x"})
    refused("letter.docx", data)


def test_zip_with_data_prepended_is_refused():
    refused("letter.docx", b"junk-before" + make_docx())


def test_pdf_with_javascript_is_refused():
    data = make_pdf().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /J#61vaScript /JS (x) >>")
    refused("report.pdf", data)


def test_zip_bomb_xlsx_is_refused(settings):
    settings.GOVBUY_UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
    buffer = io.BytesIO()
    good = zipfile.ZipFile(io.BytesIO(make_xlsx()))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in good.infolist():
            archive.writestr(info.filename, good.read(info.filename))
        archive.writestr("xl/media/padding.xml", b"\x00" * (60 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < LIMIT
    assert "zip bomb" in refused("sheet.xlsx", data)


def test_zip_bomb_under_the_total_but_over_the_ratio_is_refused():
    data = make_docx({"word/media/big.xml": b"A" * (8 * 1024 * 1024)})
    assert "zip bomb" in refused("letter.docx", data)


def test_zip_with_lying_declared_sizes_is_caught_by_counting(settings):
    settings.GOVBUY_UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = 4 * 1024 * 1024
    data = bytearray(make_docx({"word/media/big.xml": b"B" * (6 * 1024 * 1024)}))
    # Rewrite the central directory's uncompressed size of the big member to a small lie.
    directory = data.find(b"PK\x01\x02")
    while data[directory + 46 : directory + 46 + 18] != b"word/media/big.xml":
        directory = data.find(b"PK\x01\x02", directory + 4)
        assert directory > 0
    struct.pack_into("<I", data, directory + 24, 10)
    refused("letter.docx", bytes(data))


def test_zip_with_too_many_members_is_refused(settings):
    settings.GOVBUY_UPLOAD_ZIP_MAX_MEMBERS = 10
    data = make_docx({f"word/part{i}.xml": b"<x/>" for i in range(20)})
    assert "too many" in refused("letter.docx", data)


@pytest.mark.parametrize("member", ["../../etc/passwd", "/abs/path.xml", "word/../../x.xml", "C:/x.xml", "a\\b.xml"])
def test_zip_members_with_path_traversal_are_refused(member):
    refused("letter.docx", make_docx({member: b"x"}))


def test_nested_archives_are_refused():
    refused("letter.docx", make_docx({"word/embeddings/inner.zip": zip_bytes({"a": b"b"})}))
    refused("letter.docx", make_docx({"word/embeddings/inner.bin": zip_bytes({"a": b"b"})}))
    refused("letter.docx", make_docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"}))


def test_docx_without_the_main_part_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES.replace(b"document.main", b"template.main"))
        archive.writestr("word/document.xml", b"<x/>")
    refused("letter.docx", buffer.getvalue())


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_docx_compressed_with_another_method_is_refused(method):
    """Office writes stored or deflated members only; other methods are refused before any
    decompressor runs (a decompressor zipfile lacks would otherwise fail mid-read)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        archive.writestr("word/document.xml", b"<w:document><w:body><w:p>hi</w:p></w:body></w:document>")
    refused("letter.docx", buffer.getvalue())


def test_docx_with_compressed_patched_data_is_refused():
    data = bytearray(make_docx())
    # Set general-purpose flag bit 5 ("compressed patched data") in every central directory entry.
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        data[start + 8] |= 0x20
        start += 4
    refused("letter.docx", bytes(data))


def test_corrupt_zip_is_refused():
    data = make_docx()
    refused("letter.docx", data[: len(data) // 2])


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "..\\secret.pdf",
        "/etc/report.pdf",
        "C:\\Windows\\report.pdf",
        "dir/report.pdf",
        "..pdf",
        "report\u202efdp.exe",
        "invoice\u202egpj.pdf",
        "a\u2066b.pdf",
        "tab\there.pdf",
        "new\nline.pdf",
        "",
        "   ",
        "x" * 300 + ".pdf",
    ],
)
def test_unsafe_names_are_refused(name):
    refused(name, make_pdf())


def test_rtl_override_has_its_own_message():
    assert "right-to-left" in refused("invoice\u202egpj.pdf", make_pdf())


def test_empty_and_oversized_files_are_refused():
    assert "empty" in refused("a.pdf", b"")
    big = make_pdf("x" * 5000)
    assert "too large" in refused("a.pdf", big, max_bytes=1000)


def test_csv_must_be_text():
    refused("list.csv", b"a,b\n\x00\x01")
    refused("list.csv", b"\xff\xfe\xfa\xfb\x80\x81")


def test_truncated_png_and_jpeg_are_refused():
    refused("photo.png", make_png()[:-5])
    refused("photo.jpg", make_jpeg()[:-2] + b"\x00" * 100)


def test_message_is_translated():
    from django.utils import translation

    with translation.override("en"):
        english = refused("a.pdf", b"")
    assert english == "The file is empty."


def test_unknown_kind_in_allow_list_is_a_programming_error():
    with pytest.raises(ValueError):
        inspect_upload(name="a.pdf", data=make_pdf(), allowed=frozenset({"exe"}), max_bytes=LIMIT)


# --- storage -------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path):
    return FileSystemStorage(location=tmp_path / "docs")


def _stored(store):
    data = make_pdf("stored")
    upload = inspect_upload(name="a.pdf", data=data, allowed=ALL, max_bytes=LIMIT)
    path = document_path(prefix="test", upload=upload)
    assert save_once(path=path, data=data, sha256=upload.sha256, storage=store) == path
    return path, data, upload


def test_save_once_and_read_verified(store):
    path, data, upload = _stored(store)
    assert read_verified(path, upload.sha256, storage=store) == data
    assert open_verified(path, upload.sha256, storage=store).read() == data
    assert check_stored(path, upload.sha256, storage=store) is None


def test_saving_the_same_bytes_twice_keeps_one_file(store):
    path, data, upload = _stored(store)
    assert save_once(path=path, data=data, sha256=upload.sha256, storage=store) == path
    assert len(store.listdir(path.rsplit("/", 1)[0])[1]) == 1


def test_save_once_never_overwrites_a_different_file(store):
    path, data, upload = _stored(store)
    other = make_pdf("other")
    with pytest.raises(ValidationFailed):
        save_once(path=path, data=other, sha256=upload.sha256, storage=store)
    assert read_verified(path, upload.sha256, storage=store) == data


def test_flipped_byte_is_detected(store):
    path, data, upload = _stored(store)
    location = store.path(path)
    with open(location, "r+b") as handle:
        handle.seek(20)
        byte = handle.read(1)
        handle.seek(20)
        handle.write(bytes([byte[0] ^ 0x01]))
    with pytest.raises(DocumentIntegrityError):
        read_verified(path, upload.sha256, storage=store)
    assert check_stored(path, upload.sha256, storage=store) == "corrupt"
    # Saving the right bytes again does not paper over the corruption.
    with pytest.raises(DocumentIntegrityError):
        save_once(path=path, data=data, sha256=upload.sha256, storage=store)


def test_missing_file_is_reported(store):
    path, _data, upload = _stored(store)
    store.delete(path)
    with pytest.raises(DocumentMissing):
        read_verified(path, upload.sha256, storage=store)
    assert check_stored(path, upload.sha256, storage=store) == "missing"


def test_document_path_refuses_traversal_prefix():
    upload = inspect_upload(name="a.pdf", data=make_pdf(), allowed=ALL, max_bytes=LIMIT)
    with pytest.raises(ValueError):
        document_path(prefix="../x", upload=upload)
    assert document_path(prefix="providers", upload=upload).startswith(f"providers/{upload.sha256[:2]}/")
