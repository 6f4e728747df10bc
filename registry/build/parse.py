"""Parsing entry files into rows for the build, across every core when there are many.

Each file is parsed, validated, classified and turned into the rows of every
table it fills, in a worker process; only plain tuples come back, so results
pickle cheaply and the main process only inserts them. A worker dies with the
build, even one killed outright (Linux's parent-death signal), so no worker
outlives it.
"""

from __future__ import annotations

import ctypes
import datetime
import os
import signal
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import NamedTuple

import classifier
from registry.build import db_schema
from registry.build.db import table_tuples
from registry.build.git_dates import FileDates
from registry.build.keyed_texts import key_rows
from registry.build.overlap_index import entry_document, entry_terms
from registry.build.rows import authored_rows, catalog_row, classification_rows, origin_of
from registry.build.sources import repository_path
from registry.entry.errors import EntryErrors
from registry.entry.loader import parse_entry
from registry.overlap.pair_features import batch_features_of_words
from registry.overlap.text import words

PARALLEL_MIN_FILES = 500  # below this, starting worker processes costs more than it saves
# Files per worker task: enough to share NumPy's per-call cost, few enough to keep both
# workers busy.
BATCH = 64
PR_SET_PDEATHSIG = 1  # prctl(2)
NO_DATES = FileDates(None, None)
READ_SIZE = (
    128 * 1024
)  # bytes per os.read: one call reads any entry file (at most 64 KiB, strict_yaml.MAX_BYTES)
# Positions of the git-date columns, filled per build (dates change without the file changing).
DATE_COLUMNS = {
    table: {column: list(db_schema.TABLES[table]["columns"]).index(column) for column in columns}
    for table, columns in {"entries": ("created", "updated"), "catalog": ("updated",)}.items()
}


class ParseTask(NamedTuple):
    """One file to parse: `data` is its bytes when the scan already read them, else None and the
    worker reads `path`."""

    name: str  # as shown in errors
    filename: str
    path: str
    data: bytes | None
    stat: tuple | None  # file_stats' key, taken before the bytes are read


class EntryRefs(NamedTuple):
    """The fields of an entry that the cross-file checks read: its id, aliases and lineage."""

    id: str
    aliases: tuple[str, ...]
    derived_from: tuple[str, ...]
    included_in: tuple[str, ...]
    # registry.entry.schema.Fingerprint: the sketch file is re-read and checked every build.
    fingerprint: object = None


@dataclass(frozen=True)
class PreparedEntry:
    """One parsed file: the entry's references, all its rows and its pair features.

    Rows are tuples in declared column order, with every column except the git
    dates, which are filled in per build. The pair features (overlap/
    pair_features.py) depend on this entry alone, so they are computed here,
    in parallel, and kept with the rows.
    """

    filename: str
    digest: str
    refs: EntryRefs
    rows: dict[str, list[tuple]]
    features: tuple[
        bytes, bytes
    ]  # PairFeatures' hashes and signature as bytes: they pickle twice as fast as arrays
    terms: tuple[str, bytes, bytes, bytes]  # the text index's counted terms (overlap_index.py)


def prepare_batch(parsed: list[tuple]) -> list[PreparedEntry]:
    """Each (entry, classification, file name, sha256) as rows of every table they fill, with its
    pair features.

    The features of the whole batch are computed together (pair_features.
    batch_features_of_words): NumPy's fixed cost per call is then paid once per batch. Each
    document's words are found once, for its features and its text-index terms.
    """
    prepared, sources = [], []
    for entry, classification, path, digest in parsed:
        # The path inside the repository (sources.repository_path), whatever folder the build was
        # pointed at, so two checkouts of the same entries give the same database.
        filename = os.path.basename(path)
        rows = authored_rows(entry, path, digest, NO_DATES)
        rows.update(classification_rows(classification))
        catalog = catalog_row(entry, NO_DATES, classification, origin_of(path))
        rows["catalog"] = [catalog]
        refs = EntryRefs(
            entry.id,
            tuple(entry.aliases),
            tuple(entry.derived_from),
            tuple(entry.included_in),
            entry.fingerprint,
        )
        # From the catalog columns, as the overlap step reads them (a missing name falls back to the
        # id; the domains are the list the `domains` column holds as JSON).
        sources.append(
            words(
                entry_document(
                    catalog["name"] or catalog["id"],
                    catalog["summary"],
                    catalog["description"],
                    entry.domains,
                )
            )
        )
        tuples = {
            table: table_tuples(table, table_rows)
            for table, table_rows in rows.items()
            if table_rows
        }
        key_rows(tuples)  # repeated texts as the ids of their lookup rows
        prepared.append((filename, digest, refs, tuples))
    return [
        PreparedEntry(
            *parts,
            (features.hashes.tobytes(), features.signature.tobytes()),
            entry_terms(found),
        )
        for parts, features, found in zip(
            prepared, batch_features_of_words(sources), sources, strict=True
        )
    ]


