"""The overlap check's text index, computed by `commons build` and saved beside the database.

Computing the TF-IDF tiers (text_tiers.py) of the catalog's 26,000 descriptions takes half a
minute, nearly all of it splitting the texts into terms; a query against them takes
milliseconds. The build therefore writes them to `<db>.overlap`, a SQLite file holding each
tier's column-major matrix, IDF and catalog rows as little-endian blobs, and its vocabulary
as one blob of UTF-8 terms in sorted order with their offsets and columns (writing 573,000
terms as rows of a keyed table took seconds; the blob, milliseconds). Loading reads only each
tier's catalog rows: a query's terms are found by binary search and their columns read from the
blobs in place (SQLite's incremental blob I/O), so neither the vocabulary nor the matrices are
ever read whole.

The file is keyed to its inputs (registry/build/overlap_index.py: a digest of the method and of
every entry's id, name, origin and counted terms), which the database it was made for states in
`builds.overlap_index`, and to the method (FORMAT and a digest of the code that makes the index):
an index of another catalog or of another version of the method is refused with the reason
(SavedIndexRefused), never used. Builds whose catalogs give the same inputs share one index.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import threading
from bisect import bisect_left
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import numpy as np

from registry.overlap.text import Columns, TfidfIndex
from registry.overlap.text_tiers import TieredTfidf

FORMAT = "3"
SUFFIX = ".overlap"
# The code whose output the saved index is: the terms, their weights, the tiers, the documents.
METHOD_SOURCES = (
    "text.py",
    "concepts.py",
    "informative.py",
    "text_tiers.py",
    "names.py",
    "index.py",
)
# Terms whose column a tier's vocabulary remembers once found (SortedTerms): a few megabytes.
TERMS_REMEMBERED = 1 << 16
# name → dtype of each tier's arrays, little-endian whatever the machine.
ARRAYS = {
    "rows": "<i8",
    "data": "<f4",
    "indices": "<i4",
    "indptr": "<i8",
    "idf": "<f4",
    # The vocabulary: terms sorted by code point (UTF-8 byte order), each term's bytes from
    # its offset to the next, and its column.
    "terms": "u1",
    "term_offsets": "<i8",
    "term_columns": "<i4",
}

SCHEMA = """
create table meta (key text primary key, value text not null) without rowid;
create table tiers (tier integer primary key, name text not null, rows integer not null,
    terms integer not null);
create table arrays (tier integer not null, name text not null, value blob not null,
    unique (tier, name));
create table names (name text not null, entry_id text not null,
    primary key (name, entry_id)) without rowid;
