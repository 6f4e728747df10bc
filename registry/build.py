"""`commons build`: entries → validated, classified rows → dist/registry.db.

The build reads every entry file (through the content-hash cache), reports
every error at once, sorts entries by id, and writes the database atomically
(see build_db). With SOURCE_DATE_EPOCH set, the timestamp and the classifier's
as-of date come from it, and the same entries give a byte-identical file.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import importlib
import importlib.util
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import classifier
from registry import db_schema
from registry.build_cache import EntryCache, cache_key
from registry.build_db import BuildFailed, table_tuples, write_database
from registry.build_rows import authored_rows, catalog_row, classification_rows, rule_rows
from registry.errors import EntryError, EntryErrors
from registry.git_dates import FileDates, file_dates, source_commit, source_date
from registry.loader import LoadedEntry, check_across_files, display_path, entry_files, parse_entry
from registry.overlap.fingerprint_store import fingerprint_rows
from registry.schema import SCHEMA_VERSION as ENTRY_SCHEMA_VERSION

DEFAULT_CACHE = Path(".cache") / "build"
EDIT_URL = "https://github.com/commons-registry/commons-registry/edit/main/entries/{id}.yaml"


@dataclass(frozen=True)
class BuildResult:
    out: Path
    entry_count: int
    rules_version: str | None
    source_commit: str | None
    parsed: int  # files parsed this run (the rest came from the cache)


def as_of_date() -> datetime.date:
    """The date classifications are computed for: SOURCE_DATE_EPOCH's date, else today (UTC)."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value:
        return datetime.datetime.fromtimestamp(int(value), tz=datetime.timezone.utc).date()
    return datetime.datetime.now(datetime.timezone.utc).date()


def built_at() -> str:
    return source_date() or datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


class EntryRefs(NamedTuple):
    """The fields of an entry that the cross-file checks read: its id, aliases and lineage."""

    id: str
    aliases: tuple[str, ...]
    derived_from: tuple[str, ...]
    included_in: tuple[str, ...]
    fingerprint: object = None  # registry.schema.Fingerprint: the sketch file is re-read and checked every build


@dataclass(frozen=True)
class PreparedEntry:
    """What the cache keeps per file: the entry's references and all its rows, as tuples.

    Rows hold every column except the git dates, which are filled in per build.
    """

    refs: EntryRefs
    rows: dict[str, list[tuple]]


NO_DATES = FileDates(None, None)
DATE_COLUMNS = {
    table: {column: list(db_schema.TABLES[table]["columns"]).index(column) for column in columns}
    for table, columns in {"entries": ("created", "updated"), "catalog": ("updated",)}.items()
}


def prepare(entry, classification, filename: str, digest: str) -> PreparedEntry:
    """An entry and its classification as rows of every table they fill."""
    # The path inside the repository, whatever folder the build was pointed at,
    # so two checkouts of the same entries give the same database.
    rows = authored_rows(entry, f"entries/{filename}", digest, NO_DATES)
    rows.update(classification_rows(classification))
    rows["catalog"] = [catalog_row(entry, NO_DATES, classification)]
    refs = EntryRefs(entry.id, tuple(entry.aliases), tuple(entry.derived_from), tuple(entry.included_in), entry.fingerprint)
    return PreparedEntry(refs, {table: table_tuples(table, table_rows) for table, table_rows in rows.items() if table_rows})


PARALLEL_MIN_FILES = 500  # below this, starting worker processes costs more than it saves
_worker_state: dict = {}


def _init_worker(rules, as_of: datetime.date) -> None:
    _worker_state.update(rules=rules, as_of=as_of)


def _parse_and_prepare(task: tuple[str, str, bytes, str]):
    """Parse, validate, classify and prepare one file; returns (prepared, errors), one of them None."""
    name, filename, data, digest = task
    try:
        item = parse_entry(name, data)
    except EntryErrors as problems:
        # Plain tuples: EntryError is an exception dataclass, which does not survive pickling.
        return None, [(e.path, e.line, e.col, e.message) for e in problems.errors]
    classification = classifier.classify(item.entry, as_of=_worker_state["as_of"], rules=_worker_state["rules"])
    return prepare(item.entry, classification, filename, digest), None


def _run_tasks(tasks: list[tuple], rules, as_of: datetime.date, progress: bool):
    """Results of _parse_and_prepare for every task, in order; across all cores for large batches."""
    if len(tasks) < PARALLEL_MIN_FILES or (os.cpu_count() or 1) < 2:
        _init_worker(rules, as_of)
        return [_parse_and_prepare(task) for task in _progress(tasks, progress, "parsing entries")]
    with ProcessPoolExecutor(max_workers=os.cpu_count(), initializer=_init_worker, initargs=(rules, as_of)) as pool:
        results = pool.map(_parse_and_prepare, tasks, chunksize=64)
        return list(_progress(results, progress, "parsing entries", total=len(tasks)))


