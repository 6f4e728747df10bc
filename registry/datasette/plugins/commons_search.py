"""Datasette plugin: full-text search that stays fast when a search matches most rows.

Datasette 1.0a41 filters a table search with

    rowid in (select rowid from catalog_fts where catalog_fts match escape_fts(:search))

and SQLite answers `... order by name limit 51` by looking up every match by
rowid and sorting them all: fine for a few hundred matches, 50-70 ms when a
common word matches most of 100,000 rows. The same clause feeds the count and
every facet, which also look up every matching row.

When the matches are more than a quarter of the table, this plugin writes the
clause as `+rowid in (...)`. The unary `+` stops SQLite from looking rows up
by rowid, so it walks an index instead and probes the (materialised) match set
with each index entry's rowid: the index on the sort column, stopping after
one page; the narrowest index for the count; the faceted column's index for a
facet. Walking an index costs about a quarter of looking up a row, hence the
threshold. Fewer matches keep Datasette's clause, whose lookups are then the
cheaper plan. Either way the match set, the order, pagination, escaping and
time limits are Datasette's own: only the plan changes.

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
from datasette.utils import await_me_maybe, escape_sqlite

# Datasette's search clause (filters.py, search_filters), for ?_search= and ?_search_COLUMN=.
SEARCH_CLAUSE = re.compile(
    r"rowid in \((?P<matches>select rowid from (?P<fts>\w+|\"[^\"]+\") where \S+ match (?:escape_fts\(:(?P<p1>search(?:_\d+)?)\)|:(?P<p2>search(?:_\d+)?)))\)"
)
# Above this share of the table's rows, walking an index beats looking up every match.
INDEX_WALK_SHARE = 0.25
# Row counts of immutable databases, which cannot change while served.
ROW_COUNTS: WeakKeyDictionary = WeakKeyDictionary()


async def matches_more_than(db, matches_sql: str, params: dict, limit: int) -> bool:
    """True when the search has more than `limit` matches, reading at most limit + 1 of them."""
    sql = f"select count(*) from ({matches_sql} limit {int(limit) + 1})"
    rows = await db.execute(sql, params)
    return rows.first()[0] > limit


async def table_rows(db, table: str) -> int:
    """Row count of `table`, counted once for an immutable database."""
    counts = ROW_COUNTS.setdefault(db, {}) if not db.is_mutable else {}
    if table not in counts:
        counts[table] = (await db.execute(f"select count(*) from {escape_sqlite(table)}")).first()[0]
    return counts[table]


async def faster_search(datasette, database: str, table: str, filter_arguments):
    """Rewrite Datasette's search clause in `filter_arguments` when the search matches a large share of `table`."""
    if filter_arguments is None:
        return None
    db = datasette.get_database(database)
    clauses = []
    for clause in filter_arguments.where_clauses:
        match = SEARCH_CLAUSE.fullmatch(clause)
        if match is not None:
            try:
                limit = INDEX_WALK_SHARE * await table_rows(db, table)
                if await matches_more_than(db, match["matches"], filter_arguments.params, limit):
                    clause = f"+{clause}"
            except (QueryInterrupted, sqlite3.OperationalError):
                pass  # Keep Datasette's clause: the main query then reports a bad raw-mode search as Datasette does.
        clauses.append(clause)
    filter_arguments.where_clauses = clauses
    return filter_arguments


@hookimpl(wrapper=True)
def filters_from_request(request, database, table, datasette):
    """Wrap every filters_from_request result so that a search clause can be rewritten after it is built."""
    results = yield

    def rewritten(result):
        async def inner():
            return await faster_search(datasette, database, table, await await_me_maybe(result))

        return inner

    return [rewritten(result) for result in results]
