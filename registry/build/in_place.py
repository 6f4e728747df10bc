"""A warm build's changes to what depends on the whole catalog, made by difference.

A cold build computes the full-text index and the facet counts from every row
(db.rebuild_fts, db.fill_facet_counts). A warm build changes a few entries of
a working database that already holds the last build's rows, index and counts,
so it changes only their share: the full-text documents of the catalog rows
that changed or moved are deleted and inserted again, and each facet count is
moved by the changed entries' old and new contributions. Every count is a sum
over entries (a row, a child row, or one per entry for `signals`), so the sum
of the last counts and the difference is what counting every row gives; the
tests hold a warm build's tables to a cold build's, row for row.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

from registry.build.db_schema import (
    FACET_COUNTS,
    FACET_COUNTS_BY_FILTER,
    FTS_COLUMNS,
    FTS_TABLE,
    PLAIN_FACET_COLUMNS,
)
from registry.build.lean_imports import sqlite_utils

_FTS = f"[{FTS_TABLE}_fts]"
_COLUMNS = ", ".join(f"[{column}]" for column in FTS_COLUMNS)


def ids_table(conn: sqlite3.Connection, name: str, ids: list[str]) -> None:
    """temp.<name>: the ids, one row each (through a table, not parameters: there may be many)."""
    conn.execute(f"drop table if exists temp.[{name}]")
    conn.execute(f"create temp table [{name}] (id text primary key) without rowid")
    conn.executemany(f"insert into temp.[{name}] values (?)", [(i,) for i in ids])


def forget_documents(db: sqlite_utils.Database, where: str) -> None:
    """Delete the full-text documents of the catalog rows matching `where` (a condition on the
    catalog), while those rows still hold the text the documents were made from."""
    db.execute(
        f"insert into {_FTS} ({_FTS}, rowid, {_COLUMNS}) select 'delete', rowid, {_COLUMNS} "
        f"from [{FTS_TABLE}] where {where}"
    )


def index_documents(db: sqlite_utils.Database, where: str) -> None:
    """Index the catalog rows matching `where` (a condition on the catalog) under their rowids."""
    db.execute(
        f"insert into {_FTS} (rowid, {_COLUMNS}) select rowid, {_COLUMNS} from [{FTS_TABLE}] "
        f"where {where}"
    )


def facet_share(db: sqlite_utils.Database, ids: list[str]) -> tuple[Counter, Counter]:
    """(facet_counts, facet_counts_by_filter) counted over the entries `ids` alone, keyed as
    those tables are.

    The counting queries read `catalog`, `languages` and `domains` unqualified:
    temporary tables of those names, holding only these entries' rows, come
    first in SQLite's name lookup, so the same queries count this share.
    """
    ids_table(db.conn, "share_ids", ids)
    columns = ", ".join(f"[{column}]" for column in ("id", "signals", *PLAIN_FACET_COLUMNS))
    shadows = {
        "catalog": f"select {columns} from main.catalog where id in temp.share_ids",
        "languages": "select * from main.languages where entry_id in temp.share_ids",
        "domains": "select * from main.domains where entry_id in temp.share_ids",
    }
    for name, select in shadows.items():
        db.execute(f"drop table if exists temp.[{name}]")
        db.execute(f"create temp table [{name}] as {select}")
    try:
        whole = Counter()
        for facet, sql in FACET_COUNTS.items():
            for value, count in db.execute(sql):
                whole[facet, value] += count
        by_filter = Counter()
        for (column, facet), sql in FACET_COUNTS_BY_FILTER.items():
            for filter_value, value, count in db.execute(sql):
                by_filter[column, filter_value, facet, value] += count
    finally:
        for name in (*shadows, "share_ids"):
            db.execute(f"drop table temp.[{name}]")
    return whole, by_filter


def move_facet_counts(
    db: sqlite_utils.Database, before: tuple[Counter, Counter], after: tuple[Counter, Counter]
) -> None:
    """Add each count's difference between the changed entries' shares `after` and `before`
    (facet_share); a count that reaches zero is removed, as counting every row never writes one."""
    for table, old, new in (
        ("facet_counts", before[0], after[0]),
        ("facet_counts_by_filter", before[1], after[1]),
    ):
        moved = [(*key, new[key] - old[key]) for key in old.keys() | new.keys()]
        moved = [row for row in moved if row[-1]]
        if not moved:
            continue
        width = len(moved[0])
        keys = ", ".join(db[table].pks)
        db.conn.executemany(
            f"insert into [{table}] values ({', '.join('?' * width)}) on conflict ({keys}) "
            "do update set count = count + excluded.count",
            moved,
        )
        db.execute(f"delete from [{table}] where count = 0")
