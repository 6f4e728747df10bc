"""Synthetic entries for benchmarks: valid, varied, about 1.5 KB each.

They are generated from a seed, so two runs measure the same input.

Text (names, summaries, descriptions) is drawn from the vocabulary of the real
`entries/*.yaml`, read at run time, with Zipf-like word frequencies: the word
of frequency rank r is drawn with weight 1 / r**ZIPF_EXPONENT. A search for a
common word then matches most rows and one for a rare word a few, as in a real
catalog (a 40-word vocabulary made every search match most rows).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from registry.entry.canonical import dumps
from registry.entry.loader import load
from registry.entry.vocabularies import COPYRIGHT_BASES, DOMAINS, MODALITIES, PUBLISHER_TYPES

ENTRIES = Path(__file__).resolve().parents[2] / "entries"
ZIPF_EXPONENT = 1.1
LICENSES = [
    "CC0-1.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "ODbL-1.0",
    "CC-BY-NC-4.0",
    "MIT",
    "CC-BY-4.0 OR CC-BY-NC-4.0",
    "CC-BY-SA-4.0 AND CC-BY-SA-3.0",
    "LicenseRef-US-Government-Work",
    "LicenseRef-Public-Domain-Expired",
]
LANGUAGES = ["en", "fr", "de", "es", "pt", "it", "nl", "da", "pl", "ja", "zh", "ar", "mul"]
WORD = re.compile(r"[^\W\d_]{2,}")


@lru_cache(maxsize=1)
def real_text() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words by descending frequency in the real entries' names, summaries and descriptions; their
    publisher names)."""
    counts: Counter[str] = Counter()
    publishers = set()
    for loaded in load([ENTRIES]):
        entry = loaded.entry
        counts.update(
            word.lower()
            for word in WORD.findall(f"{entry.name} {entry.summary} {entry.description or ''}")
        )
        publishers.add(entry.publisher.name)
    words = tuple(word for word, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return words, tuple(sorted(publishers))


@lru_cache(maxsize=1)
def _zipf() -> tuple[tuple[str, ...], list[float], tuple[str, ...], list[float]]:
    """Cumulative Zipf weights over every word, and over the longer words that make names read like
    names."""
    words, _ = real_text()
    weights = [1 / rank**ZIPF_EXPONENT for rank in range(1, len(words) + 1)]
    name_pairs = [
        (word, weight) for word, weight in zip(words, weights, strict=True) if len(word) >= 4
    ]
    return (
        words,
        list(accumulate(weights)),
        tuple(w for w, _ in name_pairs),
        list(accumulate(w for _, w in name_pairs)),
    )


def vocabulary() -> tuple[str, ...]:
    """The generator's words, most frequent first (benchmarks pick search terms from it)."""
    return real_text()[0]


def raw_entry(index: int, rng: random.Random) -> dict:
    """One entry's raw data (all scalars strings), as the loader would read it."""
    entry_id = f"synthetic-{index:06d}"
    words, cumulative, name_words, name_cumulative = _zipf()
    publishers = real_text()[1]

    def text(n: int) -> str:
        return " ".join(rng.choices(words, cum_weights=cumulative, k=n))

    name = " ".join(rng.choices(name_words, cum_weights=name_cumulative, k=3)).title()
    publisher = index % 500
    return {
        "id": entry_id,
        "name": f"{name} {index}",
        "summary": f"{text(14).capitalize()}.",
        "description": f"{text(36).capitalize()}.\n\n{text(26).capitalize()}.",
        "homepage": f"https://data.example.org/{entry_id}",
        "access": {"kind": "open", "urls": [f"https://data.example.org/{entry_id}/download"]},
        "publisher": {
            "name": publishers[publisher % len(publishers)],
            "type": rng.choice(PUBLISHER_TYPES),
            "url": f"https://publisher{publisher}.example.org/",
        },
        "modality": rng.choice(MODALITIES),
        "languages": sorted(set(rng.sample(LANGUAGES, rng.randint(1, 3)))),
        "domains": sorted(set(rng.sample(DOMAINS, rng.randint(1, 3)))),
        "size": {
            "value": str(rng.randint(1, 10**9)),
            "unit": "documents",
            "as_of": "2025-01-01",
            "approximate": "true",
        },
        "licenses": [
            {
                "expression": rng.choice(LICENSES),
                "scope": "all",
                "url": "https://creativecommons.org/licenses/by/4.0/",
            }
        ],
        "copyright_basis": rng.choice(COPYRIGHT_BASES),
        "jurisdictions": ["US"] if rng.random() < 0.5 else [],
        "first_published": str(rng.randint(1850, 2020)),
        "evidence": [
            {"url": f"https://data.example.org/{entry_id}/license", "checked": "2026-01-15"}
        ],
        "verification": rng.choice(["high", "medium", "low"]),
        "rights_notes": f"Some items may carry third-party rights: {text(15)}.",
        "signals": [
            {
                "vocabulary": "ietf-aipref",
                "value": rng.choice(["train-ai=y", "train-ai=n", "search=y"]),
                "source": f"https://data.example.org/{entry_id}/robots.txt",
                "observed": "2026-08-01",
            }
        ],
        "source_domains": [f"site{index % 1000}.example.org"],
    }


def write_entries(folder: Path, count: int, seed: int = 1) -> list[Path]:
    """Write `count` canonical entry files into `folder` and return their paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        raw = raw_entry(index, rng)
        path = folder / f"{raw['id']}.yaml"
        path.write_text(dumps(raw), encoding="utf-8")
        paths.append(path)
    return paths
