"""Writing the registry database: declared tables, rows, FTS, checks, then an atomic swap.

The file is built beside its target (same folder, so `os.replace` is atomic),
checked with `PRAGMA integrity_check` and `PRAGMA foreign_key_check`, and only
then moved into place. Any failure removes the temporary file and leaves the
previous database untouched.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

import sqlite_utils

from registry.db_schema import FACET_COUNTS, FTS_COLUMNS, FTS_TABLE, TABLES

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


def fill_facet_counts(db: sqlite_utils.Database) -> None:
    """Write every catalog facet's whole-table value counts into facet_counts, in key order.

    Counted by SQLite from the inserted rows, so they agree with a GROUP BY
    over the same table by construction.
    """
    for facet in sorted(FACET_COUNTS):
        db.execute(
            f"insert into facet_counts (facet, value, count) select ?, * from ({FACET_COUNTS[facet]}) order by 2",
            [facet],
        )


def table_tuples(table: str, rows: list[dict]) -> list[tuple]:
    """Dict rows as tuples in the table's declared column order; a missing or extra key fails the build."""
    columns = list(TABLES[table]["columns"])
    return [_values(table, row, columns) for row in rows]


def _values(table: str, row: dict, columns: list[str]) -> tuple:
    if len(row) != len(columns):
        raise BuildFailed(f"table {table}: row keys {sorted(row)} differ from the declared columns {columns}")
    try:
        return tuple(row[column] for column in columns)
    except KeyError as missing:
        raise BuildFailed(f"table {table}: row has no value for declared column {missing}") from None


def row_order_key(positions: list[int]):
    """Sort key for rows by the values at `positions`, in SQLite's order (NULL first, text by code point)."""
    return lambda row: tuple((row[i] is not None, row[i] if row[i] is not None else "") for i in positions)


def insert_rows(db: sqlite_utils.Database, rows: dict[str, list[tuple]]) -> None:
    """Insert all rows in one transaction, table by table in declaration order (parents first).

    Rows are tuples in declared column order (see table_tuples) and go through
    `executemany` on the declared column list; a duplicate primary key raises,
    never replaced or ignored. sqlite-utils' insert_all does the same work with
    a per-value type check that was the slowest step of a cached rebuild.
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
            width = {len(row) for row in table_rows}
            if width != {len(columns)}:
                raise BuildFailed(f"table {name}: rows of {sorted(width)} values for {len(columns)} declared columns")
            if "row_order" in spec:
                table_rows = sorted(table_rows, key=row_order_key([columns.index(column) for column in spec["row_order"]]))
            sql = f"INSERT INTO [{name}] ({', '.join(f'[{c}]' for c in columns)}) VALUES ({', '.join('?' for _ in columns)})"
            db.conn.executemany(sql, table_rows)


def check_counts(db: sqlite_utils.Database, rows: dict[str, list[tuple]], skip: frozenset[str] = frozenset()) -> None:
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


def write_database(out: Path, rows: dict[str, list[tuple]], after_insert=None) -> None:
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
            with db.atomic():
                fill_facet_counts(db)
            if after_insert is not None:
                after_insert(db)
            check_counts(db, rows, skip=frozenset({"facet_counts"}) | (frozenset() if after_insert is None else frozenset({"overlaps"})))
            db[FTS_TABLE].enable_fts(FTS_COLUMNS, tokenize="porter", create_triggers=False)
            db.execute("PRAGMA journal_mode=DELETE")
        finally:
            db.close()
        check_integrity(tmp)
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    write_checksum(out, digest)


def write_checksum(out: Path, digest: str) -> None:
    """`<db>.sha256` beside the database (sha256sum format), so a copy can be checked (T22)."""
    target = out.with_name(out.name + ".sha256")
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{target.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"{digest}  {out.name}\n")
    os.chmod(tmp_name, 0o644)
    os.replace(tmp_name, target)
