"""The build's working database: the last build's rows, changed by difference.

A build does not write the registry from scratch. It keeps a working copy in
the cache folder (`work-<key>.db`, one per cache key, so a change of code,
rules, schema or as-of date starts afresh), deletes and inserts the rows of
the entry files whose bytes changed, and updates what depends on the whole
catalog (dates, facet counts, overlaps, the full-text index) by difference
(in_place.py). A warm build then publishes a copy of this file as it is: the
same rows as a cold build of the same entries, not the same bytes
(`builds.incremental` says which it was). A cold build (a new working
database) is published with `VACUUM INTO` (db.publish), which writes every
table in storage order into a fresh file, so its bytes depend on the rows
alone: every table but two is WITHOUT ROWID (stored by its key), and the two
that keep a rowid (`entries`, `catalog`) are numbered in their declared row
order, which a warm build keeps too (the catalog's browse order is its rowid
order, which the search plugin reads).

The working copy is this project's own cache: it holds every entry's parsed
and classified rows, keyed by file name and the sha256 of the file's bytes
(`entries.source_path`, `entries.digest`). Without a cache folder it is a
temporary file beside the output, removed at the end.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import sqlite_utils

from registry.build import reuse
from registry.build.db import BuildFailed, rebuild_fts
from registry.build.db_schema import FTS_TABLE, TABLES
from registry.build.file_stats import FileStats
from registry.build.git_dates import FileDates
from registry.build.in_place import forget_documents, ids_table, index_documents
from registry.build.output import OutputFailed, file_errors, is_file_system_error
from registry.build.overlap_index import TERMS_COLUMNS
from registry.build.parse import EntryRefs
from registry.entry.schema import Fingerprint
from registry.overlap.pair_delta import Before
from registry.overlap.pair_features import PairFeatures

# Each entry's pair features (overlap/pair_features.py), its text candidates (the keys of the
# entries it proposes, overlap/pair_delta.py) and the text index's counted terms
# (overlap_index.py), in the attached cache file.
FEATURE_COLUMNS = "entry_id text not null, hashes blob not null, signature blob not null"
PROPOSAL_COLUMNS = "entry_id text not null, proposed blob not null"
# name → create table statement (in the cache schema). Rowid tables: their rows (~1.2 KB of
# term hashes and signature, ~2.5 KB of counted terms) would mostly spill to overflow pages in
# WITHOUT ROWID tables, which keep under 1 KB of a row in its page (at the real catalog the
# file held 223 MB for 97 MB of rows).
CACHE_TABLES = {
    name: f"create table cache.{name} ({columns}, primary key (entry_id))"
    for name, columns in (
        ("pair_features", FEATURE_COLUMNS),
        ("pair_proposals", PROPOSAL_COLUMNS),
        ("index_terms", TERMS_COLUMNS),
    )
}
# Tables holding rows of one entry each, found by entry_id; children before parents.
ENTRY_KEYED = [
    name
    for name, spec in reversed(TABLES.items())
    if "entry_id" in spec["columns"] and name != "overlaps"
]
# Renumbering a rowid table moves rows one by one while fewer than 1/MOVE_SHARE of them move.
MOVE_SHARE = 5


class WorkDatabase:
    """The rows of the last build, in `path`; `new` when no earlier build's rows are there."""

    def __init__(self, path: Path, journal: str, temporary: bool = False):
        self.path = path
        self.temporary = temporary
        self.marker = path.with_name(path.name + ".incomplete")
        self.db = sqlite_utils.Database(path)
        conn = self.db.conn
        # Each entry's pair features, in an attached file that VACUUM INTO main does not publish;
        # for a one-build database SQLite's own temporary file (removed on close), not memory: it
        # holds about 3.7 KB an entry, 370 MB at 100,000 entries.
        conn.execute(
            "ATTACH ? AS cache",
            ["" if temporary else str(path.with_name(path.name + ".features"))],
        )
        for schema in ("main", "cache"):
            conn.execute(f"PRAGMA {schema}.journal_mode={journal}")
            # The published copy is checked and fsynced (db.publish); these files are a cache.
            conn.execute(f"PRAGMA {schema}.synchronous=OFF")
        # Checked once over the whole published file (db.check_integrity), not per row.
        conn.execute("PRAGMA foreign_keys=OFF")
        has_features = conn.execute(
            "select count(*) from cache.sqlite_master where type = 'table' and name in "
            f"({', '.join('?' for _ in CACHE_TABLES)})",
            list(CACHE_TABLES),
        ).fetchone()[0] == len(CACHE_TABLES)
        self.new = "entries" not in self.db.table_names() or not has_features
        if self.new and self.db.table_names():
            self.db.close()
            raise BuildFailed(
                f"{path}: an incomplete working database (rows without features); delete it"
            )
        # A new database's overlaps are staged in this file by the thread that computes them
        # (Update.finish).
        self.staging = path.with_name(path.name + ".pairs")
        self.staging.unlink(missing_ok=True)
        self.memory = None  # a resident build's Memory (memory.py), set by the pipeline

    @classmethod
    @contextlib.contextmanager
    def temporary(cls, out: Path) -> Iterator[WorkDatabase]:
        """A working database used for one build, beside `out`, removed afterwards."""
        with file_errors(out.parent, "the build's working database", "--out"):
            out.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.work-", suffix=".tmp")
            os.close(fd)
            path = Path(name)
            try:
                work = cls(path, "MEMORY", temporary=True)
                try:
                    yield work
                finally:
                    work.db.close()
            finally:
                discard(path)

    @classmethod
    @contextlib.contextmanager
    def cached(cls, folder: Path, key: str) -> Iterator[WorkDatabase]:
        """The working database for `key` in the cache folder, locked against a concurrent build.

        Files of other keys are removed. A copy whose last update did not finish
        (its `.incomplete` marker is still there) is discarded, never trusted.
        A full or read-only disk is an error of its own (output.explain) and
        keeps the copy: its transaction was rolled back, or had committed in full
        when only the output could not be written.
        """
        with file_errors(folder, "the build cache", "--cache-dir, or build with --no-cache"):
            folder.mkdir(parents=True, exist_ok=True)
            with (folder / "build.lock").open("w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                work = cls._open_cached(folder / f"work-{key}.db")
                try:
                    yield work
                except BaseException as error:
                    work.db.close()
                    if isinstance(error, OutputFailed):  # committed; only the output failed
                        work.published()
                    elif work.marker.exists() or (
                        isinstance(error, sqlite3.DatabaseError) and not is_file_system_error(error)
                    ):
                        discard(work.path)
                    raise
                work.db.close()

    @classmethod
    def _open_cached(cls, path: Path) -> WorkDatabase:
        """The working database at `path`, afresh if it is damaged or incomplete; other keys'
        files removed."""
        for old in [*path.parent.glob("work-*.db*"), *path.parent.glob("entries-*.pickle")]:
            if not old.name.startswith(path.name):
                old.unlink(missing_ok=True)
        if path.with_name(path.name + ".incomplete").exists():
            discard(path)
        try:
            return cls(path, "TRUNCATE")
        except (sqlite3.DatabaseError, BuildFailed) as error:
            if is_file_system_error(error):
                raise
            discard(path)  # damaged, or one of its two files missing: start afresh
            return cls(path, "TRUNCATE")

    def known_files(self, names: list[str] | None = None) -> dict[str, tuple[str, EntryRefs]]:
        """File name → (sha256 of its bytes, its references), for every entry of the last build
        (or only those of the file `names`: a resident build's memory, memory.py)."""
        if self.new:
            return {}
        conn = self.db.conn
        where = ""
        if names is not None:
            ids_table(conn, "known_ids", [os.path.splitext(name)[0] for name in names])
            where = "where {} in temp.known_ids"
        aliases: dict[str, list[str]] = {}
        for entry_id, alias in conn.execute(
            f"select entry_id, alias from aliases {where.format('entry_id')} "
            "order by entry_id, alias"
        ):
            aliases.setdefault(entry_id, []).append(alias)
        lineage: dict[tuple[str, str], list[str]] = {}
        for entry_id, relation, related in conn.execute(
            "select entry_id, relation, related_id from lineage "
            f"{where.format('entry_id')} order by 1, 2, 3"
        ):
            lineage.setdefault((entry_id, relation), []).append(related)
        fingerprints = {
            entry_id: Fingerprint.model_construct(path=path, sha256=sha)
            for entry_id, path, sha in conn.execute(
                f"select entry_id, path, sha256 from fingerprints {where.format('entry_id')}"
            )
        }
        known = {}
        for entry_id, source_path, digest in conn.execute(
            f"select id, source_path, digest from entries {where.format('id')}"
        ):
            refs = EntryRefs(
                entry_id,
                tuple(aliases.get(entry_id, ())),
                tuple(lineage.get((entry_id, "derived_from"), ())),
                tuple(lineage.get((entry_id, "included_in"), ())),
                fingerprints.get(entry_id),
            )
            known[os.path.basename(source_path)] = (digest, refs)
        return known

    def file_stats(self, known: dict | None = None) -> FileStats:
        """The sha256 of entry files by their stat, kept beside this copy (none for a temporary
        one); `known`: the last build's, held in memory (memory.py), instead of read back."""
        store = None if self.temporary else self.path.with_name(self.path.name + ".stats")
        return FileStats(store, known)

    def published(self, stats: FileStats | None = None) -> None:
        """The rows were published: this copy is now the last build's."""
        if stats is not None:
            stats.save()
        self.marker.unlink(missing_ok=True)

    def _mark_stale(self, ids: list[str]) -> None:
        """Remove every row of these entries from the tables keyed by entry (children first).

        Their ids stay in `temp.stale` for the rowid tables; overlaps are rewritten by difference
        later.
        """
        conn = self.db.conn
        conn.execute("create temp table if not exists stale (id text primary key) without rowid")
        conn.execute("delete from temp.stale")
        if not ids:
            return
        conn.executemany("insert into temp.stale values (?)", [(i,) for i in ids])
        for table in ENTRY_KEYED:
            conn.execute(f"delete from [{table}] where entry_id in (select id from temp.stale)")
        for table in CACHE_TABLES:
            conn.execute(f"delete from cache.{table} where entry_id in (select id from temp.stale)")

    def pair_features(self) -> dict[str, PairFeatures]:
        """Every entry's pair features, by id. With a resident build's memory of the last build's
        (memory.py), only the rows of the entries this build changed (temp.stale) are read."""
        query = "select entry_id, hashes, signature from cache.pair_features"
        kept = self.memory.features if self.memory is not None and self.memory.in_use else None
        features = {}
        if kept is not None:
            stale = {entry_id for (entry_id,) in self.db.conn.execute("select id from temp.stale")}
            features = {key: value for key, value in kept.items() if key not in stale}
            query += " where entry_id in temp.stale"
        features.update(
            (
                entry_id,
                PairFeatures(
                    np.frombuffer(hashes, dtype=np.uint64),
                    np.frombuffer(signature, dtype=np.uint16),
                ),
            )
            for entry_id, hashes, signature in self.db.execute(query)
        )
        if self.memory is not None:
            self.memory.pending["features"] = features
        return features

    def pairs_before(self, ids: list[str]) -> Before:
        """What the last build computed the pairs of these (changed or gone) entries from, and
        every entry's proposals: read before their rows are removed (pair_delta.py)."""
        conn = self.db.conn
        ids_table(conn, "changing", ids)
        features = {
            entry_id: PairFeatures(
                np.frombuffer(hashes, dtype=np.uint64), np.frombuffer(signature, dtype=np.uint16)
            )
            for entry_id, hashes, signature in conn.execute(
                "select entry_id, hashes, signature from cache.pair_features "
                "where entry_id in temp.changing"
            )
        }
        sources = conn.execute(
            "select entry_id, host from source_domains where entry_id in temp.changing"
        ).fetchall()
        links = conn.execute(
            "select entry_id, relation, related_id from lineage where entry_id in temp.changing"
        ).fetchall()
        proposals = dict(conn.execute("select entry_id, proposed from cache.pair_proposals"))
        return Before(features, sources, links, proposals)

    def _write_rowid_table(self, table: str, rows: list[tuple]) -> None:
        """Write one row per entry with rowids 1..n in the table's row order, as a build from
        scratch numbers them.

        The row order is the declared `row_order` (catalog: name, then id, the
        browse order the search plugin relies on), else the id. Rows of entries
        gone are deleted, changed rows updated in place and new ones appended,
        and only the rows whose place in the order moved get a new rowid. Rows
        are in declared column order, the id first. (A new database's rows are
        staged instead: _stage_rowid_rows.)
        """
        spec = TABLES[table]
        columns = list(spec["columns"])
        order = spec.get("row_order", ["id"])
        conn = self.db.conn
        insert = f"insert into [{table}] values ({', '.join('?' for _ in columns)})"
        indexed = table == FTS_TABLE  # its full-text documents follow its rows (in_place.py)
        if indexed:
            forget_documents(self.db, "id in temp.stale")
        # Ids go through a temporary table, not SQL parameters: a build may rewrite every entry.
        conn.execute("create temp table if not exists written (id text primary key) without rowid")
        conn.execute("delete from temp.written")
        conn.executemany("insert into temp.written values (?)", [(row[0],) for row in rows])
        conn.execute(
            f"delete from [{table}] where id in (select id from temp.stale) and id not in "
            "(select id from temp.written)"
        )
        present = {
            entry_id
            for (entry_id,) in conn.execute(
                f"select id from [{table}] where id in (select id from temp.written)"
            )
        }
        assignments = ", ".join(f"[{c}] = ?" for c in columns[1:])
        conn.executemany(
            f"update [{table}] set {assignments} where id = ?",
            [(*row[1:], row[0]) for row in rows if row[0] in present],
        )
        conn.executemany(insert, [row for row in rows if row[0] not in present])
        in_place = self._renumber(table, order, indexed)
        if indexed and in_place:
            index_documents(self.db, "id in temp.stale or id in temp.moved")
        elif indexed:
            rebuild_fts(self.db)  # most rows moved: indexing them all afresh is cheaper

    def _stage_rowid_rows(self, table: str, rows: list[tuple]) -> None:
        """Keep a new database's rows of a rowid table in a temporary table, to be numbered in order
        at the end.

        Inserting them as they are parsed, not all at the end, spreads the
        work over the time the workers parse (_copy_staged_rowid_table numbers them).
        """
        self.db.conn.executemany(
            f"insert into temp.[staged_{table}] values "
            f"({', '.join('?' for _ in TABLES[table]['columns'])})",
            rows,
        )

    def _copy_staged_rowid_table(self, table: str) -> None:
        """Fill the empty `table` from its staged rows, in its row order, so rowids run 1..n in that
        order."""
        keys = ", ".join(f"[{c}]" for c in TABLES[table].get("row_order", ["id"]))
        conn = self.db.conn
        conn.execute(f"insert into [{table}] select * from temp.[staged_{table}] order by {keys}")
        conn.execute(f"drop table temp.[staged_{table}]")

    def _renumber(self, table: str, order: list[str], indexed: bool = False) -> bool:
        """Give every row of `table` the rowid of its place in `order`, moving only the rows that
        are out of place; False when most rows moved and the table was copied out and back.

        Moved rows go through negative rowids, so no two rows ever share one;
        when more than 1/MOVE_SHARE of them move, the table is copied out and back.
        With `indexed`, the full-text documents of moved rows are deleted before
        they move, and their ids are left in temp.moved to be indexed again.
        """
        conn = self.db.conn
        keys = ", ".join(f"[{c}]" for c in order)
        current = conn.execute(f"select rowid, id from [{table}] order by {keys}").fetchall()
        out_of_place = [
            (place, rowid, i) for place, (rowid, i) in enumerate(current, start=1) if rowid != place
        ]
        moves = [(-place, rowid) for place, rowid, _ in out_of_place]
        conn.execute("create temp table if not exists moved (id text primary key) without rowid")
        conn.execute("delete from temp.moved")
        if len(moves) * MOVE_SHARE > len(current):
            # Most rows move: copying the table out and back in order is cheaper than moving each
            # twice.
            conn.execute("drop table if exists temp.renumbered")
            conn.execute(f"create temp table renumbered as select * from [{table}] order by {keys}")
            conn.execute(f"delete from [{table}]")
            conn.execute(f"insert into [{table}] select * from temp.renumbered order by rowid")
            conn.execute("drop table temp.renumbered")
            return False
        if indexed and moves:
            conn.executemany("insert into temp.moved values (?)", [(i,) for *_, i in out_of_place])
            forget_documents(self.db, "id in temp.moved and id not in temp.stale")
        conn.executemany(f"update [{table}] set rowid = ? where rowid = ?", moves)
        conn.execute(f"update [{table}] set rowid = -rowid where rowid < 0")
        return True

    def _update_dates(self, dates: dict[str, FileDates], skip: set[str]) -> list[str]:
        """Git dates change without the file changing (a commit); update the rows whose dates
        differ, and return their ids. When every entry's dates are those of the last build (the
        same digest), every row already holds them: no row is read."""
        digest = reuse.dates_digest(dates)
        if not self.new and reuse.stored(self.db.conn, "dates") == digest:
            return []
        reuse.keep(self.db.conn, "dates", digest)
        if self.new:  # every row came with its dates
            return []
        changed = [
            (dates[entry_id].created, dates[entry_id].updated, entry_id)
            for entry_id, created, updated in self.db.execute(
                "select id, created, updated from entries"
            )
            if entry_id not in skip
            and entry_id in dates
            and (created, updated) != (dates[entry_id].created, dates[entry_id].updated)
        ]
        if changed:
            self.db.conn.executemany(
                "update entries set created = ?, updated = ? where id = ?", changed
            )
            self.db.conn.executemany(
                "update catalog set updated = ? where id = ?",
                [(updated, entry_id) for _, updated, entry_id in changed],
            )
        return [entry_id for _, _, entry_id in changed]

    def _check_counts(self, entry_count: int) -> None:
        """One row per entry file in every per-entry table: no entry was silently dropped."""
        for table in (
            "entries",
            "catalog",
            "classifications",
            "page_digests",
            "cache.pair_features",
            "cache.pair_proposals",
            "cache.index_terms",
        ):
            actual = self.db.execute(f"select count(*) from {table}").fetchone()[0]
            if actual != entry_count:
                raise BuildFailed(f"table {table}: {actual} rows for {entry_count} entry files")
        # The overlaps were computed from the features' ids: they must be the catalog's.
        unmatched = self.db.execute(
            "select count(*) from catalog where id not in (select entry_id from "
            "cache.pair_features)"
        ).fetchone()[0]
        if unmatched:
            raise BuildFailed(f"{unmatched} catalog entries have no pair features")


def discard(path: Path) -> None:
    """Remove a working database and its journal and marker files."""
    for suffix in (
        "",
        "-journal",
        ".incomplete",
        ".stats",
        ".features",
        ".features-journal",
        ".pairs",
    ):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
