"""The overlap check's text index, assembled from each entry's counted terms, saved beside the
database.

Tokenising the catalog's 26,000 descriptions takes most of a minute; it is done once per entry
file, by the parse worker that prepares the entry's rows (`entry_terms`: the terms of its
document as text.TfidfIndex counts them, with each term's general weight). The build keeps them
in its cache beside the entry's other rows (work.py, `cache.index_terms`), and every build only
assembles the tiers from them (matrix and IDF, equal to the tiers computed from the texts).

The index is keyed to its inputs: `inputs_key` digests the method and every entry's id, name,
origin and the digest of its counted terms. The database states that key (`builds.overlap_index`)
and so does the index (saved_index.py), which is how a reader knows they belong together; a
build whose key is the saved index's own does not write the index again. When it does, the
index is assembled and written in a thread while the database is copied and checked (db.publish).
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from itertools import islice, pairwise
from pathlib import Path

import numpy as np

from registry.build.heap import give_back
from registry.build.in_place import ids_table
from registry.build.word_weights import fast_word_weights
from registry.overlap.index import document, name_index
from registry.overlap.informative import CONCEPT_WEIGHT
from registry.overlap.saved_index import (
    ARRAYS,
    index_path,
    matrix_blobs,
    method_digest,
    saved_key,
    saved_tiers,
    staged,
    vocabulary_blobs,
)
from registry.overlap.text import CountedTerms, TfidfIndex, number_terms, terms_and_pairs

# Each entry's counted terms in the build cache: the terms joined by NUL (no term holds one:
# text.words keeps letters and digits only), their counts (uint32) and weights (float32), and
# the sha256 of terms and counts.
TERMS_COLUMNS = (
    "entry_id text not null, terms text not null, counts blob not null, weights blob not null, "
    "digest blob not null"
)
_JOIN = "from catalog c join cache.index_terms t on t.entry_id = c.id"
_ORDER = "order by c.id"
_FROM = f"{_JOIN} {_ORDER}"
KEY_QUERY = f"select c.id, c.name, c.origin, t.digest {_FROM}"
STALE_KEY_QUERY = f"select c.id, c.name, c.origin, t.digest {_JOIN} where c.id in temp.stale"
INPUTS_SELECT = f"select c.origin, t.terms, t.counts, t.weights {_JOIN}"
INPUTS_QUERY = f"{INPUTS_SELECT} {_ORDER}"
ROWS_A_CHUNK = 2_000  # tier_index's rows at a time: 240,000 term strings at 120 terms a row


def _length_prefixed(*parts: bytes) -> bytes:
    return b"".join(len(part).to_bytes(8, "little") + part for part in parts)


def entry_document(name: str, summary: str | None, description: str | None, domains) -> str:
    """The text the overlap check compares, from an entry's catalog columns."""
    return document(name, summary or "", description, [str(d) for d in domains])


def entry_terms(found: list[str]) -> tuple:
    """(terms, counts, weights, digest) of one entry's document, whose text.words are `found`,
    for the cache."""
    counted, pairs = terms_and_pairs(found)
    text = "\0".join(counted)
    counts = np.fromiter(counted.values(), dtype="<u4", count=len(counted)).tobytes()
    return (
        text,
        counts,
        np.array(term_weights(counted, found, pairs), dtype="<f4").tobytes(),
        hashlib.sha256(_length_prefixed(text.encode("utf-8", "surrogatepass"), counts)).digest(),
    )


def term_weights(
    counted: dict[str, int], found: list[str], pairs: list[str] | None = None
) -> list[float]:
    """informative.term_weight of each term of `counted` (text.terms_of(found)), each word's
    weight looked up once: a word pair weighs what the heavier of its two words does.

    `counted` holds the distinct words, then the distinct pairs, then the concept tokens
    (text.terms_and_pairs), so the weights are read section by section, without looking at
    each term again; `pairs`: the pairs text.terms_and_pairs joined, when the caller has them."""
    distinct = list(dict.fromkeys(found))
    weights = fast_word_weights(distinct)
    if len(counted) == len(distinct):
        return weights
    if pairs is None:
        pairs = list(map(" ".join, pairwise(found)))
    each = list(map(dict(zip(distinct, weights, strict=True)).__getitem__, found))
    weights += dict(zip(pairs, map(max, each, each[1:]), strict=True)).values()
    weights += [CONCEPT_WEIGHT] * (len(counted) - len(weights))
    return weights


def inputs_key(rows: list[tuple]) -> str:
    """sha256 of the method and every KEY_QUERY row's id, name, origin and terms digest (the
    weights follow from the terms and the method)."""
    digest = hashlib.sha256(method_digest().encode())
    for entry_id, name, origin, terms_digest in rows:
        parts = (entry_id, name or "", origin or "")
        digest.update(_length_prefixed(*(p.encode("utf-8", "surrogatepass") for p in parts)))
        digest.update(terms_digest)
    return digest.hexdigest()


