"""Statistics for SQLite's query planner (`sqlite_stat1`), written by every build.

Without them SQLite guesses how selective each index is, and on the real catalog it guessed
wrong for the catalog pages Datasette serves most: one category's page sorted the category's
rows to show 21 of them (13.5 ms) instead of walking the name index, and the page filtered by a
modality and a language scanned the modality's rows (19 ms) instead of looking up the language's
entries (under 1 ms). BENCHMARKS.md, "Planner statistics for the catalog pages", has the plans
before and after.

Only the tables those pages filter are analysed: the catalog and its child tables `languages` and
`domains`. ANALYZE reads every row of each (no sampling: `analysis_limit` is 0 and this SQLite has
no STAT4), so the same rows give the same statistics: a cold build stays byte-reproducible, and a
warm build, which runs it again on its changed rows (0.03-0.04 CPU-s at the real catalog), holds
the same statistics as a cold one. The other tables keep the planner's defaults, under which their
pages were measured.
"""

from __future__ import annotations

import sqlite3

ANALYSED = ("catalog", "languages", "domains")


def write_planner_stats(connection: sqlite3.Connection) -> None:
    """Statistics of ANALYSED from their current rows, replacing any earlier ones."""
    connection.execute("PRAGMA analysis_limit = 0")  # every row: the same rows, the same numbers
    for table in ANALYSED:
        connection.execute(f"ANALYZE main.[{table}]")
