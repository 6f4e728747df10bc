"""What a registry database says, apart from how its bytes are laid out: a warm build is held to
a cold build's content by this (the lead's rule: same content, not the same bytes)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

# The build record states how the file was made; everything else must be equal.
HOW_BUILT = {"builds": ("incremental",)}
ROWID_ORDER = {"entries": "id", "catalog": "name, id"}


def _key(row: tuple) -> tuple:
    """Rows sort with NULLs first and values of different types apart, as no row compares them."""
    return tuple((value is not None, type(value).__name__, value) for value in row)


def search_words(db: sqlite3.Connection, limit: int = 400) -> list[str]:
    """Words of the catalog's names and summaries: the searches the comparison asks."""
    words: set[str] = set()
    for name, summary in db.execute("select name, summary from catalog"):
        words.update(re.findall(r"[a-z]{3,}", f"{name} {summary}".lower()))
    return sorted(words)[:limit]


def content(path: Path, words: list[str] | None = None) -> dict:
    """Every table's rows sorted (the columns that say how the file was made left out; the
    planner's statistics, sqlite_stat1, included), the rowid tables' order, and the full-text
    index's answer to each of `words` (matching ids, with their bm25 rank to 9 places); the index
    is also checked against the catalog (FTS5 integrity-check)."""
    db = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in db.execute(
                "select name from sqlite_master where type = 'table' and name not like "
                "'catalog_fts%' and (name not like 'sqlite_%' or name = 'sqlite_stat1') "
                "order by name"
            )
        ]
        found: dict = {}
        for table in tables:
            columns = [row[1] for row in db.execute(f"pragma table_info([{table}])")]
            kept = [c for c in columns if c not in HOW_BUILT.get(table, ())]
            rows = db.execute(f"select {', '.join(f'[{c}]' for c in kept)} from [{table}]")
            found[table] = (kept, sorted(rows.fetchall(), key=_key))
        for table, order in ROWID_ORDER.items():
            by_rowid = db.execute(f"select {order} from {table} order by rowid").fetchall()
            found[f"{table} in rowid order"] = by_rowid == sorted(by_rowid)
        db.execute("insert into catalog_fts(catalog_fts, rank) values ('integrity-check', 1)")
        for word in search_words(db) if words is None else words:
            found[f"search {word}"] = db.execute(
                "select c.id, round(f.rank, 9) from catalog_fts f join catalog c on c.rowid = "
                "f.rowid where catalog_fts match ? order by c.id",
                [word],
            ).fetchall()
        return found
    finally:
        db.close()


def differences(first: Path, second: Path) -> list[str]:
    """The names of the tables and searches on which the two databases differ (empty: same
    content), asking both the searches the first's words make."""
    with sqlite3.connect(first) as db:
        words = search_words(db)
    a, b = content(first, words), content(second, words)
    return sorted(key for key in a.keys() | b.keys() if a.get(key) != b.get(key))


def same_content(warm: Path, cold: Path) -> bool:
    """The warm build's file holds the cold build's content, and each says how it was made."""
    assert differences(warm, cold) == []
    with sqlite3.connect(warm) as a, sqlite3.connect(cold) as b:
        assert a.execute("select incremental from builds").fetchone() == (1,)
        assert b.execute("select incremental from builds").fetchone() == (0,)
    return True
