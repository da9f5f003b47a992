"""Reading and writing catalog spreadsheets (.xlsx, .csv) in the shape of the reference file
`catalog-lanzhou-2014.csv`: code, level, parent_code, name_zh, name_en, notes — plus the optional
columns is_priority and procurement_code that a round trip needs.

Reading and writing go through `govbuy.core.spreadsheets` (bounded, every cell text, formulas
kept as typed and neutralised on export); checking here collects every problem with its row and
column before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from govbuy.catalog import rules
from govbuy.catalog.models import CODE_MAX_LENGTH, MAX_LEVEL
from govbuy.core.errors import ValidationFailed
from govbuy.core.spreadsheets import column_letter, read_rows, write_xlsx

COLUMNS = ("code", "level", "parent_code", "name_zh", "name_en", "notes", "is_priority", "procurement_code")
REQUIRED = ("code", "level", "parent_code", "name_zh")
# Headers as government staff write them in Chinese spreadsheets.
ALIASES = {
    "代码": "code",
    "编码": "code",
    "编号": "code",
    "层级": "level",
    "级次": "level",
    "级别": "level",
    "上级代码": "parent_code",
    "上级编码": "parent_code",
    "父级代码": "parent_code",
    "名称": "name_zh",
    "中文名称": "name_zh",
    "英文名称": "name_en",
    "备注": "notes",
    "说明": "notes",
    "description": "notes",
    "民生": "is_priority",
    "重点民生": "is_priority",
    "priority": "is_priority",
    "政府采购品目": "procurement_code",
    "品目代码": "procurement_code",
}
LIMITS = {"name_zh": 200, "name_en": 300, "notes": 4000, "procurement_code": 32, "parent_code": CODE_MAX_LENGTH}
TRUE_WORDS = frozenset({"1", "y", "yes", "true", "是", "√", "x"})
FALSE_WORDS = frozenset({"", "0", "n", "no", "false", "否"})


def max_bytes() -> int:
    return int(getattr(settings, "CATALOG_IMPORT_MAX_BYTES", 5 * 1024 * 1024))


def max_rows() -> int:
    return int(getattr(settings, "CATALOG_IMPORT_MAX_ROWS", 5000))


def refuse_oversized(size: int) -> None:
    """Refuse a file by its announced size, before reading it into memory."""
    from govbuy.core.uploads import human_size

    limit = max_bytes()
    if size > limit:
        message = _("The file is too large: %(size)s; at most %(limit)s is accepted.") % {
            "size": human_size(size),
            "limit": human_size(limit),
        }
        raise ValidationFailed(message, code="upload_refused", fields={"file": [message]})


def inline_rows() -> int:
    """Up to this many rows an import runs inside the request; above, as a background task."""
    return int(getattr(settings, "CATALOG_IMPORT_INLINE_ROWS", 2000))


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number (the header is row 1)
    column: str
    letter: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ParsedRow:
    row: int
    code: str
    level: int
    parent_code: str
    name_zh: str
    name_en: str
    description: str
    is_priority: bool
    procurement_code: str


@dataclass(frozen=True)
class Table:
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[str]]]


class ImportRefused(ValidationFailed):
    """The file was read but its rows have problems; `errors` lists every one."""

    code = "import_refused"

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__(
            _("The spreadsheet has %(n)d problem(s); nothing was imported.") % {"n": len(self.errors)},
            fields={
                "file": [f"{_('row')} {e.row}, {_('column')} {e.letter} ({e.column}): {e.message}" for e in self.errors]
            },
        )


def read_table(*, name: str, data: bytes) -> tuple[Table, Any]:
    """Check the upload, then read its first sheet. Returns the table and the inspected upload."""
    rows, inspected = read_rows(
        name=name, data=data, allowed=frozenset({"xlsx", "csv"}), max_bytes=max_bytes(), max_rows=max_rows()
    )
    # Blank lines above the header are skipped; row numbers stay the sheet's own.
    header_number, header = rows[0]
    return Table(header_row=header_number, headers=header, rows=rows[1:]), inspected


def _canonical(header: str) -> str:
    key = header.strip().lower().replace(" ", "_")
    return ALIASES.get(header.strip(), ALIASES.get(key, key))


def _flag(text: str) -> bool | None:
    lowered = text.strip().lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    return None


def check_table(
    table: Table, matters: Sequence[rules.MatterFacts], *, to_simplified: Any = None
) -> tuple[list[ParsedRow], list[RowError]]:
    """Every row checked; all problems returned at once. Nothing here touches the database."""
    header_row = table.header_row
    columns: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        name = _canonical(header)
        if name in COLUMNS and name not in columns:
            columns[name] = index
    errors: list[RowError] = []
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        for offset, column in enumerate(missing):
            errors.append(
                RowError(
                    header_row,
                    column,
                    column_letter(len(table.headers) + offset),
                    "missing_column",
                    _("The column “%(c)s” is missing from the header row.") % {"c": column},
                )
            )
        return [], errors
    if not table.rows:
        errors.append(RowError(header_row, "code", "A", "no_rows", _("The spreadsheet has a header but no rows.")))
        return [], errors

    def cell(values: list[str], column: str) -> str:
        index = columns.get(column)
        return values[index] if index is not None and index < len(values) else ""

    def err(row: int, column: str, code: str, message: str) -> None:
        index = columns.get(column, 0)
        errors.append(RowError(row, column, column_letter(index), code, message))

    first_seen: dict[str, tuple[int, int | None]] = {}  # code -> (row, level)
    staged: list[tuple[int, dict[str, Any]]] = []
    for number, values in table.rows:
        code = cell(values, "code")
        values_ok = True
        problem = rules.check_code(code)
        if problem:
            err(number, "code", "missing_code" if not code else "bad_code", problem)
            values_ok = False
        elif code in first_seen:
            err(
                number,
                "code",
                "duplicate_code",
                _("The code %(code)s already appears in row %(row)d.") % {"code": code, "row": first_seen[code][0]},
            )
            values_ok = False
        level_text = cell(values, "level")
        level: int | None = int(level_text) if level_text.isdigit() else None
        if level is None or level < 1:
            err(
                number,
                "level",
                "bad_level",
                _("The level must be a whole number from 1 to %(max)d.") % {"max": MAX_LEVEL},
            )
            level = None
        elif level > MAX_LEVEL:
            err(
                number,
                "level",
                "level_over_4",
                _("Level %(level)d is deeper than the catalog allows (3 levels plus an optional 4th).")
                % {"level": level},
            )
            level = None
        if code and values_ok:
            first_seen[code] = (number, level)
        name_zh = cell(values, "name_zh")
        if not name_zh:
            err(number, "name_zh", "missing_name", _("Enter the Chinese name."))
        for column, limit in LIMITS.items():
            if len(cell(values, column)) > limit:
                err(number, column, "too_long", _("At most %(n)d characters.") % {"n": limit})
        flag = _flag(cell(values, "is_priority"))
        if flag is None:
            err(number, "is_priority", "bad_flag", _("Write 1 or 0 (是 or 否) for a priority livelihood service."))
        staged.append(
            (
                number,
                {
                    "ok": values_ok,
                    "code": code,
                    "level": level,
                    "parent_code": cell(values, "parent_code"),
                    "name_zh": name_zh,
                    "name_en": cell(values, "name_en"),
                    "description": cell(values, "notes"),
                    "is_priority": bool(flag),
                    "procurement_code": cell(values, "procurement_code"),
                },
            )
        )

    parsed: list[ParsedRow] = []
    for number, row in staged:
        level = row["level"]
        parent_code = row["parent_code"]
        if level is not None:
            if parent_code and parent_code not in first_seen:
                err(
                    number,
                    "parent_code",
                    "unknown_parent",
                    _("No row has the parent code %(code)s.") % {"code": parent_code},
                )
            elif parent_code == row["code"] and parent_code:
                err(number, "parent_code", "unknown_parent", _("An item cannot be its own parent."))
            else:
                parent_level = first_seen[parent_code][1] if parent_code else None
                if not (parent_code and parent_level is None):
                    problem = rules.check_parent(level=level, parent_level=parent_level)
                    if problem:
                        code = "parent_level" if parent_code else "missing_parent"
                        if level == 1 and parent_code:
                            code = "top_level_with_parent"
                        err(number, "parent_code", code, problem)
        names = [row["name_zh"], to_simplified(row["name_zh"]) if to_simplified else "", row["name_en"]]
        matter = rules.negative_match(names, matters)
        if matter is not None:
            err(number, "name_zh", "negative_list", rules.negative_refusal(matter))
        if row["ok"] and level is not None:
            parsed.append(
                ParsedRow(
                    row=number,
                    code=row["code"],
                    level=level,
                    parent_code=parent_code,
                    name_zh=row["name_zh"],
                    name_en=row["name_en"],
                    description=row["description"],
                    is_priority=row["is_priority"],
                    procurement_code=row["procurement_code"],
                )
            )
    errors.sort(key=lambda e: (e.row, e.letter))
    return parsed, errors


def export_rows(items: Iterable[Any]) -> Iterator[list[Any]]:
    yield list(COLUMNS)
    for item in items:
        yield [
            item.code,
            item.level,
            item.parent_code,
            item.name_zh,
            item.name_en,
            item.description,
            1 if item.is_priority else 0,
            item.procurement_code,
        ]


def export_xlsx(items: Iterable[Any], *, title: str) -> bytes:
    """The version as .xlsx with the import's columns (formula leaders neutralised)."""
    return write_xlsx(export_rows(items), title=title or "catalog")
