"""Writing the registry database: declared tables, rows, FTS, checks, then an atomic swap.

The file is built beside its target (same folder, so `os.replace` is atomic),
checked with `PRAGMA integrity_check` and `PRAGMA foreign_key_check`, and only
then moved into place. Any failure removes the temporary file and leaves the
previous database untouched.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

import sqlite_utils

from registry.db_schema import FTS_COLUMNS, FTS_TABLE, TABLES

class BuildFailed(Exception):
    """The database failed a check; the previous one was kept."""


def create_tables(db: sqlite_utils.Database) -> None:
    """Create every declared table and index, exactly as declared in db_schema."""
    for name, spec in TABLES.items():
        db[name].create(
            spec["columns"],
            pk=spec["pk"],
            foreign_keys=spec.get("foreign_keys", []),
            not_null=spec.get("not_null", set()),
        )


def create_indexes(db: sqlite_utils.Database) -> None:
    """Create the declared indexes; done after the inserts, which is faster than maintaining them row by row."""
    for name, spec in TABLES.items():
        for columns in spec.get("indexes", []):
            db[name].create_index(columns, index_name=f"idx_{name}_{'_'.join(columns)}")


def insert_rows(db: sqlite_utils.Database, rows: dict[str, list[dict]]) -> None:
    """Insert all rows in one transaction, table by table in declaration order (parents first).

    Rows go through `executemany` with exactly the declared columns: a row with
    a missing or extra key fails the build, a duplicate primary key raises
    (never replaced or ignored). sqlite-utils' insert_all does the same work
    with a per-value type check that made it the slowest step of a cached rebuild.
    """
    unknown = set(rows) - set(TABLES)
    if unknown:
        raise BuildFailed(f"rows for undeclared tables: {', '.join(sorted(unknown))}")
    with db.atomic():
        for name, spec in TABLES.items():
            table_rows = rows.get(name, [])
            if not table_rows:
                continue
            columns = list(spec["columns"])
            sql = f"INSERT INTO [{name}] ({', '.join(f'[{c}]' for c in columns)}) VALUES ({', '.join('?' for _ in columns)})"
            db.conn.executemany(sql, (_values(name, row, columns) for row in table_rows))


def _values(table: str, row: dict, columns: list[str]) -> tuple:
    if len(row) != len(columns):
        raise BuildFailed(f"table {table}: row keys {sorted(row)} differ from the declared columns {columns}")
    try:
        return tuple(row[column] for column in columns)
    except KeyError as missing:
        raise BuildFailed(f"table {table}: row has no value for declared column {missing}") from None


def check_counts(db: sqlite_utils.Database, rows: dict[str, list[dict]], skip: frozenset[str] = frozenset()) -> None:
    """Every row given is in the database: no entry was silently dropped."""
    for name in TABLES:
        if name in skip:
            continue
        expected = len(rows.get(name, []))
        actual = db[name].count
        if actual != expected:
            raise BuildFailed(f"table {name}: {actual} rows written, {expected} expected")


def check_integrity(path: Path) -> None:
    """PRAGMA integrity_check and foreign_key_check; an exception counts as a failure too."""
    try:
        conn = sqlite3.connect(path)
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise BuildFailed(f"integrity check failed: {error}") from error
    if result != ["ok"]:
        raise BuildFailed("integrity check failed: " + "; ".join(result[:5]))
    if dangling:
        raise BuildFailed(f"foreign key check failed: {dangling[:5]}")


def write_database(out: Path, rows: dict[str, list[dict]], after_insert=None) -> None:
    """Build `out` from `rows` through a temporary file; replace it only when every check passes.

    `after_insert(db)` may fill computed tables that read the inserted rows (overlaps).
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        db = sqlite_utils.Database(tmp)
        try:
            # The temporary file is checked and fsynced before it replaces anything,
            # so per-transaction durability is not needed while building it.
            db.execute("PRAGMA journal_mode=MEMORY")
            db.execute("PRAGMA synchronous=OFF")
            db.execute("PRAGMA foreign_keys=ON")
            create_tables(db)
            insert_rows(db, rows)
            create_indexes(db)
            if after_insert is not None:
                after_insert(db)
            check_counts(db, rows, skip=frozenset() if after_insert is None else frozenset({"overlaps"}))
            db[FTS_TABLE].enable_fts(FTS_COLUMNS, tokenize="porter", create_triggers=False)
            db.execute("PRAGMA journal_mode=DELETE")
        finally:
            db.close()
        check_integrity(tmp)
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
