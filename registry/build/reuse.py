"""Whole-catalog results a rebuild keeps when their inputs did not change.

Each is named, with the sha256 of its inputs, in the working database's cache schema
(`cache.reused`), written in the build's own transaction: the digest stored is that of the
inputs the committed rows were made from, so an equal digest means the rows already hold
what recomputing them would write.
"""

from __future__ import annotations

import hashlib
import sqlite3

from registry.build.git_dates import FileDates

CREATE = (
    "create table if not exists cache.reused (name text primary key, digest text not null) "
    "without rowid"
)


def stored(conn: sqlite3.Connection, name: str) -> str | None:
    """The digest of the inputs `name` was last made from, or None."""
    conn.execute(CREATE)
    row = conn.execute("select digest from cache.reused where name = ?", [name]).fetchone()
    return row[0] if row else None


def keep(conn: sqlite3.Connection, name: str, digest: str) -> None:
    """Record the digest of the inputs `name` is now made from (in the caller's transaction)."""
    conn.execute(CREATE)
    conn.execute("insert or replace into cache.reused values (?, ?)", [name, digest])


def dates_digest(dates: dict[str, FileDates]) -> str:
    """The sha256 of every entry's git dates, in id order."""
    digest = hashlib.sha256()
    for entry_id in sorted(dates):
        when = dates[entry_id]
        digest.update(f"{entry_id}\x1f{when.created}\x1f{when.updated}\x1e".encode())
    return digest.hexdigest()