"""


class SavedIndexRefused(Exception):
    """The saved index is missing, unreadable, or not the index of this database and method."""

    def __init__(self, reason: str, missing: bool = False):
        super().__init__(reason)
        self.missing = missing


def index_path(db: Path) -> Path:
    return db.with_name(db.name + SUFFIX)


@lru_cache(maxsize=1)
def method_digest() -> str:
    """FORMAT, the sources of the modules that compute the index, and wordfreq's version."""
    digest = hashlib.sha256(f"format {FORMAT}\nwordfreq {version('wordfreq')}\n".encode())
    for name in METHOD_SOURCES:
        digest.update(name.encode() + b"\0" + (Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()


def stated_key(connection: sqlite3.Connection) -> str | None:
    """The key of its overlap index a registry database states (None: a database built before
    SQLite schema 6, or not by `commons build`)."""
    try:
        row = connection.execute(
            "select overlap_index from builds order by id desc limit 1"
        ).fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


def saved_key(path: Path) -> str | None:
    """The inputs key of the index file at `path` when it is of this format and method, else
    None (missing, unreadable or another method's)."""
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(connection.execute("select key, value from meta"))
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return None
    if meta.get("format") != FORMAT or meta.get("method") != method_digest():
        return None
    return meta.get("inputs")


def staged(db: Path, tiers: list[tuple], names: dict[str, set[str]], key: str) -> Path:
    """Write the index of `tiers` and the catalog's `names` (name → entry ids) to a temporary
    file beside `db`'s index and return it.

    `tiers`: (name, catalog rows, matrix shape, saved arrays) of each tier, in the index's order.
    `key` is the digest of the index's inputs, which the database about to become `db` states.
    The caller moves the file into place (index_path) or removes it; the same tiers give the
    same bytes.
    """
    target = index_path(db)
    # SQLite's own temporary file, not memory: the index is about 1 KB an entry.
    memory = sqlite3.connect("")
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        memory.executescript(SCHEMA)
        meta = {"format": FORMAT, "method": method_digest(), "inputs": key}
        memory.executemany("insert into meta values (?, ?)", sorted(meta.items()))
        for tier, (label, rows, shape, blobs) in enumerate(tiers):
            _write_tier(memory, tier, label, rows, shape, blobs)
        memory.executemany(
            "insert into names values (?, ?)",
            sorted((name, entry_id) for name, ids in names.items() for entry_id in ids),
        )
        memory.commit()
        memory.execute("VACUUM INTO ?", [name])
        with open(name, "rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(name, 0o644)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    finally:
        memory.close()
    return Path(name)


def _encoded(terms: list[str]) -> tuple[bytes, np.ndarray]:
    """The terms' UTF-8 bytes one after another, and each term's offset in them (with the end):
    encoded at once, NUL-separated, not as a bytes object a term (900,000 at 100,000 entries)."""
    joined = "\0".join(terms).encode("utf-8", "surrogatepass")
    ends = np.flatnonzero(np.frombuffer(joined, dtype=np.uint8) == 0)
    if len(ends) != max(len(terms) - 1, 0):
        raise ValueError("an index term holds a NUL character")
    offsets = np.zeros(len(terms) + 1, dtype=np.int64)
    if terms:  # the NULs before each term are not in the saved bytes
        offsets[1:-1] = ends - np.arange(len(ends))
        offsets[-1] = len(joined) - len(ends)
    return joined.replace(b"\0", b""), offsets


def matrix_blobs(index: TfidfIndex) -> dict[str, memoryview]:
    """A tier's saved matrix and IDF. With vocabulary_blobs, a tier's saved arrays but its catalog
    rows: they follow from the tier's documents alone, so a resident build keeps them for a tier
    none of whose documents changed (registry/build/overlap_index.py)."""
    columns = index.columns
    return _views(
        {
            "data": columns.data,
            "indices": columns.indices,
            "indptr": columns.indptr,
            "idf": index.idf,
        }
    )


def vocabulary_blobs(vocabulary: dict[str, int]) -> dict[str, memoryview]:
    """A tier's saved vocabulary (term -> column): its terms sorted, their offsets and columns."""
    terms = sorted(vocabulary)
    encoded, offsets = _encoded(terms)
    return _views(
        {
            "terms": np.frombuffer(encoded, dtype=np.uint8),
            "term_offsets": offsets,
            "term_columns": np.fromiter(
                map(vocabulary.__getitem__, terms), dtype=np.int64, count=len(terms)
            ),
        }
    )


def _views(parts: dict[str, np.ndarray]) -> dict[str, memoryview]:
    """Views, not copies, of the arrays already in their saved types (the matrix's, 55 MB at
    100,000 entries): SQLite takes any bytes-like value as a blob."""
    return {
        name: memoryview(np.ascontiguousarray(a, ARRAYS[name])).cast("B")
        for name, a in parts.items()
    }


def _write_tier(memory, tier: int, label: str, rows, shape: tuple, blobs: dict) -> None:
    memory.execute("insert into tiers values (?, ?, ?, ?)", [tier, label, *shape])
    arrays = {**blobs, "rows": np.ascontiguousarray(rows, ARRAYS["rows"]).tobytes()}
    memory.executemany(
        "insert into arrays values (?, ?, ?)", [(tier, name, arrays[name]) for name in ARRAYS]
    )


def saved_tiers(path: Path, key: str) -> dict[str, tuple[tuple[int, int], dict[str, bytes]]]:
    """Each tier of the index file at `path` as matrix_blobs and vocabulary_blobs made them,
    with its matrix shape, by tier name; empty when the file is not the index of inputs `key`
    (or unreadable). A resident build whose first build found the index already in place keeps
    these (build/memory.py)."""
    if saved_key(path) != key:
        return {}
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tiers = connection.execute("select tier, name, rows, terms from tiers").fetchall()
            arrays = connection.execute("select tier, name, value from arrays where name != 'rows'")
            blobs: dict[int, dict[str, bytes]] = {}
            for tier, name, value in arrays:
                blobs.setdefault(tier, {})[name] = bytes(value)
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return {}
    return {label: ((rows, terms), blobs.get(tier, {})) for tier, label, rows, terms in tiers}


def load(db: Path, size: int, key: str | None) -> tuple[TieredTfidf, dict[str, set[str]]]:
    """The saved tiers and names of the database `db` (of `size` catalog rows, stating the index
    key `key`), or SavedIndexRefused."""
    path = index_path(db)
    if not path.is_file():
        raise SavedIndexRefused(f"{path} does not exist", missing=True)
    try:
        # Kept open: the tiers read their arrays from it as queries come (BlobArray).
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        meta = dict(connection.execute("select key, value from meta"))
        _check(meta, db, path, key)
        tiers = connection.execute("select tier, name, rows, terms from tiers order by tier")
        lock = threading.Lock()
        parts = [_tier(connection, lock, *row) for row in tiers.fetchall()]
        names: dict[str, set[str]] = {}
        for name, entry_id in connection.execute("select name, entry_id from names"):
            names.setdefault(name, set()).add(entry_id)
    except sqlite3.DatabaseError as error:
        raise SavedIndexRefused(f"{path} is not a readable saved overlap index ({error})") from None
    if sum(len(rows) for _, rows, _ in parts) != size:
        raise SavedIndexRefused(f"{path} does not cover the {size:,} catalog entries of {db}")
    return TieredTfidf.from_parts(size, parts), names


def _check(meta: dict, db: Path, path: Path, key: str | None) -> None:
    if meta.get("format") != FORMAT or meta.get("method") != method_digest():
        raise SavedIndexRefused(
            f"{path} was computed by another version of the overlap method (format "
            f"{meta.get('format')}, method {str(meta.get('method'))[:12]}; this one is format "
            f"{FORMAT}, method {method_digest()[:12]})"
        )
    if key is None:
        raise SavedIndexRefused(
            f"{db} states no overlap index key (built before SQLite schema 6, or not by "
            "`commons build`)"
        )
    if meta.get("inputs") != key:
        raise SavedIndexRefused(
            f"{path} is the index of another catalog (key {str(meta.get('inputs'))[:12]}; "
            f"{db} states key {key[:12]})"
        )


def _tier(connection, lock, tier: int, label: str, rows: int, terms: int):
    """One tier, its arrays read where a query needs them (BlobArray); the catalog rows whole."""
    found = connection.execute("select name, rowid from arrays where tier = ?", [tier])
    part = {
        name: BlobArray(connection.blobopen("arrays", "value", rowid, readonly=True), name, lock)
        for name, rowid in found.fetchall()
    }
    missing = sorted(set(ARRAYS) - set(part))
    if missing:
        raise sqlite3.DatabaseError(f"tier {tier} has no {', '.join(missing)}")
    columns = Columns(part["data"], part["indices"], part["indptr"], (rows, terms))
    vocabulary = SortedTerms(part["terms"], part["term_offsets"], part["term_columns"])
    catalog_rows = part["rows"][0 : len(part["rows"])]
    return label, catalog_rows, TfidfIndex.from_parts(columns, part["idf"], vocabulary.columns_of)


class SortedTerms:
    """A tier's saved vocabulary: the terms' UTF-8 bytes one after another in sorted order,
    found by binary search (bisect over this sequence of byte strings), read in slices.

    A term's column, once found, is remembered (up to TERMS_REMEMBERED terms a tier): a check
    looks up the offer's terms again for each candidate it compares, and each binary search is
    some forty slice reads."""

    def __init__(self, blob: BlobArray, offsets: BlobArray, columns: BlobArray):
        self.blob, self.offsets, self.columns = blob, offsets, columns
        self._column = lru_cache(maxsize=TERMS_REMEMBERED)(self._search)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> bytes:
        start, end = self.offsets[i : i + 2].tolist()
        return self.blob[start:end].tobytes()

    def columns_of(self, found: list[str]) -> dict[str, int]:
        """term → its column, for the terms of `found` the tier has."""
        columns = {}
        for term in found:
            column = self._column(term)
            if column is not None:
                columns[term] = column
        return columns

    def _search(self, term: str) -> int | None:
        """The term's column by binary search, or None when the tier does not have it."""
        key = term.encode("utf-8", "surrogatepass")
        at = bisect_left(self, key)
        if at < len(self) and self[at] == key:
            return int(self.columns[at])
        return None


class BlobArray:
    """A saved array read in slices from its blob (SQLite incremental I/O), never whole: a query
    reads the columns of its own terms, a few kilobytes of the index's 30 MB."""

    def __init__(self, blob, name: str, lock: threading.Lock):
        self.blob, self.dtype, self.lock = blob, np.dtype(ARRAYS[name]), lock
        self.size = len(blob) // self.dtype.itemsize

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, step = key.indices(self.size)
            if step != 1:
                raise IndexError("a saved array is read in plain slices")
            return self._read(start, max(0, stop - start))
        key = int(key) + (self.size if key < 0 else 0)
        if not 0 <= key < self.size:
            raise IndexError(f"index {key} out of range")
        return self._read(key, 1)[0]

    def _read(self, start: int, count: int) -> np.ndarray:
        size = self.dtype.itemsize
        with self.lock:
            raw = self.blob[start * size : (start + count) * size]
        return np.frombuffer(raw, dtype=self.dtype)
