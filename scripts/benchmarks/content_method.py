"""MinHash (datasketch) or ISCC Text-Code (iscc-core) for content containment: measured.

Index: the King James Bible chapters and The Devil's Dictionary definitions (Debian packages,
registry/overlap/content/debian_texts.py). Samples: 1,000 documents, 30% of them the seller's
copies of indexed documents (re-wrapped, verse numbers dropped, half of them a 50-90% window),
70% real text not in the index (tests/overlap/content_samples.py). For each method: the share
of sample documents reported contained (truth 0.30), true and false positives, and the
sketching time per document. ISCC: a sample document is contained when an index code is within
`threshold` bits (Hamming distance of the 64-bit Text-Code). MinHash: the project's method
(registry/overlap/content/containment.py).

Usage: python scripts/benchmarks/content_method.py [--seeds 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "overlap"))

from content_samples import mixed_sample, other_texts  # noqa: E402

from registry.overlap.content.containment import CONTAINED, Lookup  # noqa: E402
from registry.overlap.content.debian_texts import devil_definitions, kjv_chapters  # noqa: E402
from registry.overlap.content.documents import Document  # noqa: E402
from registry.overlap.content.fingerprint import fingerprint  # noqa: E402
from registry.overlap.content.shards import ContentIndex  # noqa: E402


def iscc_code(text: str) -> int:
    import iscc_core

    code = iscc_core.gen_text_code_v0(text)["iscc"]
    return int.from_bytes(iscc_core.decode_base32(code.split(":")[1])[2:], "big")


def minhash_index(commons: list[str]) -> Lookup:
    prints = [fingerprint(t) for t in commons]
    hashes = [(h, n) for n, p in enumerate(prints) for h in p.paragraphs]
    order = sorted(range(len(hashes)), key=lambda i: hashes[i][0])
    return Lookup(
        ContentIndex(
            np.array(["project-gutenberg"] * len(prints), dtype=object),
            np.array([str(n) for n in range(len(prints))], dtype=object),
            np.array([p.shingles for p in prints], dtype=np.int64),
            np.stack([p.signature for p in prints]),
            np.array([hashes[i][0] for i in order], dtype=np.int64),
            np.array([hashes[i][1] for i in order], dtype=np.int64),
        )
    )


def score(truth: list[bool], found: list[bool]) -> dict:
    tp = sum(t and f for t, f in zip(truth, found, strict=True))
    fp = sum(f and not t for t, f in zip(truth, found, strict=True))
    return {
        "reported": round(sum(found) / len(found), 3),
        "recall": round(tp / sum(truth), 3),
        "false_positives": fp,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args(argv)
    commons = [t for _, t in kjv_chapters() + devil_definitions()]
    others = other_texts()
    t = time.perf_counter()
    lookup = minhash_index(commons)
    minhash_seconds = (time.perf_counter() - t) / len(commons)
    t = time.perf_counter()
    codes = np.array([iscc_code(c) for c in commons], dtype=np.uint64)
    iscc_seconds = (time.perf_counter() - t) / len(commons)
    print(
        f"sketch per index document: minhash {minhash_seconds * 1e3:.2f} ms, "
        f"iscc {iscc_seconds * 1e3:.2f} ms (1 process, {len(commons)} documents)"
    )
    print(f"minhash containment threshold {CONTAINED}")
    for seed in range(args.seeds):
        sample = mixed_sample(commons, others, 1000, 0.3, seed)
        truth = [p for p, _ in sample]
        found = [lookup.best_match(Document("s", text)) is not None for _, text in sample]
        print(f"seed {seed} minhash: {score(truth, found)}")
        mine = np.array([iscc_code(text) for _, text in sample], dtype=np.uint64)
        distance = np.bitwise_count(mine[:, None] ^ codes[None, :]).min(axis=1)
        for threshold in (4, 8, 12, 16):
            found = [bool(d <= threshold) for d in distance]
            print(f"seed {seed} iscc <= {threshold} bits: {score(truth, found)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
