"""Synthetic entries for benchmarks: valid, varied, about 1.5 KB each.

They are generated from a seed, so two runs measure the same input.
"""

from __future__ import annotations

import random
from pathlib import Path

from registry.canonical import dumps
from registry.vocabularies import COPYRIGHT_BASES, DOMAINS, MODALITIES, PUBLISHER_TYPES

LICENSES = ["CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "ODbL-1.0", "CC-BY-NC-4.0", "MIT", "CC-BY-4.0 OR CC-BY-NC-4.0", "CC-BY-SA-4.0 AND CC-BY-SA-3.0", "LicenseRef-US-Government-Work", "LicenseRef-Public-Domain-Expired"]
LANGUAGES = ["en", "fr", "de", "es", "pt", "it", "nl", "da", "pl", "ja", "zh", "ar", "mul"]
WORDS = (
    "archive corpus records public open data court opinions speech images code science biomedical abstracts "
    "newspapers books maps census parliament transcripts museum collection metadata statistics weather satellite "
    "genome proteins patents encyclopedia questions answers lectures recordings photographs letters manuscripts"
).split()


def raw_entry(index: int, rng: random.Random) -> dict:
    """One entry's raw data (all scalars strings), as the loader would read it."""
    entry_id = f"synthetic-{index:06d}"
    words = lambda n: " ".join(rng.choice(WORDS) for _ in range(n))  # noqa: E731
    return {
        "id": entry_id,
        "name": f"Synthetic {words(3).title()} {index}",
        "summary": f"A synthetic dataset of {words(12)}.",
        "description": f"{words(30)}.\n\nIt is used for **benchmarks** only: {words(20)}.",
        "homepage": f"https://data.example.org/{entry_id}",
        "access": {"kind": "open", "urls": [f"https://data.example.org/{entry_id}/download"]},
        "publisher": {"name": f"Publisher {index % 500}", "type": rng.choice(PUBLISHER_TYPES), "url": f"https://publisher{index % 500}.example.org/"},
        "modality": rng.choice(MODALITIES),
        "languages": sorted(set(rng.sample(LANGUAGES, rng.randint(1, 3)))),
        "domains": sorted(set(rng.sample(DOMAINS, rng.randint(1, 3)))),
        "size": {"value": str(rng.randint(1, 10**9)), "unit": "documents", "as_of": "2025-01-01", "approximate": "true"},
        "licenses": [{"expression": rng.choice(LICENSES), "scope": "all", "url": "https://creativecommons.org/licenses/by/4.0/"}],
        "copyright_basis": rng.choice(COPYRIGHT_BASES),
        "jurisdictions": ["US"] if rng.random() < 0.5 else [],
        "first_published": str(rng.randint(1850, 2020)),
        "evidence": [{"url": f"https://data.example.org/{entry_id}/license", "checked": "2026-01-15"}],
        "verification": rng.choice(["high", "medium", "low"]),
        "rights_notes": f"Some items may carry third-party rights: {words(15)}.",
        "signals": [{"vocabulary": "ietf-aipref", "value": rng.choice(["train-ai=y", "train-ai=n", "search=y"]), "source": f"https://data.example.org/{entry_id}/robots.txt", "observed": "2026-08-01"}],
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
