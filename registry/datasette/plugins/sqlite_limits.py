"""SQLite's own limits on every connection Datasette opens, so a hostile query's cost is bounded.

Datasette stops a query after `sql_time_limit_ms` from a progress handler,
which SQLite calls between virtual-machine instructions; one function call
that runs long or builds a huge value is never interrupted. So:

- `SQLITE_LIMIT_LENGTH` caps every string or blob a query makes at
  MAX_VALUE_BYTES, four times the largest entry file (64 KiB, so no stored
  value comes near it): `zeroblob(1e9)`, `replace()` or `group_concat()`
  that would pass it fail at once with "string or blob too big". Result
  columns are capped at 100, so one row holds at most 25 MB; the SQL text
  and attached databases are capped as well.
- `printf()` (and its alias `format()`) in SQLite 3.40 repeats `%c` once per
  unit of precision even after the value is over the length limit:
  `printf('%.*c', 999999999, 'x')` ran for 5 s and took 1.2 GB. The guarded
  version refuses a format whose widths and precisions add up to more than
  MAX_VALUE_BYTES ("string or blob too big", as the length limit says), then
  runs SQLite's own printf on a private connection.
- The rows of one query may hold at most MAX_RESULT_BYTES of text and blobs
  (Datasette keeps up to max_returned_rows + 1 rows in memory, then encodes
  them; 1,000 whole entries take about 3 MB): a larger result fails with an
  error that says so.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import weakref

from datasette import hookimpl

MAX_VALUE_BYTES = 256 * 1024
MAX_RESULT_BYTES = 16_000_000
LIMITS = {
    sqlite3.SQLITE_LIMIT_LENGTH: MAX_VALUE_BYTES,
    sqlite3.SQLITE_LIMIT_SQL_LENGTH: 100_000,
    sqlite3.SQLITE_LIMIT_COLUMN: 100,
    sqlite3.SQLITE_LIMIT_ATTACHED: 0,
}
# One printf conversion: flags, width, precision, length modifier, conversion character.
CONVERSION = re.compile(r"%([-+ #!0,]*)(\*|\d+)?(?:\.(\*|\d+))?(?:ll|l)?(.)", re.DOTALL)
LEADING_INTEGER = re.compile(r"\s*[-+]?\d+")


class ResultTooLarge(sqlite3.OperationalError):
    pass


def _integer(value) -> int:
    """A `*` argument as SQLite reads it: numbers truncated, text by its leading integer."""
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        found = LEADING_INTEGER.match(value)
        return int(found.group()) if found else 0
    return 0


def printf_size(pattern: str, arguments: tuple) -> int:
    """The sum of the widths and precisions a printf format asks for."""
    total, next_argument = 0, 0
    for conversion in CONVERSION.finditer(pattern):
        if conversion.group(4) == "%":
            continue
        for part in (conversion.group(2), conversion.group(3)):
            if part == "*":
                value = arguments[next_argument] if next_argument < len(arguments) else 0
                next_argument += 1
                total += abs(_integer(value))
            elif part:
                total += int(part)
        next_argument += 1
    return total


_helpers = threading.local()


def _plain_connection() -> sqlite3.Connection:
    """A private in-memory connection per thread, whose printf is SQLite's own."""
    connection = getattr(_helpers, "connection", None)
    if connection is None:
        connection = sqlite3.connect(":memory:")
        connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        _helpers.connection = connection
    return connection


def guarded_printf(pattern=None, *arguments):
    """SQLite's printf, refused when its widths and precisions exceed MAX_VALUE_BYTES."""
    if isinstance(pattern, str) and printf_size(pattern, arguments) > MAX_VALUE_BYTES:
        # OverflowError is what Python's sqlite3 reports as SQLite's own "string or blob too
        # big", the error the length limit gives everywhere else.
        raise OverflowError("printf: widths and precisions too large")
    placeholders = ", ".join("?" * (len(arguments) + 1))
    query = f"select printf({placeholders})"
    return _plain_connection().execute(query, (pattern, *arguments)).fetchone()[0]


def budgeted_rows(connection: sqlite3.Connection):
    """A row factory that counts each cursor's bytes and stops past MAX_RESULT_BYTES."""
    spent: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def row(cursor, values):
        size = spent.get(cursor, 0)
        for value in values:
            if isinstance(value, str | bytes):
                size += len(value)
        if size > MAX_RESULT_BYTES:
            raise ResultTooLarge(
                f"the result is over {MAX_RESULT_BYTES // 1_000_000} MB; select fewer rows or "
                "columns, or download the database"
            )
        spent[cursor] = size
        return sqlite3.Row(cursor, values)

    return row


@hookimpl
def prepare_connection(conn):
    for category, limit in LIMITS.items():
        conn.setlimit(category, limit)
    for name in ("printf", "format"):
        conn.create_function(name, -1, guarded_printf, deterministic=True)
    conn.row_factory = budgeted_rows(conn)
