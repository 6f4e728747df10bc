"""`commons build`: entries → validated, classified rows → dist/registry.db.

The build reads every entry file, parses those whose bytes it has not seen
(the cache is the last build's working database, see work.py), reports
every error at once, sorts entries by id, and publishes the database
atomically (see db.py), with the overlap check's text index beside it
(overlap_index.py). With SOURCE_DATE_EPOCH set, the timestamp and the classifier's
as-of date come from it, and the same entries give a byte-identical file.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import hashlib
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import classifier
from classifier.governance.tables import governance_rows
from classifier.rules_data import rules_digest
from registry.build import db_schema, reuse
from registry.build.cache import DEFAULT_CACHE, cache_key
from registry.build.db import publish, table_tuples
from registry.build.file_stats import FileStats
from registry.build.git_dates import (
    FileDates,
    file_dates,
    folder_history,
    source_commit,
    source_date,
)
from registry.build.heap import map_large_blocks
from registry.build.memory import GENERATION, Memory, known_after, new_generation
from registry.build.observed import observation_rows
from registry.build.output import file_errors, output_folder
from registry.build.overlap_index import OverlapIndexInputs, early_index
from registry.build.parse import EntryRefs, ParseTask, parse_files
from registry.build.rows import rule_rows
from registry.build.sources import import_folders, source_listing
from registry.build.update import update
from registry.build.work import WorkDatabase
from registry.entry.errors import EntryError, EntryErrors
from registry.entry.loader import LoadedEntry, check_across_files, display_path
from registry.entry.observations import FOLDER as OBSERVATIONS
from registry.entry.observations import load_history
from registry.entry.schema import SCHEMA_VERSION as ENTRY_SCHEMA_VERSION
from registry.overlap.fingerprint_store import fingerprint_rows

EDIT_URL = "https://github.com/commons-registry/commons-registry/edit/main/entries/{id}.yaml"


@dataclass(frozen=True)
class BuildResult:
    out: Path
    entry_count: int
    rules_version: str | None
    source_commit: str | None
    parsed: int  # files parsed this run (the rest came from the cache)


def rules_beside(entries: Path) -> Path | None:
    """The rules of the repository the entries are in (classifier/rules/ beside entries/), so a
    repository is classified with its own release; None (the package's rules) when there are
    none."""
    folder = entries.resolve().parent / "classifier" / "rules"
    return folder if folder.is_dir() else None


def as_of_date() -> datetime.date:
    """The date classifications are computed for: SOURCE_DATE_EPOCH's date, else today (UTC)."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value:
        return datetime.datetime.fromtimestamp(int(value), tz=datetime.UTC).date()
    return datetime.datetime.now(datetime.UTC).date()


def built_at() -> str:
    return source_date() or datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()


def scan_files(
    folder: Path, known: dict[str, tuple[str, EntryRefs]], stats: FileStats, imports: bool = True
) -> tuple[list[str], list[LoadedEntry], list[ParseTask], list[EntryError]]:
    """The entry files of `folder`: those unchanged since the last build, and those to parse.

    Returns every file's path, the unchanged entries (their references, from
    `known`, the last build's), the files to parse and the files that could not
    be read. `stats` gives the sha256 of files whose stat has not changed, so
    unchanged files are not even read. A file the last build did not have is
    read by the worker that parses it; one it had is read here, and parsed
    only if its bytes changed. Paths are strings: a Path per file cost more
    than the stats.
    """
    files: list[str] = []
    errors: list[EntryError] = []
    unchanged: list[LoadedEntry] = []
    tasks: list[ParseTask] = []
    for parent, filenames in source_listing(folder, imports):
        # os.path.join(folder, filename) for every file, the folder joined once
        prefix, directory = os.path.join(display_path(parent), ""), os.path.join(parent, "")
        for filename in filenames:
            path = directory + filename
            files.append(path)
            name = prefix + filename
            try:
                item = _scan_file(path, name, filename, known.get(filename), stats)
            except OSError as error:
                errors.append(EntryError(name, 1, 1, f"cannot read file: {error.strerror}"))
                continue
            (unchanged if isinstance(item, LoadedEntry) else tasks).append(item)
    return files, unchanged, tasks, errors


def _scan_file(
    path: str, name: str, filename: str, last: tuple[str, EntryRefs] | None, stats: FileStats
) -> LoadedEntry | ParseTask:
    """One file of scan_files: the last build's entry when its bytes are the same, else the task
    of parsing it."""
    stat, digest = stats.lookup(path)
    if last is None:
        return ParseTask(name, filename, path, None, stat)
    if digest is None:
        data = read_bytes(path)
        digest = hashlib.sha256(data).hexdigest()
        if digest != last[0]:
            return ParseTask(name, filename, path, data, stat)
        stats.record(path, stat, digest)
    if last[0] == digest:
        return LoadedEntry(name, last[1], digest)
    return ParseTask(name, filename, path, None, stat)


def entry_dates(files: list[str], histories: dict[Path, dict]) -> dict[str, FileDates]:
    """Every file's git dates by file name, from the histories of the folders read (the entries'
    first, then each import folder's for its own files)."""
    entries, *imported = histories
    dates = file_dates(
        entries, sorted({os.path.basename(file) for file in files}), histories[entries]
    )
    by_folder: dict[str, list[str]] = {}
    for file in files:
        folder, name = os.path.split(file)
        by_folder.setdefault(folder, []).append(name)
    for folder in imported:  # from their own folder
        dates.update(file_dates(folder, sorted(by_folder.get(str(folder), [])), histories[folder]))
    return dates


def read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def build(
    entries: Path,
    out: Path,
    cache_dir: Path | None = DEFAULT_CACHE,
    progress: bool | None = None,
    imports: bool = True,
    memory: Memory | None = None,
) -> BuildResult:
    """Build the registry database from the entry folder; the previous file stays if anything fails.

    With a cache folder, the last build's rows are kept there (work.py) and
    only changed files are parsed; the file written is the same either way.
    With `imports`, the records in imports/<source>/ beside the entries are
    read too (registry/build/sources.py). Files are parsed (in parallel when
    there are many) while their rows are inserted; every error in every file
    is collected and raised together as EntryErrors, after which nothing is kept.
    A full or read-only disk is one OutputFailed naming the folder (output.py);
    builds into one folder take turns, and each first removes what a killed one
    left there. `memory`: what a resident process (resident.py) kept of the last build it made
    (memory.py), used only while the cache's working database is still that build's.
    """
    if progress is None:
        progress = sys.stderr.isatty()
    map_large_blocks()
    with collector_paused(), output_folder(out):
        return _build(entries, out, cache_dir, progress, imports, memory)


@contextlib.contextmanager
def collector_paused():
    """Python's cyclic garbage collector off while building, then as it was.

    A build makes almost no reference cycles, but it holds every entry's rows
    while it runs, and each collection pass walks all of them again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(
    entries: Path,
    out: Path,
    cache_dir: Path | None,
    progress: bool,
    imports: bool,
    memory: Memory | None = None,
) -> BuildResult:
    as_of = as_of_date()
    rules = classifier.load_rules(rules_beside(entries))
    rules_bytes = rules_digest(rules_beside(entries))  # edits the declared version does not name
    # The observation history beside the entries: its signals are classified with them.
    history = load_history(entries.resolve().parent / OBSERVATIONS)
    if cache_dir is None:
        working = WorkDatabase.temporary(out)
    else:  # the key hashes the code's sources (build_cache.py): only a cache needs it
        working = WorkDatabase.cached(
            cache_dir,
            cache_key(
                ENTRY_SCHEMA_VERSION,
                db_schema.SCHEMA_VERSION,
                rules.version,
                rules_bytes,
                as_of.isoformat(),
                history.digest,
                version("wordfreq"),  # the text index's cached term weights come from it
            ),
        )
    with working as work, ThreadPoolExecutor(max_workers=1) as git, early_index(out) as early:
        # git reads the folders' history in processes of its own while this one scans the files.
        folders = [entries, *(import_folders(entries) if imports else [])]
        histories = git.map(folder_history, folders)
        commit = git.submit(source_commit, entries)
        remembered = memory is not None and memory.open(work)
        known = memory.known if remembered and memory.known is not None else work.known_files()
        stats = memory.file_stats(work) if memory is not None else work.file_stats()
        files, loaded, tasks, errors = scan_files(entries, known, stats, imports)
        names = {os.path.basename(file) for file in files}
        dates = entry_dates(files, dict(zip(folders, histories, strict=True)))
        commit = commit.result()  # git done before any parse worker is forked
        gone = {os.path.splitext(name)[0] for name in known if name not in names}
        cold = work.new  # a cold build publishes byte-reproducibly, a warm one the same rows
        with update(
            work, gone | {os.path.splitext(task.filename)[0] for task in tasks}, len(tasks)
        ) as changes:
            for task, (item, problems) in zip(
                tasks, parse_files(tasks, rules, as_of, progress, history), strict=True
            ):
                if problems:
                    errors.extend(EntryError(*problem) for problem in problems)
                elif not errors:
                    changes.add(item, dates[task.filename])
                if item is not None:
                    stats.record(task.path, task.stat, item.digest)
                    # The cross-file checks read only id, aliases and lineage, which refs carries.
                    loaded.append(LoadedEntry(task.name, item.refs, item.digest))
            if not errors:
                # Every file is parsed: a new database's overlaps are computed from here on, beside
                # the rest.
                changes.start_pairs()
            errors += check_across_files(files, loaded)
            if errors:
                raise EntryErrors(errors)
            loaded.sort(key=lambda item: item.entry.id)
            whole = {
                table: table_tuples(table, table_rows)
                for table, table_rows in rule_rows(rules).items()
            }
            whole.update(
                {
                    table: table_tuples(table, table_rows)
                    for table, table_rows in observation_rows(history, rules, as_of).items()
                }
            )
            # The governance of the rules, from classifier/governance/ beside entries/.
            for table, table_rows in governance_rows(
                entries.resolve().parent, rules, as_of
            ).items():
                whole[table] = table_tuples(table, table_rows)
            # Published content sketches live in fingerprints/ beside entries/.
            whole["fingerprints"] = table_tuples(
                "fingerprints", fingerprint_rows(loaded, entries.resolve().parent)
            )
            whole["builds"] = table_tuples(
                "builds",
                [
                    {
                        "id": 1,
                        "built_at": built_at(),
                        "rules_version": rules.version,
                        "rules_digest": rules_bytes,
                        "entry_count": len(loaded),
                        "source_commit": commit,
                        "schema_version": db_schema.SCHEMA_VERSION,
                        "overlap_index": None,  # set once the rows are in (below)
                        "incremental": int(not cold),
                    }
                ],
            )
            by_id = {os.path.splitext(name)[0]: when for name, when in dates.items()}
            # Every build marks the copy it commits, so a resident process knows its memory is
            # still this copy's (memory.py).
            generation = new_generation()
            reuse.keep(work.db.conn, GENERATION, generation)
            changes.finish(by_id, whole, len(files), early.start if cold else None)
        # The overlap check's text index: its key stated in the database, the index published
        # beside it (written only when the key changed); a cold build's was begun in finish.
        text_index = early.inputs or OverlapIndexInputs(
            work.db.conn, out, **(memory.index_inputs() if remembered else {})
        )
        with work.db.conn:
            work.db.conn.execute("update builds set overlap_index = ?", [text_index.key])
        stage = early.stage if early.inputs else text_index.stage
        with file_errors(out.parent, "the database", "--out"):
            publish(work.db.conn, out, stage, reproducible=cold)
        work.published(stats)
        if memory is not None:
            text_index.for_memory()
            memory.pending.update(
                index_names=text_index.names,
                index_tiers=text_index.tiers,
                found_names=text_index.found_names,
            )
            changed = [task.filename for task in tasks]
            memory.remember(work, generation, stats, known_after(work, known, files, changed))
    return BuildResult(out, len(loaded), rules.version, commit, len(tasks))
