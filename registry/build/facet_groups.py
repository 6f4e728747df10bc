"""Facet counts by filter from the catalog's distinct facet combinations, not from every row.

facet_counts_by_filter holds, for each facet column used as a filter, the counts of every other
facet among the rows with each of its values: 81 pairs of plain columns and 18 of a plain column
and an entry's languages or domains, each a GROUP BY over the whole catalog (2.4 and 2.4 CPU-s of
a cold build at 100,000 synthetic entries). The catalog holds far fewer distinct combinations of
its nine plain facet columns than rows (4,372 of 100,000 there, 159 of 26,112 in the real
catalog), so each combination is counted once, with its languages and its domains, and the pairs
sum those counts: the same counts, the same rows (db_schema.FACET_COUNTS_BY_FILTER is the
definition; the tests hold the two equal).
"""

from __future__ import annotations

from registry.build.db_schema import PLAIN_FACET_COLUMNS

# Array facets counted per row of a child table: (facet, its table, its value column).
JOINED = {"languages": ("languages", "language"), "domains": ("domains", "domain")}
_COLUMNS = ", ".join(f"[{column}]" for column in PLAIN_FACET_COLUMNS)


def group_tables() -> list[str]:
    """SQL creating the temporary tables of combinations (counted in `n`), one plain and one per
    JOINED facet, from the unqualified `catalog` (fill_facet_counts' narrow copy)."""
    tables = [
        f"create temp table facet_groups as select {_COLUMNS}, count(*) as n from catalog "
        f"group by {_COLUMNS}"
    ]
    for facet, (table, value) in JOINED.items():
        tables.append(
            f"create temp table facet_groups_{facet} as select {_COLUMNS}, t.[{value}] as value, "
            f"count(*) as n from catalog c join main.[{table}] t on t.entry_id = c.id "
            f"group by {_COLUMNS}, t.[{value}]"
        )
    return tables


def drop_tables() -> list[str]:
    return ["drop table if exists temp.facet_groups"] + [
        f"drop table if exists temp.facet_groups_{facet}" for facet in JOINED
    ]


def grouped_counts(column: str, facet: str) -> str | None:
    """SQL of (filter_value, value, count) for the pair from the combinations, or None when the
    pair is not counted from them (signals: a count of distinct entries)."""
    if facet in PLAIN_FACET_COLUMNS:
        return (
            f"select [{column}] as filter_value, [{facet}] as value, sum(n) as count from "
            f"temp.facet_groups where [{column}] is not null and [{facet}] is not null "
            "group by 1, 2"
        )
    if facet in JOINED:
        return (
            f"select [{column}] as filter_value, value, sum(n) as count from "
            f"temp.facet_groups_{facet} where [{column}] is not null group by 1, 2"
        )
    return None
