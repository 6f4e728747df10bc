"""Per-entry text features for catalog pairs, cached by the content they come from.

An entry's features (`entry_features`) are the sorted set of 64-bit hashes of
its terms (words, word pairs and concept tokens, exactly the terms of
text.terms) and a MinHash signature of that set, from which the Jaccard
similarity of two entries is estimated without comparing their sets. They
depend on that entry's text only, never on the rest of the catalog, so the
build can compute them in its worker processes and keep them per entry file,
and a rebuild after one entry changed recomputes one feature.

Hashes are stable across processes and runs (no PYTHONHASHSEED): a word's hash
is the first 8 bytes of its blake2b digest, remembered per process because
words repeat; a word pair's hash mixes its two word hashes (splitmix64), so a
pair costs a few integer operations instead of a digest; a concept token's hash
is the blake2b of "§concept", as a word's.

MinHash is datasketch's (scheme affine32, seed 1, NUM_PERM permutations): each
term hash's low 32 bits go through the MurmurHash3 finaliser, then x → a·x + b
mod 2^32 with datasketch's own a and b; here it runs over a whole batch of
entries at once, and the tests hold it to datasketch's MinHash value for value.
A signature keeps the high 16 bits of each minimum (b-bit MinHash: two
different minima agree by chance once in 65,536).

`FeatureCache` keeps the features of the last build in one pickle per code
version in the build's cache folder, for callers that do not pass features.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import pickle
import tempfile
from pathlib import Path
from typing import NamedTuple

import numpy as np

from registry.overlap import concepts, text
from registry.overlap.index import document, json_list

FEATURE_VERSION = 5
NUM_PERM = 128
SEED = 1
# datasketch's affine32 permutations (MinHash._init_permutations), drawn here as it draws them, so
# a build does not import datasketch (and through it SciPy): 0.7 s of a warm build's start.
_DRAW = np.random.RandomState(SEED)
_A = _DRAW.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
_B = _DRAW.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
_SHIFT16 = np.uint32(16)
# MurmurHash3's 32-bit finaliser, as datasketch applies it before its permutations.
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))
CHUNK_TERMS = 2048  # batch_signatures: 2048 terms × NUM_PERM × 4 bytes, 1 MiB, fits a core's cache
# Word-pair mixing constants (splitmix64's multipliers).
_K1, _K2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9)
_SHIFT32 = np.uint64(32)
_SOURCES = (Path(text.__file__), Path(concepts.__file__), Path(__file__))
# ASCII bytes that are not letters or digits become spaces: for ASCII text,
# splitting on spaces then gives exactly text.WORD's matches ([^\W_]+).
_SPLIT = bytes(c if chr(c).isalnum() else 0x20 for c in range(128)) + bytes(range(128, 256))
_MEMO_LIMIT = 1_000_000


class PairFeatures(NamedTuple):
    """One entry's term hashes (sorted, unique uint64) and MinHash signature (uint16 × NUM_PERM)."""

    hashes: np.ndarray
    signature: np.ndarray


