"""The content index as the overlap check reads it: loaded once per folder and change."""

from __future__ import annotations

import threading
from pathlib import Path

from registry.overlap.content.containment import Lookup
from registry.overlap.content.shards import MANIFEST, ContentIndexError, load

_CACHE: dict[tuple, Lookup] = {}
_LOCK = threading.Lock()


def open_lookup(folder: Path) -> Lookup:
    """The lookup of the index in `folder`, reloaded when its manifest changes."""
    manifest = folder / MANIFEST
    try:
        stat = manifest.stat()
    except OSError:
        raise ContentIndexError(
            f"{manifest}: no content index here; build one with `commons content-index`"
        ) from None
    key = (str(manifest.resolve()), stat.st_mtime_ns, stat.st_size)
    with _LOCK:
        if key not in _CACHE:
            _CACHE.clear()
            _CACHE[key] = Lookup(load(folder))
        return _CACHE[key]
