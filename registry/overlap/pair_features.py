"""Per-entry text features for catalog pairs, cached by the content they come from.

An entry's features are the sorted set of 64-bit hashes of its terms (words,
word pairs and concept tokens, see text.terms) and a MinHash signature of
that set (NUM_PERM fixed hash functions (a·h + b) mod 2^61−1, the family
datasketch.MinHash uses),
from which the Jaccard similarity of two entries is estimated without
comparing their sets. They depend on that entry's text only, never on the rest of the catalog, so it can be kept across builds
keyed by the sha256 of the text: a rebuild after one entry changed recomputes
one feature and reads the others back. The pairs computed from the features
are then the same whether they were cached or not.

The cache is one pickle file per code version (the sources that make the
terms are part of its name), in the build's cache folder. It holds the
features of the last build's entries only; delete it at any time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

import numpy as np

from registry.overlap import concepts, text

FEATURE_VERSION = 3
NUM_PERM = 128
_PRIME = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_rng = np.random.RandomState(1)  # fixed: the signatures must be the same in every build
_A = _rng.randint(1, int(_PRIME), size=NUM_PERM, dtype=np.uint64)
_B = _rng.randint(0, int(_PRIME), size=NUM_PERM, dtype=np.uint64)
_SOURCES = (Path(text.__file__), Path(concepts.__file__), Path(__file__))


def text_digest(document: str) -> bytes:
    return hashlib.sha256(document.encode("utf-8", "surrogatepass")).digest()


def term_hashes(document: str) -> np.ndarray:
    """Sorted unique uint64 hashes of the document's terms."""
    hashes = {int.from_bytes(hashlib.blake2b(term.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little") for term in text.terms(document)}
    return np.array(sorted(hashes), dtype=np.uint64)


def signature(hashes: np.ndarray) -> np.ndarray:
    """MinHash signature (uint16 × NUM_PERM) of a term-hash set; all ones for an empty set."""
    if not len(hashes):
        return np.full(NUM_PERM, 0xFFFF, dtype=np.uint16)
    values = hashes & _MAX_HASH
    permuted = ((values[:, None] * _A[None, :] + _B[None, :]) % _PRIME) & _MAX_HASH
    # The low 16 bits of each minimum (b-bit MinHash): two different minima agree
    # by chance once in 65,536, and comparing half the bytes is twice as fast.
    return (permuted.min(axis=0) & np.uint64(0xFFFF)).astype(np.uint16)


def _version() -> str:
    digest = hashlib.sha256(str(FEATURE_VERSION).encode())
    for path in _SOURCES:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


class FeatureCache:
    """text digest → term hashes, read from and written to `folder` (None: no cache)."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.changed = False
        self.keys: dict[bytes, int] = {}
        self.offsets = np.zeros(1, dtype=np.int64)
        self.hashes = np.zeros(0, dtype=np.uint64)
        self.signatures = np.zeros((0, NUM_PERM), dtype=np.uint16)
        if folder is None:
            return
        self.path = folder / f"overlap-features-{_version()}.pickle"
        if self.path.is_file():
            try:
                with self.path.open("rb") as handle:
                    keys, offsets, hashes, signatures = pickle.load(handle)
                if len(offsets) == len(keys) + 1 and offsets[-1] == len(hashes) and signatures.shape == (len(keys), NUM_PERM):
                    self.keys = {key: i for i, key in enumerate(keys)}
                    self.offsets, self.hashes, self.signatures = offsets, hashes, signatures
            except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
                pass  # a damaged cache is recomputed, never trusted

    def features(self, sources: list[tuple], make_document) -> tuple[list[np.ndarray], np.ndarray]:
        """The term hashes and signatures (one row each) of `make_document(parts)` for every parts in `sources`.

        Parts are the strings (or None) a document is made from; only parts not
        seen before are made into documents and hashed.
        """
        digests = [text_digest("".join("-" if part is None else f"{len(part)}:{part}" for part in parts)) for parts in sources]
        found = []
        signatures = np.empty((len(sources), NUM_PERM), dtype=np.uint16)
        for row, (parts, digest) in enumerate(zip(sources, digests)):
            i = self.keys.get(digest)
            if i is None:
                found.append(term_hashes(make_document(parts)))
                signatures[row] = signature(found[-1])
                self.changed = True
            else:
                found.append(self.hashes[self.offsets[i] : self.offsets[i + 1]])
                signatures[row] = self.signatures[i]
        if self.folder is not None and (self.changed or len(set(digests)) != len(self.keys)):
            self._save(digests, found, signatures)
        return found, signatures

    def _save(self, digests: list[bytes], found: list[np.ndarray], signatures: np.ndarray) -> None:
        unique = {digest: row for row, digest in enumerate(digests)}
        keys = list(unique)
        rows = list(unique.values())
        offsets = np.zeros(len(keys) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(found[r]) for r in rows])
        hashes = np.concatenate([found[r] for r in rows]) if keys else np.zeros(0, dtype=np.uint64)
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((keys, offsets, hashes, signatures[rows]), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in self.folder.glob("overlap-features-*.pickle"):
            if old != self.path:
                old.unlink(missing_ok=True)
