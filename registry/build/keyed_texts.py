"""Repeated texts stored once: each keyed column (db_schema.KEYED_TEXTS) holds the id of its text.

A text's id is a digest of the text itself, not a counter, so the same rows get the same ids
however a build came to write them: a cold build's file stays byte-identical run after run, and a
warm build that wrote only a few entries' rows holds the same ids as a cold build. The lookup
tables hold exactly the texts some row names: new texts are added with the rows that bring them,
and `drop_unused` removes those no row names any more.
"""

from __future__ import annotations

import hashlib
import sqlite3
from functools import lru_cache

from registry.build.db_schema import KEYED_TEXTS, TABLES

# Column positions of the keyed columns in each table's declared column order.
_POSITIONS: dict[str, list[tuple[int, str]]] = {}
for (_table, _column), _lookup in KEYED_TEXTS.items():
    _POSITIONS.setdefault(_table, []).append(
        (list(TABLES[_table]["columns"]).index(_column), _lookup)
    )
LOOKUPS = frozenset(KEYED_TEXTS.values())


@lru_cache(maxsize=1 << 16)
def text_id(text: str) -> int:
    """The text's id: 47 bits of its SHA-256, which SQLite stores in 6 bytes (a collision fails the
    build: insert_lookup_rows)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:6], "big") >> 1


def key_rows(tables: dict[str, list[tuple]]) -> None:
    """Replace, in place, each keyed column's text by its id, and add the lookup rows (id, text)
    the rows name (one per distinct text) to `tables`."""
    found: dict[str, dict[int, str]] = {}
    for table, positions in _POSITIONS.items():
        rows = tables.get(table)
        if not rows:
            continue
        for index, row in enumerate(rows):
            values = list(row)
            for position, lookup in positions:
                text = values[position]
                if text is not None:
                    values[position] = key = text_id(text)
                    found.setdefault(lookup, {})[key] = text
            rows[index] = tuple(values)
    for lookup, texts in found.items():
        tables.setdefault(lookup, []).extend(sorted(texts.items()))


class TextIdCollision(Exception):
    """Two texts of one lookup table got the same id (the build fails; says which)."""


def insert_lookup_rows(conn: sqlite3.Connection, lookup: str, rows: list[tuple]) -> None:
    """Add the (id, text) rows `lookup` lacks; an id already held by another text raises
    TextIdCollision (the upsert sets the NOT NULL text to null only then, which fails)."""
    try:
        conn.executemany(
            f"insert into [{lookup}] (id, text) values (?, ?) on conflict (id) do update "
            "set text = null where text is not excluded.text",
            rows,
        )
    except sqlite3.IntegrityError:
        raise TextIdCollision(_collision(conn, lookup, rows)) from None


def _collision(conn: sqlite3.Connection, lookup: str, rows: list[tuple]) -> str:
    for key, text in rows:
        stored = conn.execute(f"select text from [{lookup}] where id = ?", [key]).fetchone()
        if stored is not None and stored[0] != text:
            return (
                f"table {lookup}: two texts share id {key} ({stored[0]!r} and {text!r}); "
                "make text_id in registry/build/keyed_texts.py a longer digest"
            )
    return f"table {lookup}: an id shared by two texts"


def keyed_table_rows(table: str, rows: list[tuple]) -> tuple[list[tuple], dict[str, list[tuple]]]:
    """One table's rows with their texts keyed, and the lookup rows they name."""
    tables = {table: list(rows)}
    key_rows(tables)
    return tables.pop(table), tables


def drop_unused(conn: sqlite3.Connection, tables: list[str] | None = None) -> None:
    """Remove the texts no row names any more (after a warm build replaced some rows), of the
    keyed columns of `tables` (else of all)."""
    for (table, column), lookup in KEYED_TEXTS.items():
        if tables is not None and table not in tables:
            continue
        conn.execute(
            f"delete from [{lookup}] where id not in "
            f"(select [{column}] from [{table}] where [{column}] is not null)"
        )
