"""Writing the registry database: declared tables, rows, FTS, checks, then an atomic swap.

Rows go into a working database (registry/build/work.py). `publish` copies it
to a temporary file beside its target (same folder, so `os.replace` is atomic):
a cold build with `VACUUM INTO` (the same rows give the same bytes), a warm
build as the file is (the same rows, not the same bytes). It checks that file
with `PRAGMA integrity_check` (a warm build: `quick_check`) and the rows with
`PRAGMA foreign_key_check`, and only then moves it into place. Any failure
removes the temporary file and leaves the previous database untouched.
"""

from __future__ import annotations

import hashlib
import operator
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from registry.build import facet_groups
from registry.build.db_schema import (
    FACET_COUNTS,
    FACET_COUNTS_BY_FILTER,
    FTS_COLUMNS,
    FTS_TABLE,
    PLAIN_FACET_COLUMNS,
    ROWID_TABLES,
    TABLES,
)
from registry.build.keyed_texts import LOOKUPS, TextIdCollision, insert_lookup_rows
from registry.build.lean_imports import sqlite_utils

# The check of a warm build's copy: quick_check reads every page and record as integrity_check
# does, in a quarter of the time, but does not match each index against its table (SQLite keeps
# them in step; this code never writes an index). A cold build keeps integrity_check. Measured
# in BENCHMARKS.md, "Warm one-entry rebuild: in-place publish".
WARM_CHECK = "quick_check"


class BuildFailed(Exception):
    """The database failed a check; the previous one was kept."""


def create_tables(db: sqlite_utils.Database) -> None:
    """Create every declared table, exactly as declared in db_schema (WITHOUT ROWID unless listed in
    ROWID_TABLES)."""
    for name, spec in TABLES.items():
        sql = (
            db.create_table_sql(
                name,
                spec["columns"],
                pk=spec["pk"],
                foreign_keys=spec.get("foreign_keys", []),
                not_null=spec.get("not_null", set()),
            )
            .rstrip()
            .rstrip(";")
        )
        db.execute(sql if name in ROWID_TABLES else f"{sql} WITHOUT ROWID")


def create_indexes(db: sqlite_utils.Database, tables: Iterable[str] | None = None) -> None:
    """Create the declared indexes (of `tables`, else of every table); done after the inserts, which
    is faster than maintaining them row by row."""
    chosen = set(TABLES) if tables is None else set(tables)
    for name, spec in TABLES.items():
        if name not in chosen:
            continue
        for columns in spec.get("indexes", []):
            db[name].create_index(columns, index_name=f"idx_{name}_{'_'.join(columns)}")


def create_fts(db: sqlite_utils.Database) -> None:
    """The FTS5 index (porter) over the browse table, reading its text from that table (external
    content)."""
    columns = ", ".join(f"[{column}]" for column in FTS_COLUMNS)
    db.execute(
        f"CREATE VIRTUAL TABLE [{FTS_TABLE}_fts] USING FTS5 ({columns}, tokenize='porter', "
        f"content=[{FTS_TABLE}])"
    )


def rebuild_fts(db: sqlite_utils.Database) -> None:
    """Index the browse table afresh: the index then depends on the rows only, not on earlier
    changes."""
    db.execute(f"INSERT INTO [{FTS_TABLE}_fts]([{FTS_TABLE}_fts]) VALUES ('rebuild')")


def fill_facet_counts(db: sqlite_utils.Database) -> None:
    """Write every catalog facet's whole-table value counts into facet_counts, in key order.

    Counted by SQLite from the rows, so they agree with a GROUP BY over the
    same table by construction.
    """
    # The counts read a narrow temporary copy of the facet columns, named `catalog` so that the
    # queries' unqualified `catalog` finds it first (SQLite looks in temp before main): each of
    # the ~130 queries then scans 1 MB instead of the 29 MB table with its descriptions.
    db.execute("drop table if exists temp.catalog")
    columns = ", ".join(f"[{column}]" for column in ("id", "signals", *PLAIN_FACET_COLUMNS))
    db.execute(f"create temp table catalog as select {columns} from main.catalog")
    for sql in facet_groups.drop_tables():
        db.execute(sql)
    try:
        for sql in facet_groups.group_tables():
            db.execute(sql)
        _count_facets(db)
    finally:
        for sql in facet_groups.drop_tables():
            db.execute(sql)
        db.execute("drop table temp.catalog")


def _count_facets(db: sqlite_utils.Database) -> None:
    db.execute("delete from facet_counts")
    for facet in sorted(FACET_COUNTS):
        db.execute(
            "insert into facet_counts (facet, value, count) select ?, * from "
            f"({FACET_COUNTS[facet]}) order by 2",
            [facet],
        )
    db.execute("delete from facet_counts_by_filter")
    for column, facet in sorted(FACET_COUNTS_BY_FILTER):
        counts = facet_groups.grouped_counts(column, facet) or FACET_COUNTS_BY_FILTER[column, facet]
        db.execute(
            "insert into facet_counts_by_filter (filter_facet, filter_value, facet, value, count) "
            f"select ?, filter_value, ?, value, count from ({counts}) order by filter_value, value",
            [column, facet],
        )


# Per table: its declared columns and a getter of their values in that order (every table has two or
# more).
_GETTERS = {
    name: (list(spec["columns"]), operator.itemgetter(*spec["columns"]))
    for name, spec in TABLES.items()
}


