"""A content-hash cache of parsed (and classified) entries, so rebuilds only redo what changed.

One pickle file per cache key; the key covers everything a cached value depends
on besides the file's bytes: the entry and database schema versions, the rules
version, the as-of date and a fingerprint of the code that parses and classifies.
Within a key, each value is found by file name and the sha256 of the file's bytes.
Pickle is used only for this project's own cache files, written and read on the
same machine; delete `.cache/` at any time, the build redoes the work.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

import classifier
import registry

_CODE_PACKAGES = (Path(registry.__file__).parent, Path(classifier.__file__).parent)


def code_fingerprint() -> str:
    """sha256 over the Python sources and rule data of the registry and classifier packages."""
    digest = hashlib.sha256()
    for package in _CODE_PACKAGES:
        for path in sorted(package.rglob("*")):
            if path.suffix in (".py", ".yaml", ".json") and path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(package.parent)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(*parts: object) -> str:
    text = "\x1f".join(str(part) for part in parts) + "\x1f" + code_fingerprint()
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class EntryCache:
    """Maps (file name, file sha256) to a cached value for one cache key."""

    def __init__(self, folder: Path | None, key: str):
        self.folder = folder
        self.key = key
        self.values: dict[tuple[str, str], object] = {}
        self.changed = False
        if folder is not None:
            path = self._path()
            if path.is_file():
                try:
                    with path.open("rb") as handle:
                        self.values = pickle.load(handle)
                except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
                    self.values = {}  # a damaged or outdated cache is rebuilt, never trusted

    def _path(self) -> Path:
        return self.folder / f"entries-{self.key}.pickle"

    def get(self, name: str, digest: str):
        return self.values.get((name, digest))

    def put(self, name: str, digest: str, value: object) -> None:
        self.values[(name, digest)] = value
        self.changed = True

    def save(self, keep: set[tuple[str, str]]) -> None:
        """Write the values for the files of this build only, atomically; drop other keys' files."""
        if self.folder is None:
            return
        if not self.changed and set(self.values) == keep:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        values = {k: v for k, v in self.values.items() if k in keep}
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(values, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self._path())
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in self.folder.glob("entries-*.pickle"):
            if old != self._path():
                old.unlink(missing_ok=True)
