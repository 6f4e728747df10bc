"""Seller samples that mix indexed public-domain passages with real text that is not indexed.

Public-domain documents are taken the way a seller's copy would differ from the commons copy:
re-wrapped at another width with the verse numbers dropped, or a window of 50-90% of a
chapter. Other documents are real text not in the index: Python's own documentation topics
(`pydoc_data`, PSF licence), the licence texts Debian ships in /usr/share/common-licenses, and
the dataset-card excerpts of the overlap evaluation's tuning and watched files
(tests/eval/overlap/README.md says where they come from).
"""

from __future__ import annotations

import random
import re
import textwrap
from pathlib import Path

import yaml

EVAL = Path(__file__).resolve().parent.parent / "eval" / "overlap"
LICENSES = Path("/usr/share/common-licenses")
CHUNK_WORDS = 180


def other_texts() -> list[str]:
    """Real documents of 30 to CHUNK_WORDS words that are not in the public-domain index."""
    import pydoc_data.topics

    sources = list(pydoc_data.topics.topics.values())
    sources += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(LICENSES.iterdir())]
    found = []
    for source in sources:
        words = source.split()
        found += [" ".join(words[i : i + CHUNK_WORDS]) for i in range(0, len(words), CHUNK_WORDS)]
    for name in ("tuning.yaml", "watched.yaml"):
        cases = yaml.safe_load((EVAL / name).read_text(encoding="utf-8"))["cases"]
        found += [c["text"] for c in cases if "text" in c]
    return [t for t in dict.fromkeys(found) if len(t.split()) >= 30]


def _reworded(text: str, rng: random.Random) -> str:
    """The seller's copy: numbers dropped, re-wrapped, and half the time only a window of it."""
    words = [w for w in text.split() if not re.fullmatch(r"\d+", w)]
    if rng.random() < 0.5 and len(words) > 40:
        size = int(len(words) * rng.uniform(0.5, 0.9))
        start = rng.randrange(0, len(words) - size + 1)
        words = words[start : start + size]
    return textwrap.fill(" ".join(words), width=rng.choice((60, 72, 100)))


def mixed_sample(
    commons: list[str], others: list[str], total: int, share: float, seed: int
) -> list[tuple[bool, str]]:
    """`total` documents, round(share × total) of them from `commons`: (from commons?, text)."""
    rng = random.Random(seed)
    taken = round(total * share)
    mixed = [(True, _reworded(t, rng)) for t in rng.sample(commons, taken)]
    mixed += [(False, t) for t in rng.sample(others, total - taken)]
    rng.shuffle(mixed)
    return mixed
