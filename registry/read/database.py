"""Open registry.db read-only, refuse what is not a registry, and read rows as dicts."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from pathlib import Path

ENTRY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


class RegistryReadError(Exception):
    """The database cannot be read as a registry (missing, not SQLite, not built); says why."""


def open_registry(path: Path) -> sqlite3.Connection:
    """A read-only connection to a built registry (rows as sqlite3.Row), or RegistryReadError."""
    path = Path(path)
    if not path.is_file():
        raise RegistryReadError(f"{path}: no such database; run `commons build` first")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        connection.row_factory = sqlite3.Row
        present = tables(connection)
    except sqlite3.DatabaseError as error:
        raise RegistryReadError(f"{path}: not a SQLite database ({error})") from None
    if "entries" not in present or "builds" not in present:
        connection.close()
        raise RegistryReadError(
            f"{path}: not a registry database (no entries or builds table); run `commons build`"
        )
    return connection


def tables(connection: sqlite3.Connection) -> set[str]:
    return {
        row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")
    }


def columns(connection: sqlite3.Connection, table: str) -> str:
    """The select list of `table`'s columns, each keyed text read from its lookup table: what
    `select *` gave before repeated texts were stored once (schema version 10)."""
    keyed = {
        row[3]: row[2]
        for row in connection.execute("select * from pragma_foreign_key_list(?)", [table])
        if _is_lookup(connection, row[2])
    }
    names = [row[0] for row in connection.execute("select name from pragma_table_info(?)", [table])]
    return ", ".join(
        f"(select text from [{keyed[name]}] where id = [{table}].[{name}]) as [{name}]"
        if name in keyed
        else f"[{table}].[{name}]"
        for name in names
    )


def _is_lookup(connection: sqlite3.Connection, table: str) -> bool:
    found = [row[0] for row in connection.execute("select name from pragma_table_info(?)", [table])]
    return found == ["id", "text"]


def rows(connection: sqlite3.Connection, sql: str, params=()) -> list[dict]:
    return [dict(row) for row in connection.execute(sql, params)]


def grouped(
    connection: sqlite3.Connection, sql: str, params=(), key: str = "entry_id"
) -> dict[str, list[dict]]:
    """Rows grouped by one column (the entry they belong to), in query order."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows(connection, sql, params):
        groups[row[key]].append(row)
    return groups


def latest_build(connection: sqlite3.Connection) -> dict | None:
    return (rows(connection, "select * from builds order by id desc limit 1") or [None])[0]


def json_list(value) -> list:
    """A JSON-array column (obligations, holds_in, conflicts, notes) as a list."""
    if value in (None, ""):
        return []
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return [value]
    return parsed if isinstance(parsed, list) else [parsed]


def json_dict(value) -> dict:
    if not value:
        return {}
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return {}
    return parsed if isinstance(parsed, dict) else {}
