"""PDFs with active content hidden where a byte search does not look: in a compressed object stream
with a compressed cross-reference stream. Built in code (no binary files in the repository)."""

from __future__ import annotations

import struct
import zlib


def objstm_pdf(catalog_extra: bytes = b"", extra_objects: dict[int, bytes] | None = None) -> bytes:
    """A PDF 1.5 whose catalog, page tree, page and `extra_objects` sit in a compressed object
    stream, with a compressed cross-reference stream: none of their names is visible in the raw
    bytes."""
    extra = dict(extra_objects or {})
    in_stream = {
        1: b"<< /Type /Catalog /Pages 2 0 R" + catalog_extra + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        **extra,
    }
    numbers = sorted(in_stream)
    bodies = b""
    header = b""
    for n in numbers:
        header += b"%d %d " % (n, len(bodies))
        bodies += in_stream[n] + b"\n"
    objstm_plain = header + bodies
    objstm = zlib.compress(objstm_plain)
    content = b"BT /F1 12 Tf 72 770 Td (hello) Tj ET"
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    objstm_num = max(numbers) + 2
    content_num = 4 if 4 not in in_stream else max(numbers) + 1
    offsets[content_num] = len(out)
    out += b"%d 0 obj\n<< /Length %d >>\nstream\n" % (content_num, len(content)) + content + b"\nendstream\nendobj\n"
    offsets[objstm_num] = len(out)
    out += (
        b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (objstm_num, len(numbers), len(header), len(objstm))
        + objstm
        + b"\nendstream\nendobj\n"
    )
    xref_num = objstm_num + 1
    offsets[xref_num] = len(out)
    size = xref_num + 1
    rows = b""
    for n in range(size):
        if n in in_stream:
            rows += struct.pack(">BIH", 2, objstm_num, numbers.index(n))
        elif n in offsets:
            rows += struct.pack(">BIH", 1, offsets[n], 0)
        else:
            rows += struct.pack(">BIH", 0, 0, 65535 if n == 0 else 0)
    data = zlib.compress(rows)
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n"
        % (xref_num, size, len(data))
        + data
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_num]
    return bytes(out)
