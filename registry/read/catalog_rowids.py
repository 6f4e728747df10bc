"""The catalog rowids holding each value of its facet columns, read once per process, so a page
filtered by a language or a domain reads its own rows alone.

Datasette's `languages__arraycontains=en` is a json_each over every row's array. A child-table
clause (`id in (select entry_id from languages where ...)`) found the language's entries by index
but still read each of them (15,000 of 100,000 for `en`) to test the page's other filters, three
times a page (rows, count, the facets' ids): 35 CPU-ms a query at 100,000 entries. Intersecting
the rowids of every facet filter of the page first (the language's, the modality's...) leaves
only the rows the page lists to read (2,000 for `modality=text` and `en`: 4 CPU-ms a query).

The database is served immutable, so the sets cannot change while the process runs.
"""

from __future__ import annotations

import json

import numpy as np

from registry.read.facet_values import FacetValues, read_facet_values

EMPTY = np.empty(0, dtype=np.int64)


class CatalogRowids:
    """Per facet column: value → the sorted rowids of the catalog rows with that value (plain
    columns) or whose array holds it (array columns)."""

    def __init__(self, by_column: dict[str, dict[object, np.ndarray]]):
        self.by_column = by_column

    def matching(self, conditions: list[tuple[str, object]]) -> np.ndarray:
        """The sorted rowids of the rows meeting every (column, value) condition."""
        if not conditions:
            raise ValueError("at least one (column, value) condition is needed")
        sets = []
        for column, value in conditions:
            if column not in self.by_column:
                raise ValueError(f"no rowids are kept for the column {column!r}")
            sets.append(self.by_column[column].get(value, EMPTY))
        sets.sort(key=len)
        found = sets[0]
        for other in sets[1:]:
            found = np.intersect1d(found, other, assume_unique=True)
        return found

    def matching_json(self, conditions: list[tuple[str, object]]) -> str:
        """matching() as a JSON array, for SQL's json_each."""
        return json.dumps(self.matching(conditions).tolist())


def read_catalog_rowids(conn, plain_columns: list[str], array_columns: list[str]) -> CatalogRowids:
    """Every catalog row's rowid under each value of the given columns, from one sqlite3
    connection: rowids_by_value of the columns' facet values (null never matches; an array's
    values are json_each's, as Datasette's `column__arraycontains=value` reads them)."""
    return rowids_by_value(read_facet_values(conn, plain_columns, array_columns))


def rowids_by_value(values: FacetValues) -> CatalogRowids:
    """The rowids of each value, from the facet values' codes (one per rowid, or per array item),
    so a served catalog is read once for its facets and its filters alike."""
    by_column = {}
    for column, (names, codes) in values.plain.items():
        by_column[column] = _grouped(names, codes, np.arange(len(codes), dtype=np.int64))
    for column, (names, offsets, codes) in values.arrays.items():
        rowid_of_item = np.repeat(np.arange(len(offsets) - 1, dtype=np.int64), np.diff(offsets))
        by_column[column] = _grouped(names, codes, rowid_of_item)
    return CatalogRowids(by_column)


def _grouped(names: list, codes: np.ndarray, rowids: np.ndarray) -> dict[object, np.ndarray]:
    """value → its rowids, sorted, from each item's code (-1: null) and rowid, in rowid order."""
    order = np.argsort(codes, kind="stable")  # stable: each value's rowids stay in order
    bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
    return {name: rowids[order[bounds[c] : bounds[c + 1]]] for c, name in enumerate(names)}
