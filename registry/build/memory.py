"""What a resident build process (`commons build --watch`, resident.py) keeps between builds.

A one-shot warm build reads the last build's whole-catalog inputs back from the working
database (work.py) every time: every entry's references (for the scan and the cross-file
checks), the file stats, every entry's pair features, the overlap index key's rows; and it
assembles every tier of the overlap index again when any entry's text changed. A resident
process keeps them in memory and changes them by difference after each build: the rows of the
entries that build parsed or removed are read back from the database it just committed, the
rest are the ones it already held; an index tier none of whose members changed is kept as it
was saved (overlap_index.SavedTier), and each entry's names are found again only when its name
changed.

They are used only while the working database is the one they were taken from: the same file
(the cache key names it), not new, and holding the generation the last build of this process
wrote (`cache.reused`, written by every build in its own transaction, one-shot or resident). A
build by another process in between, a new cache key, a discarded copy or a failed build (its
transaction rolled back, the memory not changed) leaves the memory unused, and it is read
afresh from the database.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from registry.build import reuse
from registry.build.file_stats import FileStats
from registry.build.parse import EntryRefs
from registry.overlap.pair_features import PairFeatures

GENERATION = "generation"  # the cache.reused name of the build's random token


def new_generation() -> str:
    """A token no other build writes: a build's mark on the working database it committed."""
    return uuid.uuid4().hex


@dataclass
class Memory:
    """The last build's whole-catalog inputs, as this process committed them to `path`."""

    path: Path | None = None
    generation: str | None = None
    known: dict[str, tuple[str, EntryRefs]] | None = None
    stats: dict | None = None  # FileStats.seen of the last build
    features: dict[str, PairFeatures] | None = None
    index_names: list[tuple] | None = None  # overlap_index.KEY_QUERY rows
    index_tiers: dict | None = None  # overlap_index.SavedTier by tier
    found_names: dict | None = None  # names.NameIndex.found
    in_use: bool = field(default=False, init=False)
    last_used: bool = field(default=False, init=False)  # whether the last build used it
    # What this build read by difference ("features", "index_names"): kept if it commits.
    pending: dict = field(default_factory=dict, init=False)

    def open(self, work) -> bool:
        """Use the memory for this build of `work` (a WorkDatabase) when it is still that
        database's; else forget it. True when it is used."""
        self.in_use = (
            self.path == work.path
            and not work.new
            and self.generation is not None
            and reuse.stored(work.db.conn, GENERATION) == self.generation
        )
        self.pending = {}
        self.last_used = self.in_use
        if not self.in_use:
            self.forget()
        work.memory = self
        return self.in_use

    def forget(self) -> None:
        self.path = self.generation = self.known = self.stats = None
        self.features = self.index_names = self.index_tiers = self.found_names = None
        self.in_use = False

    def index_inputs(self) -> dict:
        """The last build's overlap index inputs (overlap_index.OverlapIndexInputs' keywords),
        none when the memory is not in use."""
        if not self.in_use:
            return {}
        return {
            "kept": self.index_names,
            "tiers": self.index_tiers,
            "found_names": self.found_names,
        }

    def file_stats(self, work) -> FileStats:
        """The last build's file stats, from memory when in use, else from the file."""
        return work.file_stats(self.stats if self.in_use else None)

    def remember(self, work, generation: str, stats: FileStats, known_after: dict) -> None:
        """After a build of `work` committed with `generation`: keep what it ended with."""
        self.path, self.generation = work.path, generation
        self.stats = stats.seen if stats.store is not None else None
        self.known = known_after
        self.features = self.pending.get("features")
        self.index_names = self.pending.get("index_names")
        self.index_tiers = self.pending.get("index_tiers")
        self.found_names = self.pending.get("found_names")
        self.pending = {}
        self.in_use = False


def known_after(
    work, known: dict[str, tuple[str, EntryRefs]], files: list[str], changed: list[str]
) -> dict[str, tuple[str, EntryRefs]]:
    """work.known_files() after a build, from the `known` before it: the files gone dropped,
    the `changed` files' entries (parsed this build) read back from the database."""
    if len(changed) * 2 > len(files):  # a cold build: every row read at once is cheaper
        return work.known_files()
    names = {os.path.basename(file) for file in files}
    after = {name: item for name, item in known.items() if name in names}
    for name in changed:
        after.pop(name, None)
    after.update(work.known_files(changed))
    return after
