"""The commons as the overlap check sees it, read from registry.db only.

Loading reads the TF-IDF tiers the build saved beside the database
(saved_index.py; computed here only when they are missing or not this
database's), and builds the host index, the lineage graph and the published
fingerprints; a cache keyed by the file's identity and modification time lets
the CLI and the Datasette page reuse it.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

from registry.overlap.entries import (
    CATALOG_QUERY,
    CatalogEntries,
    catalog_entries,
    database_reader,
    json_list,
)
from registry.overlap.hosts import HostIndex
from registry.overlap.kind import language_names
from registry.overlap.names import NameIndex
from registry.overlap.saved_index import SavedIndexRefused, stated_key
from registry.overlap.saved_index import load as load_saved
from registry.overlap.sketch import Sketch, SketchError, loads
from registry.overlap.text_tiers import TieredTfidf
from registry.read.database import RegistryReadError, open_registry

NOTE_MISSING_FROM = 1000  # entries from which computing the text index takes seconds


@dataclass
class CommonsIndex:
    entries: CatalogEntries  # a plain list of CommonsEntry is taken too
    text: TieredTfidf
    hosts: HostIndex
    source_domains: dict[str, list[str]]
    # contained entry id → [(container id, relation as read: "includes" | "derives from")]
    containers: dict[str, list[tuple[str, str]]]
    fingerprints: dict[str, Sketch] = field(default_factory=dict)
    built_at: str | None = None
    # entry id → its AI-use preference signals, as "vocabulary: value" (e.g. "tdmrep: reserved")
    signals: dict[str, list[str]] = field(default_factory=dict)
    # Why the saved text index was not used (it was computed on loading), or None.
    refused: SavedIndexRefused | None = None
    names: NameIndex | None = None  # computed from the entries when not given

    def computed_note(self) -> str | None:
        """Why the saved text index was not used, worth saying when it cost seconds: always for
        a refused one, for a missing one (a database not made by `commons build`) from
        NOTE_MISSING_FROM entries."""
        if self.refused is None or (self.refused.missing and len(self.entries) < NOTE_MISSING_FROM):
            return None
        return (
            f"the saved overlap index was not used: {self.refused}. It was computed instead; "
            "`commons build` saves it again."
        )

    def __post_init__(self):
        if not isinstance(self.entries, CatalogEntries):
            self.entries = CatalogEntries.of(list(self.entries))
        self.position = {entry_id: i for i, entry_id in enumerate(self.entries.ids)}
        if self.names is None:
            self.names = name_index([(e.id, e.name, e.origin) for e in self.entries])
        language_names()  # loaded with the index, not by the first query that names a language

    @functools.cached_property
    def curated_names(self) -> NameIndex:
        """The names of the curated entries alone, taken from `names` (copies.py): an imported
        copy's own name must not hide the name of its source inside it."""
        origins = zip(self.entries.ids, self.entries.origins, strict=True)
        curated = {entry_id for entry_id, origin in origins if origin == "curated"}
        return NameIndex.from_phrases(
            {phrase: ids & curated for phrase, ids in self.names.entries.items() if ids & curated}
        )


def document(name: str, summary: str, description: str | None, domains: list[str]) -> str:
    """The text compared for similarity: the name counts twice, it is the most telling."""
    return "\n".join(
        [name, name, summary, description or "", " ".join(d.replace("-", " ") for d in domains)]
    )


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


def text_index(rows: list[tuple]) -> TieredTfidf:
    """The TF-IDF tiers of catalog rows (CATALOG_QUERY's columns), one tier per origin."""
    return TieredTfidf(
        [document(row[1] or row[0], row[2] or "", row[3], json_list(row[9])) for row in rows],
        [row[11] or "curated" for row in rows],
    )


def name_index(names: list[tuple[str, str, str]], known: dict | None = None) -> NameIndex:
    """The names of the catalog's entries, from (id, name, origin) rows (`known`: NameIndex)."""
    return NameIndex(
        {entry_id: name or entry_id for entry_id, name, _ in names},
        frozenset(entry_id for entry_id, _, origin in names if (origin or "curated") != "curated"),
        known,
    )


def catalog_rows(connection: sqlite3.Connection, descriptions: bool = True) -> list[tuple]:
    """The catalog's rows (CATALOG_QUERY), with None for each description unless `descriptions`."""
    if "catalog" not in _tables(connection):
        raise LookupError("the database has no catalog table; build it with `commons build`")
    query = CATALOG_QUERY.format(description="description" if descriptions else "null")
    return connection.execute(query + " order by id").fetchall()


def catalog_ids(connection: sqlite3.Connection) -> list[str]:
    """The ids of the catalog's rows in id order, from the id index alone (reading the rows
    would read the descriptions beside them)."""
    if "catalog" not in _tables(connection):
        raise LookupError("the database has no catalog table; build it with `commons build`")
    cursor = connection.cursor()
    cursor.row_factory = None  # plain tuples, whatever the connection's factory
    return [row[0] for row in cursor.execute("select id from catalog order by id")]


def _text(
    connection: sqlite3.Connection, size: int, db: Path | None, compute: bool
) -> tuple[TieredTfidf, NameIndex | None, SavedIndexRefused | None]:
    """The tiers and names saved beside `db` when they are its own; else the tiers computed here
    (with the reason the saved ones were refused), or SavedIndexRefused when not `compute`."""
    if db is None:
        return text_index(catalog_rows(connection)), None, None
    try:
        text, names = load_saved(db, size, stated_key(connection))
        return text, NameIndex.from_phrases(names), None
    except SavedIndexRefused as refused:
        if not compute:
            raise
        return text_index(catalog_rows(connection)), None, refused


def load_index(
    connection: sqlite3.Connection, db: Path | None = None, compute: bool = True
) -> CommonsIndex:
    """The index of an open registry database; its text tiers are read from `db`'s saved index
    when there is one of that database (see _text)."""
    tables = _tables(connection)
    if db is None:
        entries = CatalogEntries.of(catalog_entries(catalog_rows(connection, descriptions=False)))
        text, names, refused = _text(connection, len(entries), db, compute)
    else:
        ids = catalog_ids(connection)
        text, names, refused = _text(connection, len(ids), db, compute)
        entries = CatalogEntries(ids, text.labels(), database_reader(str(db)))
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
        entries,
        text,
        HostIndex(pairs),
        source_domains,
        containers,
        fingerprints,
        built_at,
        signals,
        refused,
        names,
    )


_CACHE: dict[tuple, CommonsIndex] = {}
_LOCK = threading.Lock()


def _key(path: Path) -> tuple:
    stat = path.stat()
    return (str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def loaded_index(path: str | os.PathLike) -> CommonsIndex | None:
    """The index of the database at `path` if it is loaded already (never waits to load it)."""
    try:
        return _CACHE.get(_key(Path(path)))
    except OSError:
        return None


def open_index(path: str | os.PathLike, compute: bool = True) -> CommonsIndex:
    """The index of the database at `path`, loaded again only when the file changes.

    Without a saved text index of that database it is computed (half a minute at 26,000
    entries; `refused` says why), or, when not `compute`, SavedIndexRefused is raised."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no registry database at {path}; build it with `commons build`")
    key = _key(path)
    with _LOCK:
        if key not in _CACHE:
            try:
                connection = open_registry(path)
            except RegistryReadError as error:
                raise FileNotFoundError(str(error)) from None
            try:
                _CACHE.clear()
                _CACHE[key] = load_index(connection, path, compute)
            finally:
                connection.close()
        return _CACHE[key]
