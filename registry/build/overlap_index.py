"""The overlap check's text index, assembled from each entry's counted terms, saved beside the
database.

Tokenising the catalog's 26,000 descriptions takes most of a minute; it is done once per entry
file, by the parse worker that prepares the entry's rows (`entry_terms`: the terms of its
document as text.TfidfIndex counts them, with each term's general weight). The build keeps them
in its cache beside the entry's other rows (work.py, `cache.index_terms`), and every build only
assembles the tiers from them (matrix and IDF, equal to the tiers computed from the texts).

The index is keyed to its inputs: `inputs_key` digests the method and every entry's id, name,
origin and counted terms. The database states that key (`builds.overlap_index`) and so does the
index (saved_index.py), which is how a reader knows they belong together; a build whose key is
the saved index's own does not write the index again.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np

from registry.overlap.index import document, name_index
from registry.overlap.informative import term_weight
from registry.overlap.saved_index import index_path, method_digest, saved_key, staged
from registry.overlap.text import TfidfIndex, terms
from registry.overlap.text_tiers import TieredTfidf

# Each entry's counted terms in the build cache: the terms joined by NUL (no term holds one:
# text.words keeps letters and digits only), their counts (uint32) and weights (float32).
TERMS_COLUMNS = (
    "entry_id text not null, terms text not null, counts blob not null, weights blob not null"
)
INPUTS_QUERY = (
    "select c.id, c.name, c.origin, t.terms, t.counts, t.weights from catalog c "
    "join cache.index_terms t on t.entry_id = c.id order by c.id"
)


def entry_terms(name: str, summary: str | None, description: str | None, domains) -> tuple:
    """(terms, counts, weights) of one entry's document, from its catalog columns, for the cache."""
    counted = terms(document(name, summary or "", description, [str(d) for d in domains]))
    return (
        "\0".join(counted),
        np.fromiter(counted.values(), dtype="<u4", count=len(counted)).tobytes(),
        np.array([term_weight(term) for term in counted], dtype="<f4").tobytes(),
    )


def inputs_key(rows: list[tuple]) -> str:
    """sha256 of the method and every INPUTS_QUERY row's id, name, origin, terms and counts (the
    weights follow from the terms and the method)."""
    digest = hashlib.sha256(method_digest().encode())
    for entry_id, name, origin, text, counts, _ in rows:
        for part in (entry_id, name or "", origin or "", text):
            encoded = part.encode("utf-8", "surrogatepass")
            digest.update(len(encoded).to_bytes(8, "little") + encoded)
        digest.update(len(counts).to_bytes(8, "little") + counts)
    return digest.hexdigest()


def assembled(rows: list[tuple]) -> TieredTfidf:
    """The TF-IDF tiers of INPUTS_QUERY rows: one per origin, as index.text_index makes them."""
    tiers = [row[2] or "curated" for row in rows]
    parts = []
    for tier in dict.fromkeys(tiers):
        members = [i for i, name in enumerate(tiers) if name == tier]
        all_terms: list[str] = []
        indptr = [0]
        for i in members:
            if rows[i][3]:
                all_terms.extend(rows[i][3].split("\0"))
            indptr.append(len(all_terms))
        counts = np.frombuffer(b"".join(rows[i][4] for i in members), dtype="<u4")
        weights = np.frombuffer(b"".join(rows[i][5] for i in members), dtype="<f4")
        index = TfidfIndex.from_counts(all_terms, counts, indptr, weights)
        parts.append((tier, np.array(members, dtype=np.int64), index))
    return TieredTfidf.from_parts(len(rows), parts)


class OverlapIndexInputs:
    """The index's inputs as the working database holds them after a build's update, and their
    key, which the build writes into `builds.overlap_index` before publishing."""

    def __init__(self, connection: sqlite3.Connection, out: Path):
        self.rows = connection.execute(INPUTS_QUERY).fetchall()
        self.key = inputs_key(self.rows)
        self.out = out

    def stage(self) -> tuple[Path, Path] | None:
        """(staged index, its place beside the database), or None when the index there is
        already this one (same key)."""
        if saved_key(index_path(self.out)) == self.key:
            return None
        names = name_index([(row[0], row[1], row[2]) for row in self.rows]).entries
        return staged(self.out, assembled(self.rows), names, self.key), index_path(self.out)
