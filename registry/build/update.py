"""One build's changes to the working database (work.py): rows added while files are parsed, then
the rest.

`update(work, stale)` opens the transaction; `Update.add` inserts each batch of
parsed rows while the workers go on; `Update.finish` writes what depends on the
whole catalog. For a new database
the overlaps are computed in a thread from rows gathered during the parse
(`start_pairs`), while the main thread writes the other tables.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from classifier.governance.tables import TABLES as GOVERNANCE_TABLES
from registry.build.db import (
    BuildFailed,
    create_fts,
    create_indexes,
    create_tables,
    fill_facet_counts,
    insert_rows,
    publish,
    rebuild_fts,
)
from registry.build.db_schema import ROWID_TABLES, TABLES
from registry.build.git_dates import FileDates
from registry.build.heap import give_back
from registry.build.in_place import facet_share, move_facet_counts
from registry.build.keyed_texts import LOOKUPS, TextIdCollision, key_rows
from registry.build.page_keys import links_before, write_page_digests
from registry.build.parse import DATE_COLUMNS, PreparedEntry, with_dates
from registry.build.planner_stats import write_planner_stats
from registry.build.text_uses import TextUses
from registry.build.work import CACHE_TABLES, WorkDatabase
from registry.overlap import catalog_pairs, pair_delta, pair_table
from registry.overlap.pair_features import PairFeatures

# Tables written whole every build (small, and not per entry).
WHOLE_TABLES = (
    "rules",
    "rule_changes",
    "fingerprints",
    "observations",
    "observation_signals",
    "builds",
    *GOVERNANCE_TABLES,
)
# Update.add fills in git dates on the rowid tables' rows only.
assert set(DATE_COLUMNS) <= set(ROWID_TABLES), "a table with git-date columns must be a rowid table"


def batch_size(files: int) -> int:
    """Entries per insert batch: a 16th of the files, within 64..256.

    The rows still waiting when the last file is parsed are inserted while the
    workers sit idle (a 1,000-file build spent 25 ms there with batches of 256);
    below 64 entries a batch costs more in statements than it saves.
    """
    return max(64, min(256, files // 16))


class Update:
    """The rows of one build's parsed files, inserted in batches while parsing goes on."""

    def __init__(
        self,
        work: WorkDatabase,
        files: int = 0,
        facets_before=None,
        pairs_before: tuple[set[str], pair_delta.Before] | None = None,
        uses: TextUses | None = None,
    ):
        """`files`: how many files will be parsed and added; `facets_before`: the changed entries'
        share of the facet counts before the change (in_place.facet_share), `pairs_before`
        the changed ids with what their pairs came from (pair_delta.Before), and `uses` the
        keyed texts' uses before their rows are removed (text_uses.py), for a rebuild."""
        self.work = work
        self.uses = uses
        self.facets_before = facets_before
        self.pairs_before = pairs_before
        self.batch = batch_size(files)
        self.pending: dict[str, list[tuple]] = {}
        self.pending_entries = 0
        self.by_rowid: dict[str, list[tuple]] = {table: [] for table in ROWID_TABLES}
        self.features: list[tuple[str, bytes, bytes]] = []
        self.terms: list[tuple[str, str, bytes, bytes, bytes]] = []
        self.parsed: set[str] = set()
        self.texts: dict[str, dict[int, str]] = {}  # lookup table → the texts queued, by id
        # A new database has every entry parsed now: the overlaps' inputs are
        # gathered as rows arrive, so that they can be computed while the rest
        # is checked and written (start_pairs).
        self.gathered: dict[str, list] | None = (
            {"features": [], "source_domains": [], "lineage": []} if work.new else None
        )
        self.threads = ThreadPoolExecutor(max_workers=1)
        self.pairs = None  # the future of the overlaps rows, once started

    def add(self, item: PreparedEntry, dates: FileDates) -> None:
        """Queue one parsed file's rows, with its git dates; a full batch is inserted."""
        self.parsed.add(item.refs.id)
        for table, table_rows in item.rows.items():
            if table in self.by_rowid:  # only the rowid tables have git-date columns
                self.by_rowid[table].extend(with_dates(table, row, dates) for row in table_rows)
            elif table in LOOKUPS:
                self._add_texts(table, table_rows)
            else:
                self.pending.setdefault(table, []).extend(table_rows)
        self.features.append((item.refs.id, *item.features))
        self.terms.append((item.refs.id, *item.terms))
        if self.gathered is not None:
            self.gathered["features"].append(self.features[-1])
            for table in ("source_domains", "lineage"):
                self.gathered[table].extend(item.rows.get(table, ()))
        self.pending_entries += 1
        if self.pending_entries >= self.batch:
            self._flush()

    def _add_texts(self, lookup: str, rows: list[tuple]) -> None:
        """Queue the (id, text) rows of `lookup` this build has not queued yet: a text that
        thousands of entries name goes to SQLite once, not once per entry. An id met again with
        another text is queued, and fails there (insert_lookup_rows: TextIdCollision)."""
        queued = self.texts.setdefault(lookup, {})
        new = [row for row in rows if queued.get(row[0]) != row[1]]
        if new:
            for key, text in new:
                queued.setdefault(key, text)
            self.pending.setdefault(lookup, []).extend(new)

    def start_pairs(self) -> None:
        """For a new database, once every file is parsed: start computing the overlaps from the
        gathered rows."""
        if self.gathered is None or self.pairs is not None:
            return
        features = {
            entry_id: PairFeatures(
                np.frombuffer(hashes, dtype=np.uint64), np.frombuffer(signature, dtype=np.uint16)
            )
            for entry_id, hashes, signature in self.gathered["features"]
        }
        inputs = catalog_pairs.gathered_inputs(
            features, self.gathered["source_domains"], self.gathered["lineage"]
        )
        self.gathered = None
        self.pairs = self.threads.submit(self._pair_rows, inputs)

    def close(self) -> None:
        """Wait for the overlaps thread, if any (a failed build still lets it finish before the
        files go)."""
        self.threads.shutdown(wait=True)

    def _flush(self) -> None:
        insert_rows(self.work.db, self.pending)
        if self.work.new:
            for table, rows in self.by_rowid.items():
                self.work._stage_rowid_rows(table, rows)
                rows.clear()
        self.work.db.conn.executemany(
            "insert into cache.pair_features values (?, ?, ?)", self.features
        )
        self.work.db.conn.executemany(
            "insert into cache.index_terms values (?, ?, ?, ?, ?)", self.terms
        )
        self.features = []
        self.terms = []
        self.pending = {}
        self.pending_entries = 0

    def finish(
        self,
        dates: dict[str, FileDates],
        whole: dict[str, list[tuple]],
        entry_count: int,
        rows_final: Callable[[sqlite3.Connection, Future], None] | None = None,
    ) -> None:
        """Write the rest: rowid tables, changed dates, whole tables, the FTS index, overlaps,
        indexes, facet counts, the planner's statistics, the page digests.

        The overlap writer commits, so from there a marker file says this copy
        may be ahead of the published database until `published()`: a build
        failing after it discards the copy instead of trusting it. A failure
        before it rolls the whole update back, and the copy stays the last
        build's. `dates`: every current entry's git dates, by id; `whole`: the
        rows of WHOLE_TABLES; `rows_final` is called once the catalog's rows and the
        entries' cached terms are final, with the overlap pairs' future
        (overlap_index.EarlyIndex.start).
        """
        work, db = self.work, self.work.db
        self._flush()
        # The overlaps are computed in a thread while the rest of the database is
        # written here (NumPy and SQLite release the GIL while they work): a new
        # database's already started (start_pairs), a rebuild's from every
        # entry's pair features, all in the cache table now (_check_counts checks).
        if self.pairs is None:
            features = work.pair_features()
            self.pairs = self.threads.submit(
                self._pair_rows,
                catalog_pairs.pair_inputs(db.conn, features=features, ids=sorted(features)),
            )
        for table in ROWID_TABLES:
            if work.new:
                work._copy_staged_rowid_table(table)
            else:
                work._write_rowid_table(table, self.by_rowid[table])
        redated = work._update_dates(dates, skip=self.parsed)
        if rows_final is not None:
            rows_final(db.conn, self.pairs)
        for table in WHOLE_TABLES:
            db.execute(f"delete from [{table}]")
        insert_rows(db, {table: whole.get(table, []) for table in WHOLE_TABLES})
        if work.new:  # a rebuild's index and counts were changed by difference (in_place.py)
            create_fts(db)
            rebuild_fts(db)
            # the overlaps' indexes once its rows are in, below
            create_indexes(db, [table for table in TABLES if table != "overlaps"])
            fill_facet_counts(db)
        else:
            move_facet_counts(db, self.facets_before, facet_share(db, sorted(self.parsed)))
        write_planner_stats(db.conn)
        result = self.pairs.result()
        before = None
        if self.pairs_before is not None:  # what the rewritten entries named, for page_digests
            before = links_before(db.conn, result.entries, self.pairs_before[1].links)
        work.marker.touch()
        if self.uses is not None:
            self.uses.overlaps_replaced(result.entries, written=False)
        try:
            self._write_pairs(result)
        except TextIdCollision as error:
            raise BuildFailed(str(error)) from None
        if self.uses is not None:  # a rebuild's replaced rows may have named texts no row names now
            self.uses.overlaps_replaced(result.entries, written=True)
            self.uses.drop_unused()
        write_page_digests(db.conn, before, redated)
        work._check_counts(entry_count)

    def _write_pairs(self, result: pair_delta.PairResult) -> None:
        """The overlaps rows and the proposals kept for the next build (commits)."""
        work, conn = self.work, self.work.db.conn
        if result.entries is None:
            conn.execute("delete from cache.pair_proposals")
        conn.executemany(
            "insert or replace into cache.pair_proposals values (?, ?)", result.proposals.items()
        )
        if work.new:
            pair_table.copy_staged(conn, work.staging, len(result.rows))
            work.staging.unlink(missing_ok=True)
            create_indexes(work.db, ["overlaps"])
        elif result.entries is None:
            pair_table.write_rows(conn, result.rows)
        else:
            pair_table.write_rows_of(conn, result.entries, result.rows)

    def _pair_rows(self, inputs: catalog_pairs.PairInputs) -> pair_delta.PairResult:
        """The overlaps rows: of the entries a rebuild's change reaches (pair_delta.py) when it can,
        else of all; for a new database also written to its staging file, here, beside the other
        tables' writes."""
        if self.pairs_before is not None:
            result = pair_delta.incremental(inputs, *self.pairs_before)
            if result is not None:
                return result
        result = pair_delta.full(inputs)
        if self.work.new:
            pair_table.stage_rows(self.work.staging, result.rows)
        give_back()  # the candidates' arrays, freed in this thread's heap
        return result


