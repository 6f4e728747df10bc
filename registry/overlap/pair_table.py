"""Write the catalog pairs into `overlaps` by difference.

A warm build starts from the previous build's database, whose `overlaps` rows
are nearly all still right: one changed entry changes its own pairs and a few
of its neighbours' top-K lists. Comparing the computed rows with the stored
ones and writing only the difference leaves the table with exactly the rows a
from-scratch computation writes, for a fraction of the cost of rewriting ~10
rows per entry. Rows are compared whole and matched by (entry_id, other_id);
neither rowids nor the order rows are stored in matter.

The computed rows carry their relation and evidence as text; they are stored as the ids of those
texts (registry/build/keyed_texts.py), and compared with the stored rows as such.

Both sides are compared as lists sorted by that key: equal stretches are
skipped by comparing ever longer slices (in C), so the cost is one pass over
the rows plus a little per difference, rather than hashing every row.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path

from registry.build.keyed_texts import insert_lookup_rows, keyed_table_rows

COLUMNS = ("entry_id", "other_id", "score", "relation", "evidence")
# Writing more than this share of an existing table row by row is slower than
# emptying it and bulk-loading it with its indexes dropped.
BULK_SHARE = 0.5


def read_rows(connection: sqlite3.Connection) -> list[tuple]:
    """The rows `overlaps` holds now, sorted: what write_rows compares new rows with."""
    existing = connection.execute(f"select {', '.join(COLUMNS)} from overlaps").fetchall()
    # Sorting a list that is already nearly in order is one pass (Python's sort finds the runs).
    existing.sort()
    return existing


def write_rows(
    connection: sqlite3.Connection, rows: list[tuple], stored: list[tuple] | None = None
) -> tuple[int, int]:
    """Make `overlaps` hold exactly `rows` (tuples in COLUMNS order, unique by their first two);
    returns (rows deleted, rows inserted).

    `stored` is read_rows' result when the caller read the table earlier (nothing written to it
    since).
    """
    existing = read_rows(connection) if stored is None else stored
    rows, lookups = keyed_table_rows("overlaps", rows)
    if not existing or len(rows) * BULK_SHARE < abs(len(rows) - len(existing)):
        return _replace_all(connection, rows, len(existing), lookups)
    rows = sorted(rows)
    stale, fresh = difference(existing, rows)
    if len(stale) + len(fresh) > BULK_SHARE * len(existing):
        return _replace_all(connection, rows, len(existing), lookups)
    with _foreign_keys_off(connection), connection:
        _insert_lookups(connection, lookups)
        connection.executemany("delete from overlaps where entry_id = ? and other_id = ?", stale)
        connection.executemany(
            f"insert into overlaps ({', '.join(COLUMNS)}) values (?, ?, ?, ?, ?)", fresh
        )
    return len(stale), len(fresh)


def write_rows_of(
    connection: sqlite3.Connection, entries: list[str], rows: list[tuple]
) -> tuple[int, int]:
    """Make the rows of `entries` (by entry_id) exactly `rows`; the other entries' rows stay.

    For a warm build's few changed entries (overlap/pair_delta.py): only their stored rows are
    read and compared. Returns (rows deleted, rows inserted).
    """
    named = set(entries)
    outside = [row[0] for row in rows if row[0] not in named]
    if outside:
        raise ValueError(f"write_rows_of: a row of {outside[0]}, which is not among the entries")
    connection.execute("create temp table if not exists pair_entries (id text primary key)")
    connection.execute("delete from temp.pair_entries")
    connection.executemany("insert into temp.pair_entries values (?)", [(e,) for e in named])
    existing = connection.execute(
        f"select {', '.join(COLUMNS)} from overlaps where entry_id in temp.pair_entries"
    ).fetchall()
    existing.sort()
    rows, lookups = keyed_table_rows("overlaps", rows)
    stale, fresh = difference(existing, sorted(rows))
    with _foreign_keys_off(connection), connection:
        _insert_lookups(connection, lookups)
        connection.executemany("delete from overlaps where entry_id = ? and other_id = ?", stale)
        connection.executemany(
            f"insert into overlaps ({', '.join(COLUMNS)}) values (?, ?, ?, ?, ?)", fresh
        )
    return len(stale), len(fresh)


def stage_rows(path: Path, rows: list[tuple]) -> None:
    """Write `rows` into a fresh staging database at `path`, on a connection of its own.

    A new working database is filled from it with one INSERT … SELECT
    (copy_staged), so that the rows are written while the build's own
    connection does other work, not after it.
    """
    rows, lookups = keyed_table_rows("overlaps", rows)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        with connection:
            connection.execute("drop table if exists overlaps")
            connection.execute(f"create table overlaps ({', '.join(COLUMNS)})")
            connection.executemany(
                f"insert into overlaps values ({', '.join('?' for _ in COLUMNS)})", rows
            )
            connection.execute("drop table if exists lookups")
            connection.execute("create table lookups (lookup, id, text)")
            connection.executemany(
                "insert into lookups values (?, ?, ?)",
                [(lookup, *row) for lookup, found in lookups.items() for row in found],
            )
    finally:
        connection.close()


def copy_staged(connection: sqlite3.Connection, path: Path, expected: int) -> None:
    """Fill the empty `overlaps` from the staging database at `path` (stage_rows); commits, as
    write_rows does.

    The staging file is attached only now, after a commit (ATTACH needs no
    open transaction, and a database this connection has read stays locked
    until it commits). SQLite copies the rows itself; they were staged in key
    order (pair_rows sorts them), so each goes at the end. `expected` is the
    number of rows staged.
    """
    connection.commit()
    connection.execute("ATTACH ? AS staging", [str(path)])
    try:
        with _foreign_keys_off(connection), connection:
            if connection.execute("select exists (select 1 from overlaps)").fetchone()[0]:
                raise ValueError("copy_staged needs an empty overlaps table")
            lookups: dict[str, list[tuple]] = {}
            for lookup, key, text in connection.execute("select * from staging.lookups"):
                lookups.setdefault(lookup, []).append((key, text))
            _insert_lookups(connection, lookups)
            columns = ", ".join(COLUMNS)
            copied = connection.execute(
                f"insert into overlaps ({columns}) select {columns} from staging.overlaps"
            ).rowcount
    finally:
        connection.execute("DETACH staging")
    if copied != expected:
        raise ValueError(f"staged overlaps: {copied} rows copied, {expected} staged")


def difference(old: list[tuple], new: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """(keys of old rows to delete, new rows to insert), for two row lists sorted by their unique
    (entry_id, other_id)."""
    stale: list[tuple] = []
    fresh: list[tuple] = []
    i = j = 0
    while i < len(old) and j < len(new):
        if old[i] == new[j]:
            # Gallop over the equal stretch: slices of doubling length, compared in C.
            k = 1
            while (
                i + 2 * k <= len(old)
                and j + 2 * k <= len(new)
                and old[i + k : i + 2 * k] == new[j + k : j + 2 * k]
            ):
                k *= 2
            i += k
            j += k
            continue
        old_key, new_key = old[i][:2], new[j][:2]
        if old_key <= new_key:
            stale.append(old_key)
            i += 1
        if new_key <= old_key:
            fresh.append(new[j])
            j += 1
    stale += [row[:2] for row in old[i:]]
    fresh += new[j:]
    return stale, fresh


def _replace_all(
    connection: sqlite3.Connection,
    rows: list[tuple],
    existing: int,
    lookups: dict[str, list[tuple]],
) -> tuple[int, int]:
    """Empty the table and load `rows`.

    Indexes are kept, never dropped and recreated: a warm build publishes its
    working database as it is (registry/build/work.py), and its schema must stay
    the cold build's, statement for statement.
    """
    with _foreign_keys_off(connection), connection:
        connection.execute("delete from overlaps")
        _insert_lookups(connection, lookups)
        connection.executemany(
            f"insert into overlaps ({', '.join(COLUMNS)}) values (?, ?, ?, ?, ?)", rows
        )
    return existing, len(rows)


def _insert_lookups(connection: sqlite3.Connection, lookups: dict[str, list[tuple]]) -> None:
    """The texts the rows name that the lookup tables lack (texts no row names any more are
    removed at the end of the build: keyed_texts.drop_unused)."""
    for lookup, found in sorted(lookups.items()):
        insert_lookup_rows(connection, lookup, found)


@contextmanager
def _foreign_keys_off(connection: sqlite3.Connection):
    """Foreign keys unchecked while writing pairs, then restored.

    Every id comes from the catalog just read, and the build checks foreign keys
    over the whole file afterwards (registry/build/db.py, check_integrity): checking them per
    row here would double the insert's time. (The pragma does nothing inside a
    transaction, so this is entered before the transaction starts.)
    """
    enforced = connection.execute("PRAGMA foreign_keys").fetchone()[0]
    connection.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        connection.execute(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")
