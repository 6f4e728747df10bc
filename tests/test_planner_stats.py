"""The planner's statistics the build writes (registry/build/planner_stats.py): present for the
tables the catalog pages filter, counted from the published rows. That a cold build stays
byte-reproducible with them is tests/test_build.py's, that a warm build holds the cold build's is
tests/test_build_warm.py's (tests/db_content.py compares sqlite_stat1)."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from registry.build.planner_stats import ANALYSED


def test_the_filtered_tables_carry_statistics_of_their_rows(built_registry):
    with closing(sqlite3.connect(built_registry)) as connection:
        stats = connection.execute("select tbl, idx, stat from sqlite_stat1").fetchall()
        assert {table for table, _, _ in stats} == set(ANALYSED)
        for table in ANALYSED:
            rows = connection.execute(f"select count(*) from [{table}]").fetchone()[0]
            sql = connection.execute("select sql from sqlite_master where name = ?", [table])
            keyed_by_name = "WITHOUT ROWID" in sql.fetchone()[0].upper()
            indexes = {
                table if keyed_by_name and origin == "pk" else index
                for _, index, _, origin, _ in connection.execute(f"pragma index_list([{table}])")
            }
            found = {index: stat for name, index, stat in stats if name == table}
            # every index of the table (a WITHOUT ROWID table's key under the table's name)
            assert indexes <= set(found), table
            assert {int(stat.split()[0]) for stat in found.values()} == {rows}, table
