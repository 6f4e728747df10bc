"""Datasette plugin: full-text search that stays fast when a search matches most rows.

Datasette 1.0a41 filters a table search with

    rowid in (select rowid from catalog_fts where catalog_fts match escape_fts(:search))

and SQLite answers `... order by name limit 51` by looking up every match by
rowid and sorting them all: fine for a few hundred matches, 50-70 ms when a
common word matches most of 100,000 rows. The same clause feeds the count and
every facet, which also look up every matching row.

When the matches are a large share of the table, this plugin writes the
clause as `+rowid in (...)`. The unary `+` stops SQLite from looking rows up
by rowid, so it walks an index instead and probes the (materialised) match set
with each index entry's rowid: the index on the sort column, stopping after
one page (15-30 ms instead of 50-70 ms for a word in every row of 100,000),
and the faceted column's index for a facet. "Large" is more than a tenth of
the rows for a page of rows alone, and more than a quarter when the request
also counts and facets every match (the HTML page, ?_extra=count), because a
facet or count walks its whole index. Smaller match sets keep Datasette's
clause, whose lookups are then the cheaper plan. The share is counted exactly
up to 1,000 matches and estimated above that from the rowids of the first
1,000 (a wrong estimate costs time, never a row).

A search matching nearly every row (all but 1,000 and 1%), asked for a page
of rows alone in the table's configured, indexed order with no other filter,
skips collecting the matches (10-15 ms at 100,000 rows): the clause becomes
`exists (select 1 from catalog_fts where ... and rowid = catalog.rowid)`, so
each row walked in the sort index is probed in the full-text index, and the
walk meets at most those few misses before the page is full. Under any other
condition one probe per row could mean one per row of the table.

Best of all, when the table's rowids follow its browse order (the build
writes the catalog sorted by name, then id; checked once per database), a
page of rows alone in that order is the next matches in rowid order, which
FTS5 streams: the clause becomes `rowid in (select rowid from catalog_fts
where ... and rowid > R order by rowid limit N)`, with R the rowid of the
`_next` cursor's row and N the page size plus one. That reads one page of
matches whatever their share.

Either way the match set, the order, pagination, escaping and time limits are
Datasette's own: only the plan changes.

The clause is rewritten in a hook wrapper around Datasette's own
`filters_from_request` hooks, so the search parameters, permission check and
page text stay Datasette's. A clause in any other form is left as it is.
"""

from __future__ import annotations

import re
import sqlite3
from weakref import WeakKeyDictionary

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils import await_me_maybe, escape_sqlite, urlsafe_components

# Datasette's search clause (filters.py, search_filters), for ?_search= and ?_search_COLUMN=.
SEARCH_CLAUSE = re.compile(
    r"rowid in \(select rowid from (?P<fts>\w+|\"[^\"]+\") where (?P<match>\S+ match "
    r"(?:escape_fts\(:search(?:_\d+)?\)|:search(?:_\d+)?))\)"
)
# Above these shares of the table's rows, walking an index beats looking up
# every match (measured at 100,000 rows): for one page of rows, above about a
# tenth; for a request that also counts and facets every match (the HTML page,
# ?_extra=count or facet_results), whose facets then walk whole indexes, above
# a quarter.
WALK_SHARE_FOR_ROWS = 0.1
WALK_SHARE_FOR_COUNTS = 0.25
COUNTING_EXTRAS = {"count", "facet_results", "facets_timed_out", "suggested_facets", "_html"}
# Matches read to measure the share: FTS5 returns them in rowid order, so how
# far into the table's rowids the first 1,000 reach estimates the share
# without reading every match (a word in every row has 100,000 at 100,000 rows).
SAMPLE_MATCHES = 1000
# A page of rows alone, in the table's configured (indexed) order, of a search
# that misses at most this many rows (and at most 1% of them): each walked row
# is probed in the full-text index instead of collecting every match first,
# and the walk meets at most that many misses before a page is full.
PROBE_MAX_MISSES = 1000
PAGE_ONLY_ARGS = {
    "_search",
    "_searchmode",
    "_size",
    "_next",
    "_sort",
    "_extra",
    "_shape",
    "_labels",
    "_col",
    "_nocol",
    "_json",
    "_nl",
}
# (rows, first rowid, last rowid) of tables in immutable databases, which cannot change while
# served.
ROWID_RANGES: WeakKeyDictionary = WeakKeyDictionary()
# Whether a table's rowids follow its configured sort order (then its key), per immutable database.
ROWID_ORDERED: WeakKeyDictionary = WeakKeyDictionary()