def with_dates(table: str, row: tuple, dates: FileDates) -> tuple:
    """`row` of `table` with its git-date columns set to `dates`."""
    positions = DATE_COLUMNS.get(table)
    if not positions:
        return row
    values = list(row)
    for column, index in positions.items():
        values[index] = getattr(dates, column)
    return tuple(values)


_worker_state: dict = {}


def _init_worker(rules, as_of: datetime.date, history=None) -> None:
    _worker_state.update(rules=rules, as_of=as_of, history=history)


def _start_worker(parent: int, rules, as_of: datetime.date, history=None) -> None:
    """A worker's start: SIGKILL when the build process dies (Linux), then the build's state."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the build died before the signal was asked for
            os._exit(1)
    _init_worker(rules, as_of, history)


def _parse_and_prepare(tasks: list[ParseTask]) -> list[tuple]:
    """Read (unless already read), parse, validate, classify and prepare a batch of files.

    Returns (prepared, errors) for each file, in order, one of the two None.
    """
    outcomes: list = []
    parsed = []
    for task in tasks:
        data = task.data
        if data is None:
            try:
                data = read_file(task.path)
            except OSError as error:
                outcomes.append([(task.name, 1, 1, f"cannot read file: {error.strerror}")])
                continue
        try:
            item = parse_entry(task.name, data)
        except EntryErrors as problems:
            # Plain tuples: EntryError is an exception dataclass, which does not survive pickling.
            outcomes.append([(e.path, e.line, e.col, e.message) for e in problems.errors])
            continue
        classification = classifier.classify(
            item.entry,
            as_of=_worker_state["as_of"],
            rules=_worker_state["rules"],
            history=_worker_state["history"],
        )
        path = repository_path(task.path, task.filename)
        parsed.append((item.entry, classification, path, item.digest))
        outcomes.append(None)
    prepared = iter(prepare_batch(parsed))
    return [(next(prepared), None) if errors is None else (None, errors) for errors in outcomes]


def read_file(path: str) -> bytes:
    """The bytes of the file at `path`: os.read calls on a raw descriptor, half the cost of
    open().read() for a small file."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        chunks = []
        while chunk := os.read(fd, READ_SIZE):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)  # one chunk comes back as it is, not copied


def parse_files(
    tasks: list[ParseTask], rules, as_of: datetime.date, progress: bool, history=None
) -> Iterator[tuple]:
    """(prepared, errors) for every task, in order, as each is done.

    Large batches are spread over every core; small ones run here. Results are
    yielded as they arrive, so the caller inserts rows while workers parse.
    """
    _init_worker(rules, as_of, history)
    workers = os.cpu_count() or 1
    if len(tasks) < PARALLEL_MIN_FILES or workers < 2:
        results = (
            result for batch in _batches(tasks, BATCH) for result in _parse_and_prepare(batch)
        )
        yield from _progress(results, progress, "parsing entries", total=len(tasks))
        return
    # The first file is parsed here, before the workers fork: that builds the
    # lazily made tables (the SPDX licence index, compiled checks) once, in
    # this process, and every worker inherits them instead of building its own.
    yield from _parse_and_prepare(tasks[:1])
    # Batches small enough that both workers finish at about the same time.
    size = max(1, min(BATCH, len(tasks) // (workers * 16)))
    with ProcessPoolExecutor(
        max_workers=workers,
        initializer=_start_worker,
        initargs=(os.getpid(), rules, as_of, history),
    ) as pool:
        results = (
            result
            for batch in pool.map(_parse_and_prepare, _batches(tasks[1:], size))
            for result in batch
        )
        yield from _progress(results, progress, "parsing entries", total=len(tasks), done=1)


def _batches(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _progress(items, enabled: bool, label: str, total: int | None = None, done: int = 0):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(
        items, desc=label, unit="file", total=total, initial=done, file=sys.stderr, leave=False
    )
