"""Where a registry database's bytes go: each table and index by SQLite's `dbstat` (pages in use,
overflow included), largest first; with `--columns`, the bytes each stored column holds (the sum
of `length()`, for a text; 6 a keyed id) and its distinct values.

Usage: python -m scripts.benchmarks.db_bytes DB [DB ...] [--top 15] [--columns]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

# The columns BENCHMARKS.md follows: texts repeated per row, and the descriptions.
COLUMNS = [
    ("entries", "provenance_fields"),
    ("overlaps", "evidence"),
    ("overlaps", "relation"),
    ("template_fits", "why"),
    ("reasons", "citation"),
    ("reasons", "text"),
    ("classifications", "notes"),
    ("classifications", "plain"),
    ("classifications", "use_conditions"),
    ("entries", "description"),
    ("catalog", "description"),
]


def objects(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """(table or index, bytes in its pages), largest first."""
    return conn.execute(
        "select name, sum(pgsize) from dbstat group by name order by 2 desc"
    ).fetchall()


def column_bytes(conn: sqlite3.Connection, table: str, column: str) -> tuple[float, int]:
    """(MB the column's stored values take, distinct values)."""
    return conn.execute(
        f"select sum(case typeof([{column}]) when 'integer' then 6 "
        f"else length(cast([{column}] as blob)) end) / 1e6, count(distinct [{column}]) "
        f"from [{table}]"
    ).fetchone()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("databases", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--columns", action="store_true")
    args = parser.parse_args()
    for path in args.databases:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        found = objects(conn)
        total = sum(size for _, size in found)
        print(f"{path}: {path.stat().st_size / 1e6:.1f} MB file, {total / 1e6:.1f} MB in pages")
        for name, size in found[: args.top]:
            print(f"  {size / 1e6:7.1f} MB  {name}")
        rest = sum(size for _, size in found[args.top :])
        print(f"  {rest / 1e6:7.1f} MB  the other {len(found) - args.top} tables and indexes")
        if args.columns:
            for table, column in COLUMNS:
                mb, distinct = column_bytes(conn, table, column)
                print(f"  column {table}.{column}: {mb or 0:.1f} MB, {distinct} distinct")
        conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