async def rowid_range(db, table: str) -> tuple[int, int, int]:
    """(row count, first rowid, last rowid) of `table`, read once for an immutable database."""
    ranges = ROWID_RANGES.setdefault(db, {}) if not db.is_mutable else {}
    if table not in ranges:
        name = escape_sqlite(table)
        sql = (
            f"select (select count(*) from {name}), (select min(rowid) from {name}), (select "
            f"max(rowid) from {name})"
        )
        ranges[table] = tuple((await db.execute(sql)).first())
    return ranges[table]


async def match_share(db, table: str, fts: str, match: str, params: dict) -> float:
    """Share of `table`'s rows the search matches: exact under SAMPLE_MATCHES matches, else
    estimated."""
    rows, first, _ = await rowid_range(db, table)
    if not rows:
        return 0.0
    sample = f"select rowid as r from {fts} where {match} order by rowid limit {SAMPLE_MATCHES}"
    found, reach = (await db.execute(f"select count(*), max(r) from ({sample})", params)).first()
    if found < SAMPLE_MATCHES:
        return found / rows
    return min(1.0, found / (reach - first + 1))


def counts_matches(request) -> bool:
    """True when the request counts or facets every match (the HTML page, ?_extra=count), not only a
    page of rows."""
    extras = {name for value in request.args.getlist("_extra") for name in value.split(",")}
    return (
        not request.path.endswith(".json")
        or bool(extras & COUNTING_EXTRAS)
        or any(key.startswith("_facet") for key in request.args)
    )


def page_only(request, sort_column: str | None) -> bool:
    """True for a page of rows alone, unfiltered, in the table's configured order (no count, facets,
    filters or other sort).

    Datasette's next_url repeats the configured sort as `_sort`, so that is allowed.
    """
    if counts_matches(request) or not set(request.args) <= PAGE_ONLY_ARGS:
        return False
    return sort_column is not None and request.args.get("_sort", sort_column) == sort_column


