"""The one spreadsheet reader and writer: every cell read as text and bounded in rows, formula
leaders neutralised on the way out and taken off again on the way back in."""

from __future__ import annotations

import datetime as dt
import io
import tracemalloc
from decimal import Decimal

import openpyxl
import pytest

from govbuy.core.errors import ValidationFailed
from govbuy.core.spreadsheets import (
    ImportOutcome,
    cell_text,
    column_letter,
    neutralise,
    read_rows,
    stream_xlsx,
    write_xlsx,
)

BOTH = frozenset({"xlsx", "csv"})


def read(name: str, data: bytes, *, allowed=BOTH, max_rows: int = 10):
    return read_rows(name=name, data=data, allowed=allowed, max_bytes=1024 * 1024, max_rows=max_rows)


def test_formula_leaders_are_neutralised_and_other_values_kept():
    assert neutralise("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert [neutralise(v) for v in ("+1", "-1", "@A1", "\tx", "\rx")] == ["'+1", "'-1", "'@A1", "'\tx", "'\rx"]
    assert neutralise("正常") == "正常"
    assert neutralise(3) == 3


def test_cells_are_text_without_spurious_decimals_controls_or_our_apostrophe():
    assert cell_text(12.0) == "12"
    assert cell_text(True) == "1"
    assert cell_text(dt.date(2027, 1, 2)) == "2027-01-02"
    assert cell_text(" a\x00b ") == "ab"
    assert cell_text("'=1+1") == "=1+1"
    assert cell_text(None) == ""


def test_column_letters_follow_the_spreadsheet():
    assert [column_letter(i) for i in (0, 25, 26, 701)] == ["A", "Z", "AA", "ZZ"]


def test_an_export_read_back_gives_the_typed_text_and_never_a_formula():
    data = write_xlsx([["code", "name"], ["=1+1", "@SUM(A1)"], [3, dt.date(2027, 1, 2)]], title="a/b:c")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "a b c"
    assert [c.data_type for c in sheet[2]] == ["s", "s"]
    assert sheet["A2"].value == "'=1+1"
    rows, inspected = read("x.xlsx", data)
    assert inspected.kind == "xlsx"
    assert rows[:2] == [(1, ["code", "name"]), (2, ["=1+1", "@SUM(A1)"])]


def test_csv_rows_keep_their_numbers_and_blank_rows_are_skipped():
    rows, _inspected = read("x.csv", "a,b\n\n1,2\n".encode("gb18030"))
    assert rows == [(1, ["a", "b"]), (3, ["1", "2"])]


def test_more_rows_than_the_limit_are_refused_while_reading():
    data = ("h\n" + "x\n" * 4).encode()
    assert len(read("x.csv", data, max_rows=4)[0]) == 5
    with pytest.raises(ValidationFailed) as refused:
        read("x.csv", data, max_rows=3)
    assert refused.value.code == "too_many_rows"


def test_an_empty_or_unreadable_file_is_refused_with_its_code():
    with pytest.raises(ValidationFailed) as empty:
        read("x.csv", b"\n\n")
    assert empty.value.code == "empty_file"
    with pytest.raises(ValidationFailed) as other_kind:
        read("x.csv", b"a,b\n", allowed=frozenset({"xlsx"}))
    assert other_kind.value.code != "empty_file"


def test_an_import_outcome_counts_and_names_its_target():
    outcome: ImportOutcome[str] = ImportOutcome(rows=2, target="budget")
    outcome.created += 1
    assert (outcome.rows, outcome.created, outcome.updated, outcome.target, outcome.job) == (2, 1, 0, "budget", None)


# --- Streaming export ---------------------------------------------------------------------------


def _rows(consumed: list[int], total: int):
    for number in range(total):
        consumed[0] = number + 1
        yield [number, f"第{number}行", "=HYPERLINK(1)", Decimal("12.50")]


def test_stream_xlsx_hands_out_bytes_before_reading_every_row():
    consumed = [0]
    stream = stream_xlsx(_rows(consumed, 1_000_000), title="统计", flush_rows=500)
    received = 0
    for _chunk in range(4):
        received += len(next(stream))
    # A million rows were offered; a few chunks in, only about a thousand have been read.
    assert received > 0
    assert consumed[0] <= 1_500
    stream.close()


def test_stream_xlsx_memory_does_not_grow_with_rows():
    def peak(total: int) -> int:
        tracemalloc.start()
        size = sum(len(chunk) for chunk in stream_xlsx(_rows([0], total), title="统计"))
        _current, high = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert size > 0
        return high

    small, large = peak(2_000), peak(40_000)
    # Twenty times the rows, about the same memory: nothing is held per row.
    assert large < small * 1.5 + 256 * 1024


def test_stream_xlsx_is_a_workbook_with_neutralised_text_and_numbers():
    data = b"".join(stream_xlsx(_rows([0], 3), title="统计"))
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = list(book["统计"].iter_rows(values_only=True))
    assert rows[0] == (0, "第0行", "'=HYPERLINK(1)", 12.5)
    assert len(rows) == 3
