"""Each catalog entry's facet values, read once per process, so a filtered page's facets are
counted from its ids alone.

A filtered or searched catalog page used to run one GROUP BY per column facet and one count per
array facet, each evaluating the page's whole filter again (8 facets: 80-110 ms a page on the
real catalog). The database is served immutable, so every entry's values can be read once; a page
then evaluates its filter once, for its ids, and counts every facet from them in Python.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain


class FacetValues:
    """Per facet column: entry id → its value (plain columns) or its distinct values (arrays)."""

    def __init__(self, plain: dict[str, dict], arrays: dict[str, dict]):
        self.plain = plain
        self.arrays = arrays

    def covers(self, column: str) -> bool:
        return column in self.plain or column in self.arrays

    def counts(self, column: str, ids: list, limit: int) -> list[dict]:
        """The `limit` most frequent values among `ids`, as Datasette orders a facet: count
        descending, then value. Null values are not counted (Datasette's `is not null`)."""
        if column in self.plain:
            tally = Counter(map(self.plain[column].get, ids))
            tally.pop(None, None)
        else:
            per_entry = self.arrays[column]
            tally = Counter(chain.from_iterable(per_entry.get(i, ()) for i in ids))
        ranked = sorted(tally.items(), key=sqlite_facet_order)[:limit]
        return [{"value": value, "count": count} for value, count in ranked]


def sqlite_facet_order(value_count: tuple) -> tuple:
    """`order by count desc, value` as SQLite sorts: numbers before text before blobs. Text compares
    by code point, which is the order of SQLite's BINARY collation on UTF-8."""
    value, count = value_count
    rank = 0 if isinstance(value, (int, float)) else 1 if isinstance(value, str) else 2
    return (-count, rank, value)


def read_facet_values(conn, plain_columns: list[str], array_columns: list[str]) -> FacetValues:
    """Every catalog entry's values of the given columns, from one sqlite3 connection. Array values
    come from json_each of the catalog's own column, as Datasette's array facet reads them, once
    per entry and value."""
    plain = {column: {} for column in plain_columns}
    selected = ", ".join(f"[{column}]" for column in plain_columns)
    for row in conn.execute(f"select id, {selected} from catalog"):
        for column, value in zip(plain_columns, row[1:], strict=True):
            if value is not None:
                plain[column][row[0]] = value
    arrays = {}
    for column in array_columns:
        per_entry: dict = {}
        sql = f"select distinct c.id, j.value from catalog c, json_each(c.[{column}]) j"
        for entry_id, value in conn.execute(sql + " where j.value is not null"):
            per_entry.setdefault(entry_id, []).append(value)
        arrays[column] = {entry_id: tuple(values) for entry_id, values in per_entry.items()}
    return FacetValues(plain, arrays)
