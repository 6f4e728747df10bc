"""The overlap check's text index, computed from the checked database the build publishes.

`publish` (db.py) calls `stage_overlap_index` with its checked copy: the TF-IDF tiers
and the names of that copy's catalog are written to a temporary file
(overlap/saved_index.py), keyed to the copy's sha256 and size, and moved beside the database
right after it. A failure here fails the build before the database is replaced, and leaves no
file behind.
"""

from __future__ import annotations

from pathlib import Path

from registry.overlap.index import catalog_rows, name_index, text_index
from registry.overlap.saved_index import index_path, staged
from registry.read.database import open_registry


def stage_overlap_index(out: Path, copy: Path, digest: str) -> tuple[Path, Path]:
    """(staged index, its place beside `out`) for the checked database `copy` of sha256 `digest`."""
    connection = open_registry(copy)
    try:
        rows = catalog_rows(connection)
    finally:
        connection.close()
    names = name_index([(row[0], row[1], row[11]) for row in rows]).entries
    return staged(out, text_index(rows), names, digest, copy.stat().st_size), index_path(out)
