"""The published content index: a folder of SQLite shards and a manifest naming them.

    index/
      manifest.json           {"format", "version", "method", "parameters", "shards": [...]}
      shard-00000.sqlite      meta(key, value): the same format, version, method, parameters
      shard-00001.sqlite      documents(id, entry_id, name, words, shingles, signature BLOB)
      ...                     paragraphs(hash, document)

A shard is written whole by one worker and never changed; the manifest lists each shard's
sha256 and document count, so a download can be verified and a reader refuses an index made
with another method, version or parameters (IndexError says which and how to fix it).
Signatures are NUM_PERM little-endian uint32 values; hashes are signed 64-bit integers.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from registry.overlap.content.fingerprint import METHOD, NUM_PERM, PARAMETERS, VERSION, Fingerprint

FORMAT = "commons-registry-content-index"
MANIFEST = "manifest.json"
SCHEMA = """
create table meta (key text primary key, value text not null);
create table documents (
    id integer primary key, entry_id text not null, name text not null,
    words integer not null, shingles integer not null, signature blob not null
);
create table paragraphs (hash integer not null, document integer not null);
"""


class ContentIndexError(ValueError):
    """An index that cannot be read or is of another kind; the message says how to fix it."""


def identity() -> dict:
    return {"format": FORMAT, "version": VERSION, "method": METHOD, "parameters": PARAMETERS}


def write_shard(path: Path, rows: list[tuple[str, str, Fingerprint]]) -> dict:
    """Write (entry id, document name, fingerprint) rows to a new shard; its manifest line."""
    tmp = path.with_suffix(".partial")
    tmp.unlink(missing_ok=True)
    connection = sqlite3.connect(tmp)
    try:
        connection.executescript(SCHEMA)
        connection.executemany(
            "insert into meta values (?, ?)",
            [(k, json.dumps(v, sort_keys=True)) for k, v in identity().items()],
        )
        for n, (entry_id, name, found) in enumerate(rows):
            connection.execute(
                "insert into documents values (?, ?, ?, ?, ?, ?)",
                (n, entry_id, name, found.words, found.shingles, found.signature.tobytes()),
            )
            connection.executemany(
                "insert into paragraphs values (?, ?)", [(h, n) for h in found.paragraphs]
            )
        connection.commit()
    finally:
        connection.close()
    tmp.replace(path)
    return {
        "path": path.name,
        "documents": len(rows),
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }


def write_manifest(folder: Path, shards: list[dict]) -> Path:
    manifest = {**identity(), "shards": sorted(shards, key=lambda s: s["path"])}
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


@dataclass
class ContentIndex:
    """Every shard's documents in memory: signatures, sizes, band keys sorted for lookup."""

    entry_ids: np.ndarray  # (n,) object
    names: np.ndarray  # (n,) object
    shingles: np.ndarray  # (n,) int64
    signatures: np.ndarray  # (n, NUM_PERM) uint32
    paragraph_hashes: np.ndarray  # (m,) int64, sorted
    paragraph_documents: np.ndarray  # (m,) int64, in the same order


def _check_identity(source: str, found: dict) -> None:
    """ContentIndexError unless `found` is this version's format, method and parameters."""
    wanted = identity()
    if found.get("format") != FORMAT:
        raise ContentIndexError(
            f"{source}: not a {FORMAT} (format {found.get('format')!r}); build one with "
            "`commons content-index`"
        )
    for key in ("version", "method", "parameters"):
        if found.get(key) != wanted[key]:
            raise ContentIndexError(
                f"{source}: made with {key} {found.get(key)!r}, but this version of commons "
                f"reads {key} {wanted[key]!r}; rebuild the index with `commons content-index` "
                "or use the commons release that made it"
            )


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentIndexError(
            f"{path}: no content index here; build one with `commons content-index`"
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ContentIndexError(f"{path}: not a JSON manifest ({error})") from None
    if not isinstance(manifest, dict):
        raise ContentIndexError(f"{path}: not a JSON object")
    _check_identity(str(path), manifest)
    return manifest


def _read_shard(path: Path):
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = {k: json.loads(v) for k, v in connection.execute("select key, value from meta")}
            _check_identity(str(path), meta)
            documents = connection.execute(
                "select entry_id, name, shingles, signature from documents order by id"
            ).fetchall()
            paragraphs = connection.execute("select hash, document from paragraphs").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise ContentIndexError(f"{path}: not a readable shard ({error})") from None
    return documents, paragraphs


def load(folder: Path, verify: bool = False) -> ContentIndex:
    """Read every shard the manifest lists (checking each sha256 when `verify`)."""
    manifest = read_manifest(folder)
    entry_ids, names, shingles, blobs, hashes, owners = [], [], [], [], [], []
    for shard in manifest["shards"]:
        path = folder / shard["path"]
        if not path.is_file():
            raise ContentIndexError(f"{path}: listed in {MANIFEST} but missing; download it again")
        if verify and hashlib.sha256(path.read_bytes()).hexdigest() != shard["sha256"]:
            raise ContentIndexError(f"{path}: sha256 differs from {MANIFEST}; download it again")
        documents, paragraphs = _read_shard(path)
        offset = len(entry_ids)
        for entry_id, name, size, blob in documents:
            entry_ids.append(entry_id)
            names.append(name)
            shingles.append(size)
            blobs.append(blob)
        hashes += [h for h, _ in paragraphs]
        owners += [d + offset for _, d in paragraphs]
    if any(len(b) != NUM_PERM * 4 for b in blobs):
        raise ContentIndexError(f"{folder}: a signature is not {NUM_PERM} uint32 values")
    signatures = (
        np.frombuffer(b"".join(blobs), dtype="<u4").reshape(-1, NUM_PERM)
        if blobs
        else np.zeros((0, NUM_PERM), dtype=np.uint32)
    )
    order = np.argsort(np.array(hashes, dtype=np.int64), kind="stable")
    return ContentIndex(
        np.array(entry_ids, dtype=object),
        np.array(names, dtype=object),
        np.array(shingles, dtype=np.int64),
        signatures,
        np.array(hashes, dtype=np.int64)[order],
        np.array(owners, dtype=np.int64)[order],
    )
