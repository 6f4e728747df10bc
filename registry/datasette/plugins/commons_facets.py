"""Datasette plugin: catalog facets that read the build's counts or an indexed child table.

Two facet types for the `catalog` table, configured in datasette.yml:

- `indexed_column: category` is Datasette's column facet, except that on the
  unfiltered table it reads the value counts the build wrote into
  `facet_counts`. Grouping 100,000 rows for each of five columns on every
  request cost 20-30 ms per facet; the database is immutable, so the stored
  counts are exact. A page filtered by one plain column alone (?category=...)
  reads the build's counts for that filter from `facet_counts_by_filter` (200 ms
  of GROUP BYs per request for the 26,000 rows of one category). Any other
  filtered or searched page evaluates its filter once, for its ids, and counts
  every facet from each entry's values, read once per process
  (registry/read/facet_values.py): one GROUP BY per facet re-evaluated the
  whole filter each time (80-110 ms a page for 8 facets).
- `indexed_array: languages` counts an array column from its normalised child
  table (languages, domains, signals) instead of Datasette's array facet,
  which runs `select distinct j.value, inner.*` over json_each of every row
  (230 ms at 10,000 entries, past the facet time limit at 100,000). Unfiltered
  it reads `facet_counts` too; filtered, the page's ids as above. Selecting a
  value still filters with Datasette's own `column__arraycontains=value`, so
  URLs match an array facet.

A page filtered by an array value reads only the rows its facet filters leave: see
array_filters.py.

Every connection also maps the (read-only, immutable) database file into
memory, so a search that touches most rows reads pages without a system call
per page.
"""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import ArrayFacet, ColumnFacet
from datasette.utils import path_with_removed_args

from registry.build.db_schema import ARRAY_FACET_COUNTS, PLAIN_FACET_COLUMNS
from registry.read.facet_values import FacetValues
from registry.read.served_catalog import served_catalog_values

MMAP_BYTES = 1 << 30  # address space only; pages come from the shared OS cache


def is_unfiltered(facet) -> bool:
    """True for the whole catalog: no filter, no search, so the build's counts apply."""
    return (
        facet.table == "catalog" and not facet.params and " where " not in f" {facet.sql.lower()} "
    )


# Query arguments that page, sort, shape or choose facets: they leave the facet counts as they are.
PAGE_ARGS = {
    "_size",
    "_sort",
    "_sort_desc",
    "_next",
    "_col",
    "_nocol",
    "_extra",
    "_labels",
    "_shape",
    "_facet",
    "_facet_size",
    "_facet_indexed_column",
    "_facet_indexed_array",
}


def single_filter(facet) -> tuple[str, str] | None:
    """(column, value) when the catalog is filtered by exactly one plain column equal to one value
    and nothing else (no search, no other filter), so the build's counts for that filter apply."""
    if facet.table != "catalog":
        return None
    filters = []
    for key, value in parse_qsl(facet.request.query_string, keep_blank_values=True):
        if key.startswith("_"):
            if key not in PAGE_ARGS:
                return None
        else:
            filters.append((key.removesuffix("__exact"), value))
    if len(filters) != 1 or filters[0][0] not in PLAIN_FACET_COLUMNS:
        return None
    return filters[0]


def unique_configs(configs: list[dict]) -> list[dict]:
    """Each column once: a facet both configured and asked for in the URL (the home page's links) is
    computed once."""
    seen = set()
    unique = []
    for source_and_config in configs:
        config = source_and_config["config"]
        column = config.get("column") or config["simple"]
        if column not in seen:
            seen.add(column)
            unique.append(source_and_config)
    return unique


class AddedArgLinks:
    """Links to this page with one more filter, its query parsed and encoded once.

    A facet list has a link per value (about 240 on the catalog page); building
    each with path_with_added_args and absolute_url re-parsed and re-encoded the
    whole query every time. Same links: the new pair goes last.
    """

    def __init__(self, datasette, request):
        self.prefix = datasette.absolute_url(request, request.path)
        self.query = urlencode(parse_qsl(request.query_string))

    def __call__(self, key: str, value) -> str:
        added = urlencode({key: value})
        return f"{self.prefix}?{self.query}&{added}" if self.query else f"{self.prefix}?{added}"


async def facet_values(datasette, database: str) -> FacetValues:
    """Every entry's facet values, read once per process (registry/read/served_catalog.py)."""
    return (await served_catalog_values(datasette, database))[0]


def page_rowids(facet) -> asyncio.Future:
    """The rowids of the rows the page's filter and search select, evaluated once per request: both
    facet classes of the page await the same query (a timeout reaches both)."""
    pending = facet.request.__dict__.setdefault("_commons_facet_rowids", {})
    key = (facet.database, facet.sql, tuple(sorted((facet.params or {}).items())))
    if key not in pending:
        pending[key] = asyncio.ensure_future(read_page_rowids(facet))
    return pending[key]


async def read_page_rowids(facet):
    ids = await facet.ds.execute(
        facet.database,
        f"select id from ({facet.sql})",
        facet.params,
        truncate=False,
        custom_time_limit=facet.ds.setting("facet_time_limit_ms"),
    )
    values = await facet_values(facet.ds, facet.database)
    return values.rowids([row[0] for row in ids.rows])


async def filtered_counts(facet, column: str, limit: int) -> list[dict]:
    """One facet's counts among the page's rows, from their rowids and the entries' values."""
    rowids = await page_rowids(facet)
    values = await facet_values(facet.ds, facet.database)
    return values.counts(column, rowids, limit)


