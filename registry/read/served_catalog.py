"""The served catalog's facet values and the rowids of each value, read once per process and
database: the database is served immutable, so they cannot change while the server runs. One read
serves the facet counts (commons_facets.py) and the array filters (array_filters.py); `datasette
serve` makes it at startup, so no request waits for it (about 1 s at 100,000 entries)."""

from __future__ import annotations

import threading

from registry.build.db_schema import ARRAY_FACET_COUNTS, PLAIN_FACET_COLUMNS
from registry.read.catalog_rowids import CatalogRowids, rowids_by_value
from registry.read.facet_values import FacetValues, read_facet_values

KEPT = "_commons_catalog_values"
_reading = threading.Lock()


def catalog_values(datasette, database: str, conn) -> tuple[FacetValues, CatalogRowids]:
    """The database's facet values and rowids per value, read on `conn` by the first caller (the
    others wait for it): a SQL function calls this from its connection's thread."""
    kept = datasette.__dict__.setdefault(KEPT, {})
    if database not in kept:
        with _reading:
            if database not in kept:
                values = read_facet_values(conn, PLAIN_FACET_COLUMNS, list(ARRAY_FACET_COUNTS))
                kept[database] = (values, rowids_by_value(values))
    return kept[database]


async def served_catalog_values(datasette, database: str) -> tuple[FacetValues, CatalogRowids]:
    """catalog_values from a request or from startup, on one of the database's threads."""
    kept = datasette.__dict__.get(KEPT, {})
    if database in kept:
        return kept[database]
    return await datasette.get_database(database).execute_fn(
        lambda conn: catalog_values(datasette, database, conn)
    )