@contextlib.contextmanager
def update(work: WorkDatabase, stale: set[str], files: int = 0) -> Iterator[Update]:
    """A transaction that replaces the rows of the `stale` entries (changed or gone) with the files
    parsed now.

    Rows are added as files are parsed (`Update.add`), so inserting overlaps
    parsing. Until `Update.finish` everything is one transaction: an error
    (such as an invalid entry) rolls it back and the copy is as it was. `files`:
    how many files will be parsed (Update sizes its insert batches by it).
    """
    conn = work.db.conn
    conn.execute("BEGIN")
    try:
        if work.new:
            create_tables(work.db)
            for create in CACHE_TABLES.values():
                conn.execute(create)
            # A new database's rowid-table rows wait here until they can be numbered in order.
            for table in ROWID_TABLES:
                conn.execute(
                    f"create temp table [staged_{table}] "
                    f"({', '.join(f'[{c}]' for c in TABLES[table]['columns'])})"
                )
        # A new database has no rows to remove; a rebuild's facet counts move by the changed
        # entries' share, counted here before their rows go.
        before = None if work.new else facet_share(work.db, sorted(stale))
        pairs_before = None if work.new else (set(stale), work.pairs_before(sorted(stale)))
        uses = None if work.new else TextUses(conn, sorted(stale))
        work._mark_stale([] if work.new else sorted(stale))
        changes = Update(work, files, before, pairs_before, uses)
        try:
            yield changes
        finally:
            changes.close()
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        # A new database's staged overlaps (its pairs thread is done: close waited for it).
        work.staging.unlink(missing_ok=True)
        raise
    if conn.in_transaction:
        conn.commit()
    work.new = False


def fill(work: WorkDatabase, rows: dict[str, list[tuple]]) -> None:
    """A new database from `rows` of every table (tests and tools that have rows, not files)."""
    if not work.new:
        raise BuildFailed("fill() needs an empty working database")
    work.marker.touch()
    rows = {table: list(table_rows) for table, table_rows in rows.items()}
    key_rows(rows)
    with update(work, set()):
        for table in ROWID_TABLES:
            work._stage_rowid_rows(table, rows.get(table, []))
            work._copy_staged_rowid_table(table)
        insert_rows(
            work.db,
            {table: table_rows for table, table_rows in rows.items() if table not in ROWID_TABLES},
        )
        create_indexes(work.db)
        fill_facet_counts(work.db)
        create_fts(work.db)
        rebuild_fts(work.db)
        write_planner_stats(work.db.conn)
        write_page_digests(work.db.conn)


def write_database(out: Path, rows: dict[str, list[tuple]]) -> None:
    """Build `out` from `rows` alone (no cache, no computed tables); replace it only when every
    check passes."""
    with WorkDatabase.temporary(out) as work:
        fill(work, rows)
        publish(work.db.conn, out)
