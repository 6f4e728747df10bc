"""Per-document fingerprints: a MinHash of 5-word shingles and hashes of the paragraphs.

The MinHash (`datasketch`, NUM_PERM permutations) finds near-duplicates: a document reformatted,
re-wrapped or trimmed still shares most of its shingles. Its LSH band keys (BANDS bands of
ROWS values) make lookup a sorted-array search, so a query does not touch every document.
Paragraph hashes (8 bytes of BLAKE2b over a paragraph's normalised words) find a passage copied
exactly into a longer document, which a whole-document sketch can miss.

Words are casefolded NFKC word characters; bare numbers (verse and line numbers, page numbers)
are dropped, so numbering and layout do not change a fingerprint.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

METHOD = "minhash-5-word-shingles+paragraph-blake2b-64"
VERSION = 1
NUM_PERM = 128
SEED = 1
SHINGLE_WORDS = 5
BANDS, ROWS = 32, 4
PARAGRAPH_MIN_WORDS = 8
PARAMETERS = {
    "num_perm": NUM_PERM,
    "seed": SEED,
    "shingle_words": SHINGLE_WORDS,
    "bands": BANDS,
    "rows": ROWS,
    "paragraph_min_words": PARAGRAPH_MIN_WORDS,
    "scheme": "datasketch affine32 over zlib.crc32 of the UTF-8 shingle",
}

WORD = re.compile(r"[^\W_]+", re.UNICODE)
PARAGRAPH = re.compile(r"\n\s*\n")
SCHEME = "affine32"
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)


@dataclass(frozen=True)
class Fingerprint:
    """One document's sketch: signature (uint32 × NUM_PERM), distinct shingles, paragraphs."""

    signature: np.ndarray
    shingles: int
    words: int
    paragraphs: tuple[int, ...]


def words_of(text: str) -> list[str]:
    return [
        w for w in WORD.findall(unicodedata.normalize("NFKC", text).casefold()) if not w.isdigit()
    ]


def _paragraph_hash(words: list[str]) -> int:
    digest = hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def paragraph_hashes(text: str) -> tuple[int, ...]:
    """Signed 64-bit hashes of the paragraphs with at least PARAGRAPH_MIN_WORDS words."""
    return _paragraphs([words_of(p) for p in PARAGRAPH.split(text)])


def _paragraphs(paragraphs: list[list[str]]) -> tuple[int, ...]:
    found = [_paragraph_hash(w) for w in paragraphs if len(w) >= PARAGRAPH_MIN_WORDS]
    return tuple(dict.fromkeys(found))


def fingerprint(text: str) -> Fingerprint | None:
    """The fingerprint of one document, or None when it has no words."""
    paragraphs = [words_of(p) for p in PARAGRAPH.split(text)]
    words = [w for paragraph in paragraphs for w in paragraph]
    if not words:
        return None
    size = min(SHINGLE_WORDS, len(words))
    shingles = {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}
    minhash = MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        hashfunc=zlib.crc32,
        permutations=_TEMPLATE.permutations,
        scheme=SCHEME,
    )
    minhash.update_batch([s.encode() for s in shingles])
    return Fingerprint(
        minhash.hashvalues.astype(np.uint32), len(shingles), len(words), _paragraphs(paragraphs)
    )


_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F], dtype=np.uint64)


def band_keys(signatures: np.ndarray) -> np.ndarray:
    """(n, BANDS) uint64 keys: each band's ROWS values and the band's number, mixed."""
    n = signatures.shape[0]
    rows = signatures.reshape(n, BANDS, ROWS).astype(np.uint64)
    with np.errstate(over="ignore"):
        keys = np.arange(BANDS, dtype=np.uint64)[None, :] * _MIX[1]
        for r in range(ROWS):
            keys = (keys ^ rows[:, :, r]) * _MIX[r % 2]
            keys ^= keys >> np.uint64(29)
    return keys


def containment(
    mine: np.ndarray, my_shingles: int, theirs: np.ndarray, their_shingles: np.ndarray
) -> np.ndarray:
    """Estimated share of my shingles inside each of theirs, from Jaccard and the set sizes."""
    jaccard = (theirs == mine[None, :]).mean(axis=1)
    shared = jaccard * (my_shingles + their_shingles) / (1.0 + jaccard)
    return np.minimum(1.0, shared / max(1, my_shingles))
