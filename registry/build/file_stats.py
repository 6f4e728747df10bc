"""The sha256 of entry files remembered by their stat, so a rebuild reads only files that changed.

As git's index does: a file whose size, modification and change times and
inode are those recorded when its bytes were hashed is taken to have the same
bytes. A file modified within STAT_GRACE of being hashed is not remembered
(it could change again within the file system's clock resolution without its
times changing), so it is read again next time. Kept beside the build's
working database; delete it at any time.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import time
from pathlib import Path

STAT_GRACE = 2.0  # seconds
_Stat = tuple[int, int, int, int]


def _stat_key(path: str | Path) -> _Stat:
    st = os.stat(path)
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class FileStats:
    """file path → (stat, sha256) remembered in `store` (None: remember nothing)."""

    def __init__(self, store: Path | None, known: dict | None = None):
        """`known`: what `store` holds, already in memory (a resident build's), not read again."""
        self.store = store
        self.known: dict[str, tuple[_Stat, str]] = {} if known is None else known
        self.seen: dict[str, tuple[_Stat, str]] = {}
        if known is None and store is not None and store.is_file():
            try:
                with store.open("rb") as handle:
                    self.known = pickle.load(handle)
            except (
                OSError,
                EOFError,
                pickle.UnpicklingError,
                AttributeError,
                ImportError,
                TypeError,
                ValueError,
            ):
                self.known = {}  # a damaged file is ignored: every file is read again

    def lookup(self, path: str | Path) -> tuple[_Stat | None, str | None]:
        """(stat, sha256) of `path`: the sha256 when the stat is unchanged since it was hashed, else
        None (read it).

        Stat before reading, so a change during the read shows next time.
        """
        if self.store is None:
            return None, None
        key = str(path)
        stat = _stat_key(path)
        remembered = self.known.get(key)
        if remembered is None or remembered[0] != stat:
            return stat, None
        self.seen[key] = remembered
        return stat, remembered[1]

    def record(self, path: str | Path, stat: _Stat | None, digest: str) -> None:
        """Remember `digest`, the sha256 of the bytes read from `path` after taking `stat`, unless
        the file is too fresh."""
        if stat is not None and stat[1] < (time.time() - STAT_GRACE) * 1e9:
            self.seen[str(path)] = (stat, digest)

    def save(self) -> None:
        """Remember the files seen by this build (atomically); others are forgotten."""
        if self.store is None or self.seen == self.known:
            return
        fd, tmp = tempfile.mkstemp(dir=self.store.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(self.seen, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.store)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
