"""The commons as the overlap check sees it, read from registry.db only.

Loading builds the TF-IDF matrix, the host index, the lineage graph and the
published fingerprints once; a cache keyed by the file's identity and
modification time lets the CLI and the Datasette page reuse it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

from registry.overlap.hosts import HostIndex
from registry.overlap.kind import language_names
from registry.overlap.names import NameIndex
from registry.overlap.sketch import Sketch, SketchError, loads
from registry.overlap.text_tiers import TieredTfidf
from registry.read.database import RegistryReadError, open_registry


@dataclass(frozen=True)
class CommonsEntry:
    """What a match shows about one catalog entry."""

    id: str
    name: str
    summary: str
    category: str
    license_family: str
    licenses: list[str]
    modality: str
    languages: list[str]
    domains: list[str]
    status: str
    # "curated" (checked by the registry) or "imported" (an open catalog's record, as declared)
    origin: str = "curated"


@dataclass
class CommonsIndex:
    entries: list[CommonsEntry]
    text: TieredTfidf
    hosts: HostIndex
    source_domains: dict[str, list[str]]
    # contained entry id → [(container id, relation as read: "includes" | "derives from")]
    containers: dict[str, list[tuple[str, str]]]
    fingerprints: dict[str, Sketch] = field(default_factory=dict)
    built_at: str | None = None
    # entry id → its AI-use preference signals, as "vocabulary: value" (e.g. "tdmrep: reserved")
    signals: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self):
        self.position = {entry.id: i for i, entry in enumerate(self.entries)}
        self.names = NameIndex(
            {entry.id: entry.name for entry in self.entries},
            frozenset(entry.id for entry in self.entries if entry.origin != "curated"),
        )
        language_names()  # loaded with the index, not by the first query that names a language


def document(name: str, summary: str, description: str | None, domains: list[str]) -> str:
    """The text compared for similarity: the name counts twice, it is the most telling."""
    return "\n".join(
        [name, name, summary, description or "", " ".join(d.replace("-", " ") for d in domains)]
    )


def json_list(value) -> list[str]:
    """A JSON array column as a list of strings (a bare value becomes a one-item list)."""
    if not value:
        return []
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return [str(value)]
    return [str(v) for v in parsed] if isinstance(parsed, list) else [str(parsed)]


def _tables(connection: sqlite3.Connection) -> set[str]:
    return {
        row[0]
        for row in connection.execute(
            "select name from sqlite_master where type in ('table', 'view')"
        )
    }


def _containers(connection: sqlite3.Connection) -> dict[str, list[tuple[str, str]]]:
    """For each entry, the corpora that contain it or derive from it, and how."""
    containers: dict[str, list[tuple[str, str]]] = {}
    for entry_id, relation, related_id in connection.execute(
        "select entry_id, relation, related_id from lineage order by 1, 2, 3"
    ):
        if relation == "included_in":  # entry_id is inside related_id
            containers.setdefault(entry_id, []).append((related_id, "includes"))
        elif relation == "derived_from":  # entry_id was built from related_id
            containers.setdefault(related_id, []).append((entry_id, "derives from"))
    return containers


def _fingerprints(connection: sqlite3.Connection) -> dict:
    fingerprints = {}
    for entry_id, sketch_json in connection.execute(
        "select entry_id, sketch from fingerprints order by entry_id"
    ):
        try:
            fingerprints[entry_id] = loads(sketch_json, f"fingerprint of {entry_id}")
        except SketchError:
            continue  # the build validates sketches; a bad one here is simply not compared
    return fingerprints


def load_index(connection: sqlite3.Connection) -> CommonsIndex:
    """Build the index from an open registry database."""
    tables = _tables(connection)
    if "catalog" not in tables:
        raise LookupError("the database has no catalog table; build it with `commons build`")
    rows = connection.execute(
        "select id, name, summary, description, category, license_family, licenses, modality, "
        "languages, domains, status, origin from catalog order by id"
    ).fetchall()
    entries = [
        CommonsEntry(
            id=row[0],
            name=row[1] or row[0],
            summary=row[2] or "",
            category=row[4] or "undetermined",
            license_family=row[5] or "",
            licenses=json_list(row[6]),
            modality=row[7] or "",
            languages=json_list(row[8]),
            domains=json_list(row[9]),
            status=row[10] or "active",
            origin=row[11] or "curated",
        )
        for row in rows
    ]
    text = TieredTfidf(
        [document(row[1] or row[0], row[2] or "", row[3], json_list(row[9])) for row in rows],
        [entry.origin for entry in entries],
    )
    pairs = (
        connection.execute(
            "select entry_id, host from source_domains order by entry_id, host"
        ).fetchall()
        if "source_domains" in tables
        else []
    )
    source_domains: dict[str, list[str]] = {}
    for entry_id, host in pairs:
        source_domains.setdefault(entry_id, []).append(host)
    containers = _containers(connection) if "lineage" in tables else {}
    fingerprints = _fingerprints(connection) if "fingerprints" in tables else {}
    signals: dict[str, list[str]] = {}
    if "signals" in tables:
        for entry_id, vocabulary, value in connection.execute(
            "select entry_id, vocabulary, value from signals order by entry_id, position"
        ):
            signals.setdefault(entry_id, []).append(f"{vocabulary}: {value}")
    built_at = None
    if "builds" in tables:
        row = connection.execute("select built_at from builds order by id desc limit 1").fetchone()
        built_at = row[0] if row else None
    return CommonsIndex(
        entries, text, HostIndex(pairs), source_domains, containers, fingerprints, built_at, signals
    )


_CACHE: dict[tuple, CommonsIndex] = {}
_LOCK = threading.Lock()


def open_index(path: str | os.PathLike) -> CommonsIndex:
    """The index of the database at `path`, rebuilt only when the file changes."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no registry database at {path}; build it with `commons build`")
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    with _LOCK:
        if key not in _CACHE:
            try:
                connection = open_registry(path)
            except RegistryReadError as error:
                raise FileNotFoundError(str(error)) from None
            try:
                _CACHE.clear()
                _CACHE[key] = load_index(connection)
            finally:
                connection.close()
        return _CACHE[key]
