"""Which of a seller's documents are inside commons content, entry by entry.

A sample document is contained in an entry when one of the entry's documents holds at least
CONTAINED of its shingles (estimated from the MinHash Jaccard and the two set sizes), or when
at least CONTAINED of its paragraphs (those long enough to hash) are found exactly. Candidates
come from the LSH band keys and the paragraph hashes, looked up in sorted arrays: a query of
1,000 documents touches a few thousand of the index's documents, not all of them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from registry.overlap.content.documents import Document
from registry.overlap.content.fingerprint import BANDS, band_keys, containment, fingerprint
from registry.overlap.content.shards import ContentIndex

CONTAINED = 0.5
MAX_CANDIDATES = 200
EXAMPLES = 3
EXAMPLE_CHARACTERS = 240


@dataclass
class Lookup:
    """The index with its band keys sorted once, for repeated queries."""

    index: ContentIndex
    keys: np.ndarray = field(init=False)
    owners: np.ndarray = field(init=False)

    def __post_init__(self):
        keys = band_keys(self.index.signatures).ravel()
        order = np.argsort(keys)
        self.keys = keys[order]
        self.owners = (order // BANDS).astype(np.int64)

    def _band_candidates(self, signature: np.ndarray) -> np.ndarray:
        keys = band_keys(signature[None, :])[0]
        left = np.searchsorted(self.keys, keys, "left")
        right = np.minimum(np.searchsorted(self.keys, keys, "right"), left + MAX_CANDIDATES)
        if not (right > left).any():
            return np.zeros(0, dtype=np.int64)
        return np.unique(
            np.concatenate([self.owners[a:b] for a, b in zip(left, right, strict=True)])
        )

    def _paragraph_hits(self, paragraphs: tuple[int, ...]) -> dict[int, int]:
        """Index document → how many of the given paragraphs it holds."""
        hits: dict[int, int] = defaultdict(int)
        hashes = np.array(paragraphs, dtype=np.int64)
        left = np.searchsorted(self.index.paragraph_hashes, hashes, "left")
        right = np.searchsorted(self.index.paragraph_hashes, hashes, "right")
        for a, b in zip(left.tolist(), right.tolist(), strict=True):
            for owner in set(self.index.paragraph_documents[a:b][:MAX_CANDIDATES].tolist()):
                hits[owner] += 1
        return hits

    def best_match(self, document: Document) -> dict | None:
        """The index document holding most of `document`, if it holds at least CONTAINED."""
        found = fingerprint(document.text)
        if found is None or len(self.index.entry_ids) == 0:
            return None
        best: tuple[float, int, str] | None = None
        candidates = self._band_candidates(found.signature)
        if len(candidates):
            shares = containment(
                found.signature,
                found.shingles,
                self.index.signatures[candidates],
                self.index.shingles[candidates],
            )
            top = int(np.argmax(shares))
            best = (float(shares[top]), int(candidates[top]), "near-duplicate")
        if found.paragraphs:
            for owner, count in self._paragraph_hits(found.paragraphs).items():
                share = count / len(found.paragraphs)
                if best is None or share > best[0]:
                    best = (share, owner, "exact paragraphs")
        if best is None or best[0] < CONTAINED:
            return None
        share, owner, how = best
        return {
            "entry_id": str(self.index.entry_ids[owner]),
            "document": str(self.index.names[owner]),
            "share": round(share, 3),
            "how": how,
        }


def contained(lookup: Lookup, documents: list[Document]) -> dict:
    """Per entry: how many of the sample's documents it contains, with examples of them."""
    per_entry: dict[str, list[tuple[Document, dict]]] = defaultdict(list)
    for document in documents:
        match = lookup.best_match(document)
        if match is not None:
            per_entry[match["entry_id"]].append((document, match))
    total = len(documents)
    return {
        "documents": total,
        "contained": sum(len(found) for found in per_entry.values()),
        "entries": sorted(
            (_entry_summary(entry_id, found, total) for entry_id, found in per_entry.items()),
            key=lambda e: (-e["documents"], e["id"]),
        ),
    }


def _entry_summary(entry_id: str, found: list[tuple[Document, dict]], total: int) -> dict:
    return {
        "id": entry_id,
        "documents": len(found),
        "share": round(len(found) / total, 4),
        "examples": [
            {
                "your_document": document.source,
                "your_passage": _passage(document.text),
                "their_document": match["document"],
                "contained": match["share"],
                "how": match["how"],
            }
            for document, match in found[:EXAMPLES]
        ],
    }


def _passage(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXAMPLE_CHARACTERS else flat[: EXAMPLE_CHARACTERS - 1] + "…"