def _digest64(term: str) -> int:
    return int.from_bytes(
        hashlib.blake2b(term.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little"
    )


def mix_pairs(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The hash of each word pair (first[i], second[i]) from its word hashes (uint64 arrays).

    (first·K1 xor second)·K2, then its high half folded into the low half, so
    that the low bits (used for buckets and MinHash) depend on every input bit.
    """
    x = first * _K1
    x ^= second
    x *= _K2
    x ^= x >> _SHIFT32
    return x


def _concept_table() -> tuple[np.ndarray, np.ndarray]:
    """Sorted hashes of the words and word pairs that name a concept → the hash of its concept
    token."""
    table: dict[int, int] = {}
    for phrase, concept in concepts.CONCEPT_OF.items():
        parts = phrase.split(" ")
        if len(parts) == 1:
            key = _digest64(phrase)
        elif len(parts) == 2:  # concepts() looks up adjacent word pairs only
            key = int(
                mix_pairs(
                    np.array([_digest64(parts[0])], dtype=np.uint64),
                    np.array([_digest64(parts[1])], dtype=np.uint64),
                )[0]
            )
        else:
            continue
        table[key] = _digest64("§" + concept)
    keys = np.array(sorted(table), dtype=np.uint64)
    return keys, np.array([table[k] for k in keys.tolist()], dtype=np.uint64)


_CONCEPT_KEYS, _CONCEPT_VALUES = _concept_table()
_token_hashes: dict[bytes, int] = {}  # raw ASCII token → hash of its stemmed word, 0 when dropped
_word_hashes: dict[str, int] = {}  # stemmed word → hash


def forget_words() -> None:
    """Empty the per-process word-hash memory (for benchmarks that must start cold)."""
    _token_hashes.clear()
    _word_hashes.clear()


def _token_hash(token: bytes) -> int:
    word = token.decode("ascii")
    if word in text.STOP_WORDS or len(word) <= 1 or word.isdigit():
        return 0
    return _word_hash(text.stem(word))


def _word_hash(word: str) -> int:
    found = _word_hashes.get(word)
    if found is None:
        if len(_word_hashes) > _MEMO_LIMIT:
            _word_hashes.clear()
        found = _word_hashes[word] = _digest64(word)
    return found


def _word_hash_list(document_text: str) -> list[int]:
    """The hashes of text.words(document_text), in order.

    Plain ASCII text without hyphens (the common case) is split with a byte
    table and each raw token's hash is remembered; anything else goes through
    text.words itself.
    """
    if document_text.isascii():
        lowered = document_text.lower()  # NFKC and casefold change nothing else in ASCII
        lowered = concepts.rewrite(lowered)
        if "-" not in lowered:
            tokens = lowered.encode("ascii").translate(_SPLIT).split()
            found = text.memoised(tokens, _token_hashes, _token_hash, _MEMO_LIMIT)
            return [h for h in found if h]
    return [_word_hash(word) for word in text.words(document_text)]


def term_hashes(document_text: str) -> np.ndarray:
    """Sorted unique uint64 hashes of text.terms(document_text): words, adjacent word pairs, concept
    tokens."""
    return batch_term_hashes([document_text])[0]


def batch_term_hashes(document_texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """term_hashes of many documents in one pass: (hashes, offsets), document i's being
    hashes[offsets[i]:offsets[i + 1]].

    Each NumPy step runs once over every document (word pairs never span two
    of them), so its fixed cost per call is paid once per batch, not per entry.
    """
    return _term_hashes_of([_word_hash_list(text) for text in document_texts])


def _term_hashes_of(word_lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """batch_term_hashes of documents given as the hashes of their words, in order."""
    n = len(word_lists)
    counts = np.fromiter(map(len, word_lists), dtype=np.int64, count=n)
    words = np.fromiter(
        itertools.chain.from_iterable(word_lists), dtype=np.uint64, count=int(counts.sum())
    )
    owner = np.repeat(np.arange(n, dtype=np.int64), counts)
    adjacent = owner[1:] == owner[:-1]
    terms = np.concatenate([words, mix_pairs(words[:-1][adjacent], words[1:][adjacent])])
    owners = np.concatenate([owner, owner[1:][adjacent]])
    at = np.searchsorted(_CONCEPT_KEYS, terms)
    at[at == len(_CONCEPT_KEYS)] = 0
    is_concept = _CONCEPT_KEYS[at] == terms
    terms = np.concatenate([terms, _CONCEPT_VALUES[at[is_concept]]])
    owners = np.concatenate([owners, owners[is_concept]])
    order = np.lexsort((terms, owners))
    terms, owners = terms[order], owners[order]
    distinct = np.empty(len(terms), dtype=bool)
    distinct[:1] = True
    distinct[1:] = (terms[1:] != terms[:-1]) | (owners[1:] != owners[:-1])
    terms, owners = terms[distinct], owners[distinct]
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(owners, minlength=n), out=offsets[1:])
    return terms, offsets


def signature(hashes: np.ndarray) -> np.ndarray:
    """MinHash signature (uint16 × NUM_PERM) of a term-hash set; all ones for an empty set."""
    return batch_signatures(hashes, np.array([0, len(hashes)], dtype=np.int64))[0]


def batch_signatures(hashes: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """The signature of each set hashes[offsets[i]:offsets[i + 1]], one row each (see
    batch_term_hashes).

    Sets are taken a few at a time, about CHUNK_TERMS terms together: the
    permuted hashes (NUM_PERM per term) then stay in the processor's cache,
    which halves the time of a 64-entry batch against one pass over it all.
    """
    result = np.full((len(offsets) - 1, NUM_PERM), 0xFFFF, dtype=np.uint16)
    first = 0
    while first < len(result):
        # The sets that start within CHUNK_TERMS terms of this one (at least this one).
        last = max(
            first + 1,
            min(
                len(result),
                int(np.searchsorted(offsets, offsets[first] + CHUNK_TERMS, side="right")) - 1,
            ),
        )
        bounds = offsets[first : last + 1]
        _signatures_into(
            result[first:last],
            hashes[bounds[0] : bounds[-1]],
            bounds[:-1] - bounds[0],
            bounds[1:] > bounds[:-1],
        )
        first = last
    return result


def fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser on uint32 values (a bijection; multiplication wraps mod 2^32)."""
    shift1, multiply1, shift2, multiply2 = _FMIX
    values = values ^ (values >> shift1)
    values = values * multiply1
    values = values ^ (values >> shift2)
    values = values * multiply2
    return values ^ (values >> shift1)


def _signatures_into(
    result: np.ndarray, hashes: np.ndarray, starts: np.ndarray, filled: np.ndarray
) -> None:
    if filled.any():
        # The low 32 bits of each hash, finalised, times a, mod 2^32.
        permuted = np.multiply.outer(fmix32(hashes.astype(np.uint32)), _A)
        permuted += _B
        # Empty sets have no rows, so each filled set's minimum runs to the next filled set's start.
        result[filled] = (np.minimum.reduceat(permuted, starts[filled], axis=0) >> _SHIFT16).astype(
            np.uint16
        )


def entry_features(
    name: str, summary: str | None, description: str | None, domains
) -> PairFeatures:
    """The pair features of one catalog entry, from its `catalog` columns.

    `name` is the entry's name (the catalog falls back to its id when it has
    none); `domains` is the JSON list text stored in `catalog.domains`, or the
    list itself.
    """
    return batch_features([(name, summary, description, domains)])[0]


def batch_features(sources: list[tuple]) -> list[PairFeatures]:
    """entry_features(*parts) for every parts in `sources`, computed together
    (batch_term_hashes)."""
    texts = [
        document(
            name,
            summary or "",
            description,
            [str(d) for d in domains] if isinstance(domains, (list, tuple)) else json_list(domains),
        )
        for name, summary, description, domains in sources
    ]
    return _features(batch_term_hashes(texts))


def batch_features_of_words(word_lists: list[list[str]]) -> list[PairFeatures]:
    """batch_features of documents given as their text.words, for a caller that needs the words
    too (the build's text index): the words are then found once."""
    return _features(
        _term_hashes_of(
            [text.memoised(words, _word_hashes, _digest64, _MEMO_LIMIT) for words in word_lists]
        )
    )


def _features(term_hashes: tuple[np.ndarray, np.ndarray]) -> list[PairFeatures]:
    hashes, offsets = term_hashes
    signatures = batch_signatures(hashes, offsets)
    return [
        PairFeatures(hashes[offsets[i] : offsets[i + 1]], sig) for i, sig in enumerate(signatures)
    ]


def text_digest(document_text: str) -> bytes:
    return hashlib.sha256(document_text.encode("utf-8", "surrogatepass")).digest()


def _version() -> str:
    digest = hashlib.sha256(str(FEATURE_VERSION).encode())
    for path in _SOURCES:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


class FeatureCache:
    """Catalog columns → pair features, read from and written to `folder` (None: no cache)."""

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
                if (
                    len(offsets) == len(keys) + 1
                    and offsets[-1] == len(hashes)
                    and signatures.shape == (len(keys), NUM_PERM)
                ):
                    self.keys = {key: i for i, key in enumerate(keys)}
                    self.offsets, self.hashes, self.signatures = offsets, hashes, signatures
            except (
                OSError,
                EOFError,
                pickle.UnpicklingError,
                AttributeError,
                ImportError,
                TypeError,
                ValueError,
            ):
                pass  # a damaged cache is recomputed, never trusted

    def features(
        self, sources: list[tuple], make_features=entry_features
    ) -> tuple[list[np.ndarray], np.ndarray]:
        """The term hashes and signatures (one row each) of `make_features(*parts)` for every parts
        in `sources`.

        Parts are the strings (or None) the features are made from; only parts
        not seen before are computed.
        """
        digests = [
            text_digest("".join("-" if part is None else f"{len(part)}:{part}" for part in parts))
            for parts in sources
        ]
        found = []
        signatures = np.empty((len(sources), NUM_PERM), dtype=np.uint16)
        for row, (parts, digest) in enumerate(zip(sources, digests, strict=True)):
            i = self.keys.get(digest)
            if i is None:
                made = make_features(*parts)
                found.append(made.hashes)
                signatures[row] = made.signature
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
                pickle.dump(
                    (keys, offsets, hashes, signatures[rows]),
                    handle,
                    protocol=pickle.HIGHEST_PROTOCOL,
                )
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in self.folder.glob("overlap-features-*.pickle"):
            if old != self.path:
                old.unlink(missing_ok=True)
