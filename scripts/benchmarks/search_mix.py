"""A fixed mix of full-text searches for a registry database, chosen by document frequency.

Words come from the synthetic generator's vocabulary (the real entries' words,
most frequent first). Each candidate's share of catalog rows is counted with
the same FTS5 match the catalog's `?_search=` runs, and the mix takes the
words whose shares are nearest to fixed targets (rare, medium, common) plus
two-word searches (both words must match, as in `?_search=a b`). The worst
cases are the candidates matching at least half of the rows (at least the one
matching the most). The same database always gives the same mix.
"""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path
from typing import NamedTuple

from scripts.benchmarks.synthetic import vocabulary

SINGLE_WORD_SHARES = [0.005, 0.03, 0.15, 0.4]
WORST_CASE_SHARE = 0.5
# Two-word searches: (share of the first word, share of the second).
TWO_WORD_SHARES = [(0.03, 0.15), (0.15, 0.4)]


class Search(NamedTuple):
    text: str
    matches: int
    share: float


def _candidates() -> list[str]:
    """Words at frequency ranks 1, 2, 3, 4, 6, 8, 11, ... (a geometric grid over the vocabulary)."""
    words = vocabulary()
    ranks = sorted(
        {min(len(words), round(1.4**step)) for step in range(int(math.log(len(words), 1.4)) + 2)}
    )
    return [words[rank - 1] for rank in ranks]


def _nearest(searches: list[Search], share: float) -> Search:
    return min(searches, key=lambda s: (abs(math.log(max(s.share, 1e-9) / share)), s.text))


def choose(db: Path) -> tuple[list[Search], list[Search]]:
    """(the mix of searches, the worst cases: most rows matched first) for the catalog in `db`."""
    conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
    try:
        rows = conn.execute("select count(*) from catalog").fetchone()[0]

        def search(text: str) -> Search:
            match = " ".join(f'"{word}"' for word in text.split())
            matches = conn.execute(
                "select count(*) from catalog_fts where catalog_fts match ?", (match,)
            ).fetchone()[0]
            return Search(text, matches, matches / rows)

        singles = [found for found in map(search, _candidates()) if found.matches]
        if not singles:
            raise RuntimeError(f"{db}: no word of the entries' vocabulary matches a catalog row")
        mix = [_nearest(singles, share) for share in SINGLE_WORD_SHARES]
        mix += [
            search(f"{_nearest(singles, first).text} {_nearest(singles, second).text}")
            for first, second in TWO_WORD_SHARES
        ]
    finally:
        conn.close()
    by_matches = sorted(singles, key=lambda s: (-s.matches, s.text))
    worst = [s for s in by_matches if s.share >= WORST_CASE_SHARE] or by_matches[:1]
    return mix, worst


def describe(searches: list[Search]) -> str:
    return ", ".join(f"'{s.text}' {s.share:.1%}" for s in searches)