async def probes_each_row(
    datasette, request, db, database: str, table: str, fts: str, match: str, params: dict
) -> bool:
    """True for a page of rows alone, unfiltered, in the table's indexed sort order, of a search
    that misses only a few rows."""
    column = (await datasette.table_config(database, table)).get("sort")
    if not page_only(request, column):
        return False
    indexed = (
        "select count(*) from pragma_index_list(:table) l, pragma_index_info(l.name) i where "
        "i.seqno = 0 and i.name = :column"
    )
    if not column or not (await db.execute(indexed, {"table": table, "column": column})).first()[0]:
        return False
    rows = (await rowid_range(db, table))[0]
    matches = (await db.execute(f"select count(*) from {fts} where {match}", params)).first()[0]
    return rows - matches <= min(PROBE_MAX_MISSES, rows // 100)


async def rowids_in_sort_order(db, table: str, column: str) -> bool:
    """True when `table`'s rowids ascend in (column, primary key) order, so rowid order is the page
    order.

    The build writes the catalog that way; the check runs once per immutable
    database and is never assumed for a mutable one.
    """
    if db.is_mutable:
        return False
    known = ROWID_ORDERED.setdefault(db, {})
    if (table, column) not in known:
        pks = await db.primary_keys(table)
        if len(pks) != 1:
            known[table, column] = False
        else:
            order = f"{escape_sqlite(column)}, {escape_sqlite(pks[0])}"
            sql = (
                "select not exists (select 1 from (select rowid as r, lag(rowid) over (order by "
                f"{order}) as p from {escape_sqlite(table)}) where p > r)"
            )
            try:
                known[table, column] = bool(
                    (await db.execute(sql, custom_time_limit=5000)).first()[0]
                )
            except QueryInterrupted:
                known[table, column] = False
    return known[table, column]


async def page_after_rowid(
    datasette, request, db, database: str, table: str, column: str
) -> tuple[int, int] | None:
    """(rowid the page starts after, rows to read) for this page of rows in rowid order, or None
    when it cannot be told."""
    config = await datasette.table_config(database, table)
    size = request.args.get("_size") or config.get("size") or datasette.page_size
    try:
        size = datasette.max_returned_rows if size == "max" else int(size)
    except ValueError:
        return None
    if not 0 <= size <= datasette.max_returned_rows:
        return None
    cursor = request.args.get("_next")
    if not cursor:
        return 0, size + 1
    components = urlsafe_components(cursor)
    if len(components) != 2 or cursor.split(",")[0] == "$null":
        return None
    pk = (await db.primary_keys(table))[0]
    sql = (
        f"select rowid from {escape_sqlite(table)} where ({escape_sqlite(column)}, "
        f"{escape_sqlite(pk)}) <= (:value, :key) "
        f"order by {escape_sqlite(column)} desc, {escape_sqlite(pk)} desc limit 1"
    )
    before = (await db.execute(sql, {"value": components[0], "key": components[1]})).first()
    return (before[0] if before else 0), size + 1


async def rewritten_clause(
    datasette, request, db, database: str, table: str, clause: str, found: re.Match, params: dict
) -> str:
    """The cheapest clause with the same matches as Datasette's search `clause`, for this
    request."""
    fts, match = found["fts"], found["match"]
    column = (await datasette.table_config(database, table)).get("sort")
    if page_only(request, column) and await rowids_in_sort_order(db, table, column):
        page = await page_after_rowid(datasette, request, db, database, table, column)
        if page is not None:
            after, count = page
            return (
                f"rowid in (select rowid from {fts} where {match} and rowid > {int(after)} order "
                f"by rowid limit {int(count)})"
            )
    share = await match_share(db, table, fts, match, params)
    if share >= 0.99 and await probes_each_row(
        datasette, request, db, database, table, fts, match, params
    ):
        return (
            f"exists (select 1 from {fts} where {match} and rowid = {escape_sqlite(table)}.rowid)"
        )
    if share > (WALK_SHARE_FOR_COUNTS if counts_matches(request) else WALK_SHARE_FOR_ROWS):
        return f"+{clause}"
    return clause


async def faster_search(datasette, request, database: str, table: str, filter_arguments):
    """Rewrite Datasette's search clause in `filter_arguments` for a cheaper plan with the same
    rows."""
    if filter_arguments is None:
        return None
    db = datasette.get_database(database)
    clauses = []
    for clause in filter_arguments.where_clauses:
        found = SEARCH_CLAUSE.fullmatch(clause)
        if found is not None:
            try:
                clause = await rewritten_clause(
                    datasette, request, db, database, table, clause, found, filter_arguments.params
                )
            except (QueryInterrupted, sqlite3.OperationalError):
                # Keep Datasette's clause: the main query then reports a bad raw-mode search
                # as Datasette does.
                pass
        clauses.append(clause)
    filter_arguments.where_clauses = clauses
    return filter_arguments


@hookimpl(wrapper=True)
def filters_from_request(request, database, table, datasette):
    """Wrap every filters_from_request result so that a search clause can be rewritten after it is
    built."""
    results = yield

    def rewritten(result):
        async def inner():
            return await faster_search(
                datasette, request, database, table, await await_me_maybe(result)
            )

        return inner

    return [rewritten(result) for result in results]
