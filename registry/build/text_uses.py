"""How many rows name each keyed text (keyed_texts.py), kept so that a warm build removes the
texts no row names any more by looking only at the rows it replaced.

A text is unused exactly when no row of its keyed column names it. A warm build replaces the
rows of a few entries: each text's uses after the build are its uses before, less those of the
rows removed, plus those of the rows written. The counts are kept in the build cache
(`cache.text_uses`, changed in the build's own transaction, so a rolled-back build leaves them
as they were); the first warm build of a working copy counts every row once (a cold build does
not count: its lookup tables hold exactly the texts its rows name). Only a text whose uses fell
can have become unused, and only those are looked at. The tests hold the counts to a count of
every row after each build, and the lookup tables to a cold build's.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

from registry.build import reuse
from registry.build.db import BuildFailed
from registry.build.db_schema import KEYED_TEXTS, TABLES
from registry.build.in_place import ids_table

CREATE = (
    "create table if not exists cache.text_uses (lookup text not null, id integer not null, "
    "uses integer not null, primary key (lookup, id)) without rowid"
)
COUNTED = "text_uses"  # its cache.reused name: present once every row was counted
# The keyed tables whose rows are an entry's own (the overlaps are rewritten by pair, apart).
ENTRY_TABLES = sorted({table for table, _ in KEYED_TEXTS} - {"overlaps"})


def uses_of(conn: sqlite3.Connection, tables: list[str], ids: list[str] | None) -> Counter:
    """(lookup table, text id) → how many rows of `tables` name the text, among the rows of the
    entries `ids` (every row when None)."""
    where = ""
    if ids is not None:
        ids_table(conn, "uses_ids", ids)
        where = "where [{}] in temp.uses_ids"
    found: Counter = Counter()
    for (table, column), lookup in KEYED_TEXTS.items():
        if table not in tables:
            continue
        key = "entry_id" if "entry_id" in TABLES[table]["columns"] else "id"
        for text, count in conn.execute(
            f"select [{column}], count(*) from [{table}] {where.format(key)} group by 1"
        ):
            if text is not None:
                found[lookup, text] += count
    return found


class TextUses:
    """One warm build's change to the counts: made with the ids of the entries whose rows it
    replaces, before any is removed."""

    def __init__(self, conn: sqlite3.Connection, ids: list[str]):
        self.conn, self.ids = conn, ids
        conn.execute(CREATE)
        if reuse.stored(conn, COUNTED) is None:  # this copy's first warm build
            conn.execute("delete from cache.text_uses")
            every = uses_of(conn, [*ENTRY_TABLES, "overlaps"], None)
            conn.executemany(
                "insert into cache.text_uses values (?, ?, ?)",
                [(*key, uses) for key, uses in sorted(every.items())],
            )
            reuse.keep(conn, COUNTED, "every row")
        self.moved: Counter = Counter()
        self.moved.subtract(uses_of(conn, ENTRY_TABLES, ids))

    def overlaps_replaced(self, entries: list[str] | None, written: bool) -> None:
        """Before (`written` False) and after the overlaps rows of `entries` (None: all) are
        replaced: their uses taken away, then added."""
        uses = uses_of(self.conn, ["overlaps"], entries)
        if written:
            self.moved.update(uses)
        else:
            self.moved.subtract(uses)

    def drop_unused(self) -> None:
        """Once every row is written: the counts moved, and the texts whose uses reached 0
        removed, with their counts."""
        self.moved.update(uses_of(self.conn, ENTRY_TABLES, self.ids))
        moved = [(*key, uses) for key, uses in sorted(self.moved.items()) if uses]
        self.conn.executemany(
            "insert into cache.text_uses values (?, ?, ?) on conflict (lookup, id) do update "
            "set uses = uses + excluded.uses",
            moved,
        )
        fell = [(lookup, text) for lookup, text, uses in moved if uses < 0]
        unused = []
        for lookup, text in fell:
            (left,) = self.conn.execute(
                "select uses from cache.text_uses where lookup = ? and id = ?", [lookup, text]
            ).fetchone()
            if left < 0:
                raise BuildFailed(f"table {lookup}: text {text} named by {left} rows (a bug)")
            if left == 0:
                unused.append((lookup, text))
        for lookup, text in unused:
            self.conn.execute(f"delete from [{lookup}] where id = ?", [text])
        self.conn.executemany("delete from cache.text_uses where lookup = ? and id = ?", unused)
        self.moved = Counter()
