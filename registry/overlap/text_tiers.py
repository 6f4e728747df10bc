"""Description similarity computed apart for the curated entries and the imported records.

How rare a word is decides its weight (IDF). Twenty-six thousand imported records, mostly
short uploader-written dataset cards, would set those weights for the catalog's 151 curated
entries: a name such as "C4" or "The Stack" becomes common (hundreds of cards mention them),
and the curated entry that *is* that dataset drops below the cards that mention it. Each tier
is therefore its own TF-IDF index: the curated entries keep the weights they were calibrated
with, and the imported records are compared among themselves.
"""

from __future__ import annotations

import numpy as np

from registry.overlap.text import TfidfIndex


class TieredTfidf:
    """One TF-IDF index per tier of the catalog; cosines come back in the catalog's row order."""

    def __init__(self, documents: list[str], tiers: list[str]):
        built = []
        for name in dict.fromkeys(tiers):
            rows = np.array([i for i, t in enumerate(tiers) if t == name], dtype=np.int64)
            built.append((name, rows, TfidfIndex([documents[i] for i in rows.tolist()])))
        self._place(len(documents), built)

    @classmethod
    def from_parts(cls, size: int, tiers: list[tuple[str, np.ndarray, TfidfIndex]]) -> TieredTfidf:
        """Tiers computed earlier (saved_index.py): (name, catalog rows, index) each."""
        tiered = cls.__new__(cls)
        tiered._place(size, tiers)
        return tiered

    def _place(self, size: int, tiers: list[tuple[str, np.ndarray, TfidfIndex]]) -> None:
        self.size = size
        self.names = [name for name, _, _ in tiers]
        # Each tier's catalog rows, in increasing order (as the tiers are made).
        self.tiers: list[tuple[np.ndarray, TfidfIndex]] = [
            (rows, index) for _, rows, index in tiers
        ]

    def labels(self) -> list[str]:
        """Each catalog row's tier name (its origin: "curated" or "imported")."""
        labels = [""] * self.size
        for name, (rows, _) in zip(self.names, self.tiers, strict=True):
            for row in rows.tolist():
                labels[row] = name
        return labels

    def local(self, row: int) -> tuple[int, int]:
        """(tier, row in the tier) of a catalog row."""
        for tier, (rows, _) in enumerate(self.tiers):
            local = int(np.searchsorted(rows, row))
            if local < len(rows) and rows[local] == row:
                return tier, local
        raise IndexError(f"no catalog row {row}")

    def query(self, text: str) -> np.ndarray:
        """Cosine of `text` with every catalog row, each against its own tier's weights."""
        cosines = np.zeros(self.size, dtype=np.float32)
        for rows, index in self.tiers:
            cosines[rows] = index.query(text)
        return cosines

    def shared_terms(self, text: str, row: int, limit: int = 6) -> list[str]:
        tier, local = self.local(row)
        return self.tiers[tier][1].shared_terms(text, local, limit)
