"""Write the catalog pairs into `overlaps` by difference.

A warm build starts from the previous build's database, whose `overlaps` rows
are nearly all still right: one changed entry changes its own pairs and a few
of its neighbours' top-K lists. Comparing the computed rows with the stored
ones and writing only the difference leaves the table with exactly the rows a
from-scratch computation writes, for a fraction of the cost of rewriting ~10
rows per entry. Rows are compared whole, as sets keyed by (entry_id, other_id);
neither rowids nor insertion order matter.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

COLUMNS = ("entry_id", "other_id", "score", "relation", "evidence")
# Writing more than this share of an existing table row by row is slower than
# emptying it and bulk-loading it with its indexes dropped.
BULK_SHARE = 0.5


def write_rows(connection: sqlite3.Connection, rows: list[tuple]) -> tuple[int, int]:
    """Make `overlaps` hold exactly `rows` (tuples in COLUMNS order); returns (rows deleted, rows inserted)."""
    existing = connection.execute(f"select {', '.join(COLUMNS)} from overlaps").fetchall()
    if not existing or len(rows) * BULK_SHARE < abs(len(rows) - len(existing)):
        return _replace_all(connection, rows, len(existing))
    wanted, present = set(rows), set(existing)
    stale = [row[:2] for row in present - wanted]
    fresh = list(wanted - present)
    if len(stale) + len(fresh) > BULK_SHARE * len(existing):
        return _replace_all(connection, rows, len(existing))
    with _foreign_keys_off(connection), connection:
        connection.executemany("delete from overlaps where entry_id = ? and other_id = ?", stale)
        connection.executemany(f"insert into overlaps ({', '.join(COLUMNS)}) values (?, ?, ?, ?, ?)", fresh)
    return len(stale), len(fresh)


def _replace_all(connection: sqlite3.Connection, rows: list[tuple], existing: int) -> tuple[int, int]:
    """Empty the table and bulk-load `rows`: building each index once is faster than updating it per row."""
    indexes = connection.execute("select name, sql from sqlite_master where type = 'index' and tbl_name = 'overlaps' and sql is not null order by name").fetchall()
    with _foreign_keys_off(connection), connection:
        connection.execute("delete from overlaps")
        for name, _ in indexes:
            connection.execute(f'drop index "{name}"')
        connection.executemany(f"insert into overlaps ({', '.join(COLUMNS)}) values (?, ?, ?, ?, ?)", rows)
        for _, sql in indexes:
            connection.execute(sql)
    return existing, len(rows)


@contextmanager
def _foreign_keys_off(connection: sqlite3.Connection):
    """Foreign keys unchecked while writing pairs, then restored.

    Every id comes from the catalog just read, and the build checks foreign keys
    over the whole file afterwards (build_db.check_integrity): checking them per
    row here would double the insert's time. (The pragma does nothing inside a
    transaction, so this is entered before the transaction starts.)
    """
    enforced = connection.execute("PRAGMA foreign_keys").fetchone()[0]
    connection.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        connection.execute(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")
