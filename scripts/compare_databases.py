#!/usr/bin/env python3
"""Compare two PostgreSQL databases table by table: row counts, a digest of every row, sequences.

    python scripts/compare_databases.py postgresql://.../govbuy postgresql://.../govbuy_restored

Used after a backup round trip (docs/operations.md, .ci/run): a restore is good only when every
table has the same rows, byte for byte as PostgreSQL prints them, and every sequence continues
where it stood. Exit status 0 when both agree, 1 on any difference (listed), 2 on bad usage.

The digest is sha256 over each row's text form in sorted order, so it needs no primary key and
does not depend on the physical order pg_restore wrote the rows in.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass

import psycopg
from psycopg import sql


@dataclass(frozen=True)
class TableState:
    rows: int
    digest: str


def _tables(conn: psycopg.Connection) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT schemaname, tablename FROM pg_tables"
        " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
    ).fetchall()


def _sequences(conn: psycopg.Connection) -> dict[str, tuple[int | None, bool]]:
    out: dict[str, tuple[int | None, bool]] = {}
    names = conn.execute(
        "SELECT schemaname, sequencename FROM pg_sequences"
        " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
    ).fetchall()
    for schema, name in names:
        query = sql.SQL("SELECT last_value, is_called FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(name))
        last_value, is_called = conn.execute(query).fetchone()
        out[f"{schema}.{name}"] = (last_value, is_called)
    return out


def _table_state(conn: psycopg.Connection, schema: str, table: str) -> TableState:
    digest = hashlib.sha256()
    rows = 0
    query = sql.SQL('SELECT t::text FROM {}.{} AS t ORDER BY t::text COLLATE "C"').format(
        sql.Identifier(schema), sql.Identifier(table)
    )
    # A server-side cursor streams the rows: memory stays flat however large the table is.
    with conn.cursor(name="compare_rows") as cursor:
        cursor.itersize = 2000
        cursor.execute(query)
        for (text,) in cursor:
            digest.update(text.encode("utf-8"))
            digest.update(b"\n")
            rows += 1
    return TableState(rows=rows, digest=digest.hexdigest())


def snapshot(url: str) -> tuple[dict[str, TableState], dict[str, tuple[int | None, bool]]]:
    with psycopg.connect(url) as conn:
        # One snapshot of the whole database, as pg_dump takes.
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        tables = {f"{s}.{t}": _table_state(conn, s, t) for s, t in _tables(conn)}
        return tables, _sequences(conn)


def compare(source_url: str, copy_url: str) -> list[str]:
    source_tables, source_sequences = snapshot(source_url)
    copy_tables, copy_sequences = snapshot(copy_url)
    problems: list[str] = []
    for name in sorted(source_tables.keys() | copy_tables.keys()):
        a, b = source_tables.get(name), copy_tables.get(name)
        if a is None or b is None:
            problems.append(f"{name}: only in the {'copy' if a is None else 'source'}")
        elif a.rows != b.rows:
            problems.append(f"{name}: {a.rows} rows in the source, {b.rows} in the copy")
        elif a.digest != b.digest:
            problems.append(f"{name}: same {a.rows} rows counted, different content")
    for name in sorted(source_sequences.keys() | copy_sequences.keys()):
        if source_sequences.get(name) != copy_sequences.get(name):
            problems.append(f"sequence {name}: {source_sequences.get(name)} vs {copy_sequences.get(name)}")
    if not source_tables or sum(state.rows for state in source_tables.values()) == 0:
        problems.append("the source has no rows at all: nothing was compared")
    total = sum(state.rows for state in source_tables.values())
    print(f"compared {len(source_tables)} tables ({total} rows) and {len(source_sequences)} sequences")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    problems = compare(argv[1], argv[2])
    for problem in problems:
        print(f"DIFFERENT {problem}")
    if problems:
        return 1
    print("the databases agree: every table's row count and digest, every sequence")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