async def page_counts(facet, column: str, limit: int) -> list[dict]:
    """One facet's `limit` first values and counts for the page: the build's counts when they
    apply (whole catalog, one plain filter), else counted from the page's ids."""
    if is_unfiltered(facet):
        return await stored_counts(facet.ds, facet.database, column, limit)
    filtered = single_filter(facet)
    if filtered is not None:
        return await stored_counts(facet.ds, facet.database, column, limit, filtered)
    return await filtered_counts(facet, column, limit)


async def stored_counts(datasette, database: str, column: str, limit: int, filtered=None):
    """The build's counts for one facet of the unfiltered catalog, or of the catalog filtered by
    `filtered` (column, value), read once per process.

    The database is served immutable, so they cannot change while it runs."""
    cache = datasette.__dict__.setdefault("_commons_stored_facet_counts", {})
    key = (database, column, limit, filtered)
    if key not in cache:
        params = {"facet": column}
        if filtered:
            params.update(filter_facet=filtered[0], filter_value=filtered[1])
        rows = await datasette.execute(
            database,
            stored_counts_sql(limit, filtered is not None),
            params,
            truncate=False,
            custom_time_limit=datasette.setting("facet_time_limit_ms"),
        )
        cache[key] = [{"value": row["value"], "count": row["count"]} for row in rows.rows]
    return cache[key]


def stored_counts_sql(limit: int, filtered: bool = False) -> str:
    if filtered:
        return (
            "select value, count from facet_counts_by_filter where filter_facet = :filter_facet "
            "and filter_value = :filter_value and facet = :facet order by count desc, value "
            f"limit {limit}"
        )
    return (
        "select value, count from facet_counts where facet = :facet order by count desc, value "
        f"limit {limit}"
    )


class IndexedColumnFacet(ColumnFacet):
    """A column facet that reads build-time counts for the unfiltered catalog."""

    type = "indexed_column"

    async def suggest(self):
        return []

    def get_configs(self):
        return unique_configs(super().get_configs())

    async def facet_results(self):
        results = []
        timed_out = []
        facet_size = self.get_facet_size()
        pairs = self.get_querystring_pairs()
        added = AddedArgLinks(self.ds, self.request)
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            if self.table != "catalog" or column not in PLAIN_FACET_COLUMNS:
                # Neither stored nor read per entry: Datasette's GROUP BY for every facet of this
                # request.
                return await super().facet_results()
            try:
                rows = await page_counts(self, column, facet_size + 1)
            except QueryInterrupted:
                timed_out.append(column)
                continue
            values = [self._value(row, column, pairs, added) for row in rows[:facet_size]]
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "hideable": source_and_config["source"] != "metadata",
                    "toggle_url": self.ds.urls.path(
                        path_with_removed_args(self.request, {f"_facet_{self.type}": column})
                    ),
                    "results": values,
                    "truncated": len(rows) > facet_size,
                }
            )
        return results, timed_out

    def _value(self, row, column: str, pairs, added: AddedArgLinks) -> dict:
        """One stored count as Datasette shows a facet value, with the URL that toggles it."""
        value = row["value"]
        column_qs = f"{column}__exact" if column.startswith("_") else column
        selected_args = {
            key: str(value) for key in (column_qs, f"{column}__exact") if (key, str(value)) in pairs
        }
        toggle = (
            self.ds.absolute_url(self.request, path_with_removed_args(self.request, selected_args))
            if selected_args
            else added(column_qs, value)
        )
        return {
            "value": value,
            "label": value,
            "count": row["count"],
            "toggle_url": toggle,
            "selected": bool(selected_args),
        }


class IndexedArrayFacet(ArrayFacet):
    """An array facet whose counts come from an indexed child table instead of json_each."""

    type = "indexed_array"

    async def suggest(self):
        return []

    def get_configs(self):
        return unique_configs(super().get_configs())

    async def facet_results(self):
        results = []
        timed_out = []
        facet_size = self.get_facet_size()
        pairs = set(self.get_querystring_pairs())
        added = AddedArgLinks(self.ds, self.request)
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            if self.table != "catalog" or column not in ARRAY_FACET_COUNTS:
                continue
            try:
                rows = await page_counts(self, column, facet_size + 1)
            except QueryInterrupted:
                timed_out.append(column)
                continue
            key = f"{column}__arraycontains"
            values = []
            for row in rows[:facet_size]:
                value = str(row["value"])
                selected = (key, value) in pairs
                values.append(
                    {
                        "value": value,
                        "label": value,
                        "count": row["count"],
                        "toggle_url": self.ds.absolute_url(
                            self.request, path_with_removed_args(self.request, {key: value})
                        )
                        if selected
                        else added(key, value),
                        "selected": selected,
                    }
                )
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "results": values,
                    "hideable": source_and_config["source"] != "metadata",
                    "toggle_url": self.ds.urls.path(
                        path_with_removed_args(self.request, {f"_facet_{self.type}": column})
                    ),
                    "truncated": len(rows) > facet_size,
                }
            )
        return results, timed_out


@hookimpl
def register_facet_classes():
    return [IndexedColumnFacet, IndexedArrayFacet]


@hookimpl
def prepare_connection(conn):
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")


@hookimpl
def startup(datasette):
    """Read the facet values and the rowids per value of every database with a catalog as the
    server starts (registry/read/served_catalog.py): `datasette serve` answers once startup is
    done, so no request waits for them."""

    async def load():
        for name, database in datasette.databases.items():
            if await database.table_exists("catalog"):
                await served_catalog_values(datasette, name)

    return load