def tier_index(rows: Iterable[tuple]) -> tuple[TfidfIndex, dict[str, memoryview]]:
    """The TF-IDF index of one tier, from its members' INPUTS_QUERY rows in id order (as
    index.text_index makes each tier from the documents), without its vocabulary, and the
    vocabulary's saved arrays (saved_index.vocabulary_blobs). The rows are read once, in chunks
    (ROWS_A_CHUNK): each row can be released once read, and only a chunk's term strings are
    made at a time."""
    indptr, counts, weights = [0], [], []

    def chunks() -> Iterator[list[str]]:
        remaining = iter(rows)
        while chunk := list(islice(remaining, ROWS_A_CHUNK)):
            terms: list[str] = []
            for _origin, text, row_counts, row_weights in chunk:
                if text:
                    terms.extend(text.split("\0"))
                indptr.append(indptr[-1] + len(row_counts) // 4)
                counts.append(row_counts)
                weights.append(row_weights)
            yield terms

    vocabulary, columns = number_terms(chunks())
    if len(columns) != indptr[-1]:
        raise ValueError("an entry's cached terms and counts differ in number")
    # The vocabulary in its saved form now: the dict (109 MB at 100,000 entries) is not held
    # while the matrix is made.
    saved_terms = vocabulary_blobs(vocabulary)
    del vocabulary
    counted = CountedTerms(None, columns, _joined(counts, "<u4"), indptr, _joined(weights, "<f4"))
    return TfidfIndex.from_counts(counted), saved_terms


def _joined(parts: list[bytes], dtype: str) -> np.ndarray:
    """The parts as one array, the list emptied: each row's bytes are not held beside it."""
    joined = np.frombuffer(b"".join(parts), dtype=dtype)
    parts.clear()
    return joined


@dataclass(frozen=True)
class SavedTier:
    """One tier as the saved index holds it (saved_index.matrix_blobs, vocabulary_blobs), and
    what it was made from: each member's (id, terms digest), in id order. A resident build keeps
    the last build's (memory.py): a tier whose members are the same is the same tier, its TF-IDF
    depending on its own documents alone (text_tiers.py)."""

    members: tuple[tuple[str, bytes], ...]
    shape: tuple[int, int]
    blobs: dict[str, bytes | memoryview]


def tier_positions(names: list[tuple]) -> dict[str, list[int]]:
    """Each tier's catalog rows (positions in KEY_QUERY's rows), tiers in order of first
    appearance, as index.text_index orders them."""
    tiers: dict[str, list[int]] = {}
    for position, row in enumerate(names):
        tiers.setdefault(row[2] or "curated", []).append(position)
    return tiers


def _key_rows(connection: sqlite3.Connection, kept: list[tuple] | None) -> list[tuple]:
    """KEY_QUERY's rows; from `kept` by difference: every row of a changed entry (temp.stale)
    dropped, the changed entries' rows read again, in KEY_QUERY's order (by id)."""
    if kept is None:
        return connection.execute(KEY_QUERY).fetchall()
    stale = {entry_id for (entry_id,) in connection.execute("select id from temp.stale")}
    rows = [row for row in kept if row[0] not in stale]
    rows += connection.execute(STALE_KEY_QUERY).fetchall()
    # Python orders str by code point, as SQLite's BINARY collation orders UTF-8 bytes.
    rows.sort(key=lambda row: row[0])
    return rows


class OverlapIndexInputs:
    """The index's key, as the working database's rows give it after a build's update (the
    build writes it into `builds.overlap_index` before publishing), and, when the index beside
    `out` is not that key's, the rows to assemble it from."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        out: Path,
        kept: list[tuple] | None = None,
        tiers: dict[str, SavedTier] | None = None,
        found_names: dict | None = None,
    ):
        """`kept`: the last build's KEY_QUERY rows (a resident build's memory, memory.py), to
        which only the rows of the entries changed since (temp.stale) are read again; `tiers`:
        the last build's tiers, of which those whose members are unchanged are not assembled
        again; `found_names`: its names_of results (names.NameIndex.found)."""
        self.names = _key_rows(connection, kept)
        self.key = inputs_key(self.names)
        self.out = out
        # The tiers (every one once staged) and names_of results for the next build's memory.
        self.tiers, self.found_names = dict(tiers or {}), found_names
        self.rows: dict[int, tuple] | None = None  # INPUTS_QUERY rows of the tiers to assemble
        self.positions = tier_positions(self.names)
        if saved_key(index_path(out)) != self.key:
            self.tiers = {
                tier: saved for tier in self.positions if (saved := self._kept(tier)) is not None
            }
            self.rows = self._rows_to_assemble(connection)

    def _members(self, tier: str) -> tuple[tuple[str, bytes], ...]:
        return tuple((self.names[i][0], self.names[i][3]) for i in self.positions[tier])

    def _kept(self, tier: str) -> SavedTier | None:
        saved = self.tiers.get(tier)
        return saved if saved is not None and saved.members == self._members(tier) else None

    def _rows_to_assemble(self, connection: sqlite3.Connection) -> dict[int, tuple]:
        """INPUTS_QUERY's rows of the tiers not kept, by position: all at once when none is."""
        if not self.tiers:
            return dict(enumerate(connection.execute(INPUTS_QUERY).fetchall()))
        wanted = sorted(
            i for tier, at in self.positions.items() if tier not in self.tiers for i in at
        )
        ids_table(connection, "index_ids", [self.names[i][0] for i in wanted])
        found = connection.execute(f"{INPUTS_SELECT} where c.id in temp.index_ids {_ORDER}")
        return dict(zip(wanted, found.fetchall(), strict=True))

    def stage(self) -> tuple[Path, Path] | None:
        """(staged index, its place beside the database), or None when the index there is
        already this one. Reads no database: publish runs it in a thread."""
        if self.rows is None:
            return None
        parts = []
        for tier, positions in self.positions.items():
            if tier not in self.tiers:
                self.tiers[tier] = self._assembled(tier)
            saved = self.tiers[tier]
            parts.append((tier, np.array(positions, dtype=np.int64), saved.shape, saved.blobs))
        give_back()  # the assembly's arrays and term strings, freed in this thread's heap
        # The names once the tiers are made: not held beside the assembly's arrays.
        names = name_index([row[:3] for row in self.names], self.found_names)
        self.found_names = names.found
        return staged(self.out, parts, names.entries, self.key), index_path(self.out)

    def _assembled(self, tier: str) -> SavedTier:
        """One tier, assembled from its rows, each row released once read (the rows are the
        index's largest input); the TF-IDF index and its vocabulary go once its arrays are
        saved."""
        index, saved_terms = tier_index(self.rows.pop(i) for i in self.positions[tier])
        give_back()  # the assembly's intermediate arrays, before the saved arrays are made
        shape = tuple(int(size) for size in index.columns.shape)
        return SavedTier(self._members(tier), shape, {**matrix_blobs(index), **saved_terms})

    def for_memory(self) -> None:
        """Once published, for a resident build's memory: when this build staged nothing (the
        index in place was already this one) and the memory held no tiers or names, they are
        read from the published index and found, so the next build assembles only what it
        changes. Costs the first build of a resident process alone."""
        path = index_path(self.out)
        for tier, (shape, blobs) in saved_tiers(path, self.key).items():
            if tier in self.positions and tier not in self.tiers and len(blobs) == len(ARRAYS) - 1:
                self.tiers[tier] = SavedTier(self._members(tier), shape, blobs)
        if self.found_names is None:
            self.found_names = name_index([row[:3] for row in self.names]).found


