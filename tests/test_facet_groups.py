"""facet_counts_by_filter, counted from the catalog's facet combinations (facet_groups.py), holds
what each pair's definition (db_schema.FACET_COUNTS_BY_FILTER) gives over every catalog row."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from registry.build.db_schema import FACET_COUNTS_BY_FILTER, PLAIN_FACET_COLUMNS
from registry.build.facet_groups import JOINED, grouped_counts


def test_stored_counts_by_filter_equal_each_definition_over_the_rows(registry_db):
    with closing(sqlite3.connect(f"file:{registry_db}?mode=ro", uri=True)) as connection:
        stored = connection.execute(
            "select filter_facet, filter_value, facet, value, count from facet_counts_by_filter "
            "order by 1, 3, 2, 4"
        ).fetchall()
        expected = []
        for column, facet in sorted(FACET_COUNTS_BY_FILTER):
            definition = FACET_COUNTS_BY_FILTER[column, facet]
            expected += [
                (column, filter_value, facet, value, count)
                for filter_value, value, count in connection.execute(
                    f"select * from ({definition}) order by 1, 2"
                )
            ]
    assert stored == expected
    assert {row[2] for row in stored} >= {*PLAIN_FACET_COLUMNS[:3], *JOINED}


def test_every_pair_but_the_signals_is_counted_from_the_combinations():
    counted = {pair for pair in FACET_COUNTS_BY_FILTER if grouped_counts(*pair) is not None}
    assert {facet for _, facet in set(FACET_COUNTS_BY_FILTER) - counted} == {"signals"}
