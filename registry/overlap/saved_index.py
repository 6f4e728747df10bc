"""The overlap check's text index, computed by `commons build` and saved beside the database.

Computing the TF-IDF tiers (text_tiers.py) of the catalog's 26,000 descriptions takes half a
minute, nearly all of it splitting the texts into terms; a query against them takes
milliseconds. The build therefore writes them to `<db>.overlap`, a SQLite file holding each
tier's column-major matrix, IDF and catalog rows as little-endian blobs and its terms in a
keyed table. Loading reads only each tier's catalog rows: a term's column is looked up when a
query uses the term, and read from the blobs in place (SQLite's incremental blob I/O), so
neither the vocabulary nor the matrices are ever read whole.

The file is keyed to the database it was computed from (its sha256, as the build wrote it to
`<db>.sha256`, and its size) and to the method (FORMAT and a digest of the code that makes
the index): an index of another database or of another version of the method is refused with
the reason (SavedIndexRefused), never used.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import threading
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import numpy as np

from registry.overlap.text import Columns, TfidfIndex
from registry.overlap.text_tiers import TieredTfidf

FORMAT = "2"
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
# name → dtype of each tier's arrays, little-endian whatever the machine.
ARRAYS = {"rows": "<i8", "data": "<f4", "indices": "<i4", "indptr": "<i8", "idf": "<f4"}

SCHEMA = """
create table meta (key text primary key, value text not null) without rowid;
create table tiers (tier integer primary key, name text not null, rows integer not null,
    terms integer not null);
create table arrays (tier integer not null, name text not null, value blob not null,
    unique (tier, name));
create table names (name text not null, entry_id text not null,
    primary key (name, entry_id)) without rowid;
create table terms (tier integer not null, term text not null, col integer not null,
    primary key (tier, term)) without rowid;
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


def database_key(db: Path) -> tuple[str, int]:
    """(sha256, size) of the database file: the sha256 as its build wrote it beside the file."""
    checksum = db.with_name(db.name + ".sha256")
    try:
        digest = checksum.read_text(encoding="utf-8").split()[0]
    except (OSError, IndexError):
        digest = "(no checksum file)"
    return digest, db.stat().st_size


def staged(db: Path, text: TieredTfidf, names: dict[str, set[str]], digest: str, size: int) -> Path:
    """Write the index of `text` and the catalog's `names` (name → entry ids) to a temporary
    file beside `db`'s index and return it.

    `digest` and `size` are those of the checked database about to become `db`. The caller
    moves the file into place (index_path) or removes it; the same tiers give the same bytes.
    """
    target = index_path(db)
    memory = sqlite3.connect(":memory:")
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        memory.executescript(SCHEMA)
        meta = {"format": FORMAT, "method": method_digest(), "database_sha256": digest}
        meta["database_bytes"] = str(size)
        memory.executemany("insert into meta values (?, ?)", sorted(meta.items()))
        for tier, (label, (rows, index)) in enumerate(zip(text.names, text.tiers, strict=True)):
            _write_tier(memory, tier, label, rows, index)
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


def _write_tier(memory, tier: int, label: str, rows: np.ndarray, index: TfidfIndex) -> None:
    columns = index.columns
    memory.execute(
        "insert into tiers values (?, ?, ?, ?)", [tier, label, columns.shape[0], columns.shape[1]]
    )
    parts = {
        "rows": rows,
        "data": columns.data,
        "indices": columns.indices,
        "indptr": columns.indptr,
        "idf": index.idf,
    }
    memory.executemany(
        "insert into arrays values (?, ?, ?)",
        [
            (tier, name, np.ascontiguousarray(parts[name], ARRAYS[name]).tobytes())
            for name in ARRAYS
        ],
    )
    memory.executemany(
        "insert into terms values (?, ?, ?)",
        ((tier, term, col) for term, col in sorted(index.vocabulary.items())),
    )


def load(db: Path, size: int) -> tuple[TieredTfidf, dict[str, set[str]]]:
    """The saved tiers and names of the database `db` (of `size` catalog rows), or
    SavedIndexRefused."""
    path = index_path(db)
    if not path.is_file():
        raise SavedIndexRefused(f"{path} does not exist", missing=True)
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        meta = dict(connection.execute("select key, value from meta"))
        _check(meta, db, path)
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


def _check(meta: dict, db: Path, path: Path) -> None:
    if meta.get("format") != FORMAT or meta.get("method") != method_digest():
        raise SavedIndexRefused(
            f"{path} was computed by another version of the overlap method (format "
            f"{meta.get('format')}, method {str(meta.get('method'))[:12]}; this one is format "
            f"{FORMAT}, method {method_digest()[:12]})"
        )
    digest, size = database_key(db)
    if (meta.get("database_sha256"), meta.get("database_bytes")) != (digest, str(size)):
        raise SavedIndexRefused(
            f"{path} is the index of another database (sha256 "
            f"{str(meta.get('database_sha256'))[:12]}, {meta.get('database_bytes')} bytes; "
            f"{db} is sha256 {digest[:12]}, {size} bytes)"
        )


def _tier(connection, lock, tier: int, label: str, rows: int, terms: int):
    """One tier, its arrays read where a query needs them (BlobArray); the catalog rows whole."""
    found = connection.execute("select name, rowid from arrays where tier = ?", [tier])
    part = {
        name: BlobArray(connection.blobopen("arrays", "value", rowid, readonly=True), name, lock)
        for name, rowid in found.fetchall()
    }
    columns = Columns(part["data"], part["indices"], part["indptr"], (rows, terms))

    def lookup(found: list[str]) -> dict[str, int]:
        with lock:
            return dict(
                connection.execute(
                    "select term, col from terms where tier = ? and term in "
                    "(select value from json_each(?))",
                    [tier, json.dumps(found, ensure_ascii=False)],
                )
            )

    catalog_rows = part["rows"][0 : len(part["rows"])]
    return label, catalog_rows, TfidfIndex.from_parts(columns, part["idf"], lookup)


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