class EarlyIndex:
    """A cold build's index, staged in a thread of its own from the moment the catalog's rows and
    the entries' terms are final (Update.finish calls `start`), beside the rest of the database's
    writes instead of after them: assembling and writing it took 2.6 CPU-s at the real catalog,
    most of it waited for at the end of the publish. `stage` is what db.publish calls."""

    def __init__(self, out: Path):
        self.out = out
        self.inputs: OverlapIndexInputs | None = None
        self.future: Future | None = None

    def start(self, connection: sqlite3.Connection, after: Future | None = None) -> None:
        """Read the inputs (on the caller's connection, inside its transaction) and begin, once
        `after` (the overlap pairs' thread) is done: the two steps' arrays at once would be the
        build's peak of memory (1.2 GB at 100,000 entries)."""
        self.inputs = OverlapIndexInputs(connection, self.out)
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="overlap-index")
        self.future = pool.submit(self._stage_after, after)
        pool.shutdown(wait=False)  # the thread ends with its one task

    def _stage_after(self, after: Future | None) -> tuple[Path, Path] | None:
        if after is not None:
            wait([after])  # its error, if any, is the build's to report (Update.finish)
        return self.inputs.stage()

    def stage(self) -> tuple[Path, Path] | None:
        return self.future.result() if self.future is not None else None

    def discard(self) -> None:
        """Remove the staged file of a build that failed before publishing it."""
        if self.future is None:
            return
        with contextlib.suppress(Exception):
            done = self.future.result()
            if done is not None:
                done[0].unlink(missing_ok=True)


@contextlib.contextmanager
def early_index(out: Path) -> Iterator[EarlyIndex]:
    """An EarlyIndex for a build into `out` (started only by a cold build), its staged file
    removed if the build fails before db.publish has taken it over."""
    early = EarlyIndex(out)
    try:
        yield early
    except BaseException:
        early.discard()
        raise
