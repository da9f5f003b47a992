"""Tiny valid documents built in code, for demo data and tests: no binary files in the repository."""

from __future__ import annotations


def minimal_pdf(text: str = "govbuy") -> bytes:
    """A one-page PDF with one line of ASCII text; passes govbuy.core.uploads."""
    safe = "".join(ch for ch in text if 32 <= ord(ch) < 127 and ch not in "()\\\\")[:200]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
    ]
    stream = f"BT /F1 14 Tf 72 770 Td ({safe}) Tj ET".encode()
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
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


def resident_id(serial: int) -> str:
    """A well-formed (fictional) resident identity card number for demo legal representatives."""
    from govbuy.providers.rules import resident_id_check

    first17 = f"11010119800101{serial % 1000:03d}"
    return first17 + resident_id_check(first17)
