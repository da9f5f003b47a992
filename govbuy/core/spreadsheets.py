"""Spreadsheets in and out, for every app: one bounded reader (.xlsx, .csv), one writer (.xlsx),
one formula neutraliser and one import outcome.

Every cell is read as text: a formula is kept as typed, never evaluated. Reading is bounded: the
file size and its kind through `govbuy.core.uploads.inspect_upload`, the rows while streaming.
Writing stores every string as a string, with formula leaders neutralised, so that a value a
user typed is never run by the spreadsheet program that opens the export.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from govbuy.core.errors import ValidationFailed
from govbuy.core.uploads import InspectedUpload, inspect_upload

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r")
# C0 controls other than tab and newlines: PostgreSQL refuses NUL in text, and none of them
# belongs in a cell we store.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SHEET_TITLE = re.compile(r"[\[\]\*\?/\\:]")

Row = tuple[int, list[str]]  # the sheet's own row number (1-based) and the cells as text


@dataclass
class ImportOutcome[T]:
    """What an import did: the data rows it read, the records it created and updated, and the
    record the rows went into (`target`) — or, for a file large enough to run in the
    background, the queued `job` (then `target` is what the job will replace, if anything)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    target: T | None = None
    job: Any = None


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet program would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADERS):
        return "'" + value
    return value


def cell_text(value: Any) -> str:
    """A cell as the text to store: numbers without a spurious “.0”, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = _CONTROL.sub("", str(value)).strip()
    # Our own exports neutralise formula leaders with an apostrophe; take it off again.
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def column_letter(index: int) -> str:
    """The spreadsheet's name of the column at a 0-based index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _unreadable(allowed: frozenset[str]) -> ValidationFailed:
    if "csv" in allowed:
        message = _("The file could not be read as a spreadsheet. Save it as .xlsx or as UTF-8 .csv and try again.")
        return ValidationFailed(message, code="unreadable_file", fields={"file": [message]})
    return ValidationFailed(
        _("The file could not be read as a spreadsheet; save it as .xlsx and try again."),
        code="unreadable_file",
        fields={"file": [_("Unreadable spreadsheet.")]},
    )


def _too_many_rows(limit: int) -> ValidationFailed:
    message = _("The spreadsheet has more than %(n)d rows; split it or ask the platform administrator.") % {"n": limit}
    return ValidationFailed(message, code="too_many_rows", fields={"file": [message]})


def _bounded(rows: Iterable[Sequence[Any]], max_rows: int) -> list[Row]:
    out: list[Row] = []
    for number, raw in enumerate(rows, start=1):
        texts = [cell_text(v) for v in raw]
        if not any(texts):
            continue
        out.append((number, texts))
        # The header is one row more than the limit on data rows.
        if len(out) > max_rows + 1:
            raise _too_many_rows(max_rows)
    return out


def _read_xlsx(data: bytes, max_rows: int, allowed: frozenset[str]) -> list[Row]:
    import openpyxl

    try:
        # read_only streams the sheet instead of building it in memory; data_only=False keeps
        # a formula as its text instead of a value some program computed.
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # an untrusted file can fail openpyxl in many ways; each is "unreadable"
        raise _unreadable(allowed) from exc
    try:
        if not workbook.worksheets:
            raise _unreadable(allowed)
        return _bounded(workbook.worksheets[0].iter_rows(values_only=True), max_rows)
    except ValidationFailed:
        raise
    except Exception as exc:
        raise _unreadable(allowed) from exc
    finally:
        workbook.close()


def _read_csv(data: bytes, max_rows: int, allowed: frozenset[str]) -> list[Row]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _unreadable(allowed)
    try:
        return _bounded(csv.reader(io.StringIO(text, newline="")), max_rows)
    except csv.Error as exc:
        raise _unreadable(allowed) from exc


def read_rows(
    *, name: str, data: bytes, allowed: frozenset[str], max_bytes: int, max_rows: int
) -> tuple[list[Row], InspectedUpload]:
    """Check the upload, then read its first sheet: the non-blank rows, the header first, at most
    `max_rows` below it. Blank rows are skipped; row numbers stay the sheet's own."""
    inspected = inspect_upload(name=name, data=data, allowed=allowed, max_bytes=max_bytes)
    read = _read_xlsx if inspected.kind == "xlsx" else _read_csv
    rows = read(data, max_rows, allowed)
    if not rows:
        message = _("The spreadsheet is empty.")
        raise ValidationFailed(message, code="empty_file", fields={"file": [message]})
    return rows, inspected


def write_xlsx(rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    """One sheet holding `rows`; write_only streams them to the file. Every string is stored as a
    string and neutralised (openpyxl would store any string starting with “=” as a formula)."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_SHEET_TITLE.sub(" ", title)[:31] or "sheet")
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=neutralise(value))
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Streaming export ---------------------------------------------------------------------------
# An .xlsx is a zip of XML parts. `stream_xlsx` writes the zip to a sink that hands each chunk
# out as soon as it is written (zip entries with data descriptors need no seeking), and the sheet
# row by row with inline strings (no shared-string table to hold in memory). Memory stays
# constant whatever the number of rows, and the first bytes leave before the last row is read.

_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


class _Sink(io.RawIOBase):
    """A write-only, non-seekable stream whose written bytes are taken out in chunks."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.chunks.append(chunk)
        self.position += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self.position

    def take(self) -> bytes:
        out = b"".join(self.chunks)
        self.chunks.clear()
        return out


def _xml_text(value: str) -> str:
    text = _XML_INVALID.sub("", value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _cell_xml(ref: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)) or (hasattr(value, "is_finite") and value.is_finite()):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, (datetime, date)):
        value = value.isoformat()
    text = _xml_text(str(neutralise(str(value))))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def stream_xlsx(rows: Iterable[Sequence[Any]], *, title: str, flush_rows: int = 500) -> Iterator[bytes]:
    """One sheet holding `rows`, as a stream of bytes for a StreamingHttpResponse. Numbers
    (int, float, Decimal) stay numbers; every other value is a string, formula leaders neutralised."""
    import zipfile

    sink = _Sink()
    sheet_title = _xml_text(_SHEET_TITLE.sub(" ", title)[:31] or "sheet")
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("xl/workbook.xml", _WORKBOOK.replace("{title}", sheet_title)),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
        ):
            archive.writestr(name, text)
        yield sink.take()
        with archive.open("xl/worksheets/sheet1.xml", mode="w", force_zip64=True) as sheet:
            sheet.write(_SHEET_HEAD.encode())
            for number, row in enumerate(rows, start=1):
                cells = "".join(_cell_xml(f"{column_letter(i)}{number}", v) for i, v in enumerate(row))
                sheet.write(f'<row r="{number}">{cells}</row>'.encode())
                if number % flush_rows == 0:
                    yield sink.take()
            sheet.write(_SHEET_TAIL.encode())
    yield sink.take()