def table_tuples(table: str, rows: list[dict]) -> list[tuple]:
    """Dict rows as tuples in the table's declared column order; a missing or extra key fails the
    build."""
    columns, values = _GETTERS[table]
    width = len(columns)
    try:
        tuples = [values(row) for row in rows if len(row) == width]
    except KeyError as missing:
        raise BuildFailed(
            f"table {table}: row has no value for declared column {missing}"
        ) from None
    if len(tuples) != len(rows):
        wrong = next(row for row in rows if len(row) != width)
        raise BuildFailed(
            f"table {table}: row keys {sorted(wrong)} differ from the declared columns {columns}"
        )
    return tuples


def insert_rows(db: sqlite_utils.Database, rows: dict[str, list[tuple]]) -> None:
    """Insert all rows in one transaction, table by table in declaration order (parents first).

    Rows are tuples in declared column order (see table_tuples) and go through
    `executemany` on the declared column list; a duplicate primary key raises,
    never replaced or ignored (a lookup table of keyed texts adds only the texts it lacks).
    sqlite-utils' insert_all does the same work with a per-value type check that was the slowest
    step of a cached rebuild.
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
            width = set(map(len, table_rows))
            if width != {len(columns)}:
                raise BuildFailed(
                    f"table {name}: rows of {sorted(width)} values for {len(columns)} declared "
                    "columns"
                )
            if name in LOOKUPS:  # texts many entries share: each added once
                try:
                    insert_lookup_rows(db.conn, name, table_rows)
                except TextIdCollision as error:
                    raise BuildFailed(str(error)) from None
                continue
            sql = (
                f"INSERT INTO [{name}] ({', '.join(f'[{c}]' for c in columns)}) VALUES "
                f"({', '.join('?' for _ in columns)})"
            )
            db.conn.executemany(sql, table_rows)


def check_integrity(path: Path, pragma: str = "integrity_check") -> None:
    """PRAGMA integrity_check (or quick_check) of the file; an exception counts as a failure
    too."""
    try:
        result = [row[0] for row in _pragma_rows(path, pragma)]
    except sqlite3.DatabaseError as error:
        raise BuildFailed(f"integrity check failed: {error}") from error
    if result != ["ok"]:
        raise BuildFailed("integrity check failed: " + "; ".join(result[:5]))


def check_foreign_keys(path: Path) -> None:
    """PRAGMA foreign_key_check: every reference in the file points at a row."""
    try:
        dangling = _pragma_rows(path, "foreign_key_check")
    except sqlite3.DatabaseError as error:
        raise BuildFailed(f"foreign key check failed: {error}") from error
    if dangling:
        raise BuildFailed(f"foreign key check failed: {dangling[:5]}")


def _pragma_rows(path: Path, pragma: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        # Read calls, not a memory map (a tenth faster for these whole-file passes): a mapped file
        # counts in the build's resident memory, 450 MB more at 100,000 entries.
        return conn.execute(f"PRAGMA {pragma}").fetchall()
    finally:
        conn.close()


def publish(
    work: sqlite3.Connection,
    out: Path,
    beside: Callable[[], tuple[Path, Path] | None] | None = None,
    reproducible: bool = True,
) -> None:
    """Copy the working database to `out` through a checked temporary file, then rename it.

    `reproducible` (a cold build) copies with VACUUM INTO, which writes every
    table and index afresh in storage order, with no free pages: the same rows
    give the same bytes, however they were written. Otherwise (a warm build,
    whose rows were changed by difference) the file is copied as it is: the same
    rows as a cold build's, not the same bytes, for a tenth of the time.
    `beside()` stages a file published with the database (the overlap index) and returns
    (staged file, its place), or None when the file in place is already right; the staged file
    is moved there right after the database, and removed with the copy if anything fails before.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    extra = staging = None
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            # The file published beside is staged while the database is copied and checked.
            staging = pool.submit(beside) if beside else None
            # The rows' references are checked in the working database while VACUUM INTO copies
            # those same rows (each on a core of its own); the copy's structure is checked below.
            foreign = pool.submit(check_foreign_keys, _file_of(work))
            if reproducible:
                work.execute("VACUUM INTO ?", [str(tmp)])
            else:
                shutil.copyfile(_file_of(work), tmp)
            foreign.result()
            # The checksum is read beside the integrity check (both release the GIL); it is only
            # written if the check passes.
            hashed = pool.submit(_fsync_and_hash, tmp)
            check_integrity(tmp, "integrity_check" if reproducible else WARM_CHECK)
            digest = hashed.result()
            extra = staging.result() if staging else None
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
        if extra is not None:
            os.replace(*extra)
    except BaseException:
        if staging is not None and not staging.cancelled() and staging.exception() is None:
            extra = staging.result()  # staged, though the database failed
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal"), extra and extra[0]):
            if leftover:
                leftover.unlink(missing_ok=True)
        raise
    write_checksum(out, digest)


def _file_of(conn: sqlite3.Connection) -> Path:
    """The file of a connection's main database."""
    return Path(next(row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"))


def _fsync_and_hash(path: Path) -> str:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_checksum(out: Path, digest: str) -> None:
    """`<db>.sha256` beside the database (sha256sum format), so a copy can be checked (T22)."""
    target = out.with_name(out.name + ".sha256")
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"{digest}  {out.name}\n")
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
