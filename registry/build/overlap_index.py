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
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from registry.build.word_weights import fast_word_weight
from registry.overlap.index import document, name_index
from registry.overlap.informative import CONCEPT_WEIGHT
from registry.overlap.saved_index import index_path, method_digest, saved_key, staged
from registry.overlap.text import TfidfIndex, terms_of
from registry.overlap.text_tiers import TieredTfidf

# Each entry's counted terms in the build cache: the terms joined by NUL (no term holds one:
# text.words keeps letters and digits only), their counts (uint32) and weights (float32), and
# the sha256 of terms and counts.
TERMS_COLUMNS = (
    "entry_id text not null, terms text not null, counts blob not null, weights blob not null, "
    "digest blob not null"
)
_JOIN = "from catalog c join cache.index_terms t on t.entry_id = c.id"
_FROM = f"{_JOIN} order by c.id"
KEY_QUERY = f"select c.id, c.name, c.origin, t.digest {_FROM}"
STALE_KEY_QUERY = f"select c.id, c.name, c.origin, t.digest {_JOIN} where c.id in temp.stale"
INPUTS_QUERY = f"select c.origin, t.terms, t.counts, t.weights {_FROM}"


def _length_prefixed(*parts: bytes) -> bytes:
    return b"".join(len(part).to_bytes(8, "little") + part for part in parts)


def entry_document(name: str, summary: str | None, description: str | None, domains) -> str:
    """The text the overlap check compares, from an entry's catalog columns."""
    return document(name, summary or "", description, [str(d) for d in domains])


def entry_terms(found: list[str]) -> tuple:
    """(terms, counts, weights, digest) of one entry's document, whose text.words are `found`,
    for the cache."""
    counted = terms_of(found)
    text = "\0".join(counted)
    counts = np.fromiter(counted.values(), dtype="<u4", count=len(counted)).tobytes()
    return (
        text,
        counts,
        np.array(term_weights(counted, found), dtype="<f4").tobytes(),
        hashlib.sha256(_length_prefixed(text.encode("utf-8", "surrogatepass"), counts)).digest(),
    )


def term_weights(counted: dict[str, int], found: list[str]) -> list[float]:
    """informative.term_weight of each term of `counted` (text.terms_of(found)), each word's
    weight looked up once: a word pair weighs what the heavier of its two words does."""
    single = {word: fast_word_weight(word) for word in dict.fromkeys(found)}
    weights = []
    for term in counted:
        weight = single.get(term)
        if weight is None:
            if term.startswith("§"):
                weight = CONCEPT_WEIGHT
            else:
                first, _, second = term.partition(" ")
                weight = max(single[first], single[second])
        weights.append(weight)
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


def assembled(rows: list[tuple]) -> TieredTfidf:
    """The TF-IDF tiers of INPUTS_QUERY rows: one per origin, as index.text_index makes them."""
    tiers = [row[0] or "curated" for row in rows]
    parts = []
    for tier in dict.fromkeys(tiers):
        members = [i for i, name in enumerate(tiers) if name == tier]
        all_terms: list[str] = []
        indptr = [0]
        for i in members:
            if rows[i][1]:
                all_terms.extend(rows[i][1].split("\0"))
            indptr.append(len(all_terms))
        counts = np.frombuffer(b"".join(rows[i][2] for i in members), dtype="<u4")
        weights = np.frombuffer(b"".join(rows[i][3] for i in members), dtype="<f4")
        index = TfidfIndex.from_counts(all_terms, counts, indptr, weights)
        parts.append((tier, np.array(members, dtype=np.int64), index))
    return TieredTfidf.from_parts(len(rows), parts)


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

    def __init__(self, connection: sqlite3.Connection, out: Path, kept: list[tuple] | None = None):
        """`kept`: the last build's KEY_QUERY rows (a resident build's memory, memory.py), to
        which only the rows of the entries changed since (temp.stale) are read again."""
        self.names = _key_rows(connection, kept)
        self.key = inputs_key(self.names)
        self.out = out
        self.rows = None
        if saved_key(index_path(out)) != self.key:
            self.rows = connection.execute(INPUTS_QUERY).fetchall()

    def stage(self) -> tuple[Path, Path] | None:
        """(staged index, its place beside the database), or None when the index there is
        already this one. Reads no database: publish runs it in a thread."""
        if self.rows is None:
            return None
        names = name_index([row[:3] for row in self.names]).entries
        return staged(self.out, assembled(self.rows), names, self.key), index_path(self.out)


class EarlyIndex:
    """A cold build's index, staged in a thread of its own from the moment the catalog's rows and
    the entries' terms are final (Update.finish calls `start`), beside the rest of the database's
    writes instead of after them: assembling and writing it took 2.6 CPU-s at the real catalog,
    most of it waited for at the end of the publish. `stage` is what db.publish calls."""

    def __init__(self, out: Path):
        self.out = out
        self.inputs: OverlapIndexInputs | None = None
        self.future: Future | None = None

    def start(self, connection: sqlite3.Connection) -> None:
        """Read the inputs (on the caller's connection, inside its transaction) and begin."""
        self.inputs = OverlapIndexInputs(connection, self.out)
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="overlap-index")
        self.future = pool.submit(self.inputs.stage)
        pool.shutdown(wait=False)  # the thread ends with its one task

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