def read_entries(folder: Path, cache: EntryCache, rules, as_of: datetime.date, progress: bool = False) -> tuple[list[tuple[LoadedEntry, PreparedEntry]], int, int]:
    """Every entry in `folder`, validated, classified and turned into rows.

    Raises EntryErrors with every problem in every file. Files whose bytes are
    in the cache (same name, same sha256) are neither parsed nor classified;
    the others are, in parallel when there are many.
    """
    files = entry_files([folder])
    prefix = display_path(folder)
    errors: list[EntryError] = []
    found: list[tuple[str, str, PreparedEntry]] = []
    tasks: list[tuple[str, str, bytes, str]] = []
    for file in files:
        name = os.path.join(prefix, file.name)
        try:
            data = file.read_bytes()
        except OSError as error:
            errors.append(EntryError(name, 1, 1, f"cannot read file: {error.strerror}"))
            continue
        digest = hashlib.sha256(data).hexdigest()
        cached = cache.get(file.name, digest)
        if cached is None:
            tasks.append((name, file.name, data, digest))
        else:
            found.append((name, digest, PreparedEntry(EntryRefs(*cached[0]), cached[1])))
    for (name, filename, _, digest), (prepared, problems) in zip(tasks, _run_tasks(tasks, rules, as_of, progress)):
        if problems:
            errors.extend(EntryError(*problem) for problem in problems)
            continue
        # Stored as plain tuples and dicts, which unpickle several times faster than dataclasses.
        cache.put(filename, digest, (tuple(prepared.refs), prepared.rows))
        found.append((name, digest, prepared))
    # The cross-file checks read only id, aliases and lineage, which refs carries.
    loaded = [(LoadedEntry(name, prepared.refs, digest), prepared) for name, digest, prepared in found]
    errors += check_across_files(files, [item for item, _ in loaded])
    if errors:
        raise EntryErrors(errors)
    loaded.sort(key=lambda pair: pair[1].refs.id)
    return loaded, len(tasks), len(files)


def build(entries: Path, out: Path, cache_dir: Path | None = DEFAULT_CACHE, progress: bool | None = None) -> BuildResult:
    """Build the registry database from the entry folder; the previous file stays if anything fails."""
    if progress is None:
        progress = sys.stderr.isatty()
    as_of = as_of_date()
    rules = classifier.load_rules()
    cache = EntryCache(cache_dir, cache_key(ENTRY_SCHEMA_VERSION, db_schema.SCHEMA_VERSION, rules.version, as_of.isoformat()))
    loaded, parsed, file_count = read_entries(entries, cache, rules, as_of, progress)
    filenames = [os.path.basename(item.path) for item, _ in loaded]
    dates = file_dates(entries, filenames)
    commit = source_commit(entries)

    rows: dict[str, list[tuple]] = {name: [] for name in db_schema.TABLES}
    for filename, (_, prepared) in zip(filenames, loaded):
        entry_dates = dates[filename]
        for table, table_rows in prepared.rows.items():
            if table in DATE_COLUMNS:
                table_rows = [_with_dates(row, DATE_COLUMNS[table], entry_dates) for row in table_rows]
            rows[table].extend(table_rows)
    for table, table_rows in rule_rows(rules).items():
        rows[table] = table_tuples(table, table_rows)
    # Published content sketches live in fingerprints/ beside entries/.
    rows["fingerprints"] = table_tuples("fingerprints", fingerprint_rows([item for item, _ in loaded], entries.resolve().parent))
    rows["builds"] = table_tuples("builds", [{
        "id": 1,
        "built_at": built_at(),
        "rules_version": rules.version,
        "entry_count": len(loaded),
        "source_commit": commit,
        "schema_version": db_schema.SCHEMA_VERSION,
    }])
    if len(rows["entries"]) != file_count:
        raise BuildFailed(f"{file_count} entry files but {len(rows['entries'])} entry rows")
    write_database(out, rows, after_insert=overlap_filler(cache_dir))
    cache.save({(filename, item.digest) for filename, (item, _) in zip(filenames, loaded)})
    return BuildResult(out, len(loaded), rules.version, commit, parsed)


def _with_dates(row: tuple, positions: dict[str, int], dates: FileDates) -> tuple:
    values = list(row)
    for column, index in positions.items():
        values[index] = getattr(dates, column)
    return tuple(values)


def overlap_filler(cache_dir: Path | None = None):
    """`registry.overlap.fill_overlaps(db, cache_dir)` when the overlap module is installed, else None (table left empty)."""
    if importlib.util.find_spec("registry.overlap") is None:
        return None
    module = importlib.import_module("registry.overlap")
    fill = getattr(module, "fill_overlaps", None)
    return None if fill is None else functools.partial(fill, cache_dir=cache_dir)


def _progress(items, enabled: bool, label: str, total: int | None = None):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=label, unit="file", total=total, file=sys.stderr, leave=False)
