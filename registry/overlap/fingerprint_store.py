"""Published fingerprints into the database: read, verified, stored for the overlap check.

The build calls `store_fingerprints(db, loaded, root)` after inserting
entries. Each entry's `fingerprint.path` must exist under `root`, match its
`sha256` and be a readable sketch; every problem is reported with the
position of the entry's `fingerprint` key.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import sqlite_utils

from registry.entry.errors import EntryError, EntryErrors
from registry.entry.loader import LoadedEntry
from registry.entry.strict_yaml import YamlErrors, read
from registry.overlap.sketch import MAX_SKETCH_BYTES, SketchError, loads


def _position(item: LoadedEntry, *location: str) -> tuple[int, int]:
    try:
        return read(item.path, Path(item.path).read_bytes()).position(location)
    except (OSError, YamlErrors):
        return 1, 1


def fingerprint_rows(loaded: list[LoadedEntry], root: Path) -> list[dict]:
    """Rows for the `fingerprints` table; raises EntryErrors listing every bad reference."""
    rows, errors = [], []
    for item in loaded:
        reference = item.entry.fingerprint
        if reference is None:
            continue
        file = root / reference.path
        try:
            data = file.read_bytes()[: MAX_SKETCH_BYTES + 1]
        except OSError:
            errors.append(
                EntryError(
                    item.path,
                    *_position(item, "fingerprint", "path"),
                    f"fingerprint.path: {reference.path} does not exist; commit the file "
                    "written by `commons fingerprint --out`",
                )
            )
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != reference.sha256:
            errors.append(
                EntryError(
                    item.path,
                    *_position(item, "fingerprint", "sha256"),
                    f"fingerprint.sha256 does not match {reference.path} (the file's sha256 is "
                    f"{digest}); update one or the other",
                )
            )
            continue
        try:
            sketch = loads(data.decode("utf-8", "replace"), reference.path)
        except SketchError as error:
            errors.append(
                EntryError(
                    item.path, *_position(item, "fingerprint", "path"), f"fingerprint: {error}"
                )
            )
            continue
        rows.append(
            {
                "entry_id": item.entry.id,
                "path": reference.path,
                "sha256": digest,
                "num_perm": sketch.num_perm,
                "shingles": sketch.shingles,
                "sketch": sketch.dumps(),
            }
        )
    if errors:
        raise EntryErrors(errors)
    return rows


def store_fingerprints(
    db: sqlite_utils.Database, loaded: list[LoadedEntry], root: Path = Path(".")
) -> int:
    """Insert verified fingerprints; returns how many entries publish one."""
    rows = fingerprint_rows(loaded, root)
    with db.conn:
        db["fingerprints"].insert_all(rows, replace=True)
    return len(rows)
