"""Content fingerprints: a MinHash signature of a dataset's word shingles.

A sketch is a few hundred integers: the minimum, under each of `num_perm`
hash permutations, of the hashes of every run of SHINGLE_WORDS consecutive
words. It keeps no text, no file names and no order, so it can be published
or compared without revealing the content; nothing leaves the machine while
it is made. (A sketch is not encryption: someone holding a guessed passage
can test whether it is likely in the set, so do not publish sketches of
secrets.)

Two sketches estimate the Jaccard similarity of their shingle sets, and with
the estimated set sizes, how much of one set lies inside the other.

Scale path. The signature of a union is the elementwise minimum of the
signatures of its parts, so sketching is map (files → signature) then
reduce (np.minimum). Locally, `sketch_paths(..., jobs=N)` maps files over a
ProcessPoolExecutor. For a multi-terabyte dataset the same two functions run
on an existing distributed engine instead of hand-rolled parallelism, e.g.
with Dask:

    bag = dask.bag.read_text("s3://bucket/corpus/*.jsonl.gz", blocksize="256MiB")
    signatures = bag.map_partitions(lambda lines: [signature_of_lines(lines)])
    final = signatures.fold(np.minimum).compute()     # elementwise min
    write_sketch(Sketch.from_signature(final, shingles=estimate))

(or Spark: `rdd.mapPartitions(...).treeReduce(np.minimum)`). Shingles that
straddle a partition boundary are lost, one per boundary: negligible at
256 MiB partitions.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from registry.overlap.text import WORD

if TYPE_CHECKING:  # imported where a MinHash is made: a build that makes none skips SciPy
    from datasketch import MinHash

FORMAT = "commons-registry-fingerprint"
ALGORITHM = "minhash-word-shingles"
SCHEME = "affine32"
NUM_PERM = 256
SEED = 1
SHINGLE_WORDS = 5
BATCH = 20000
MAX_SKETCH_BYTES = 64 * 1024


class SketchError(ValueError):
    """A sketch file that cannot be read or compared; the message says why."""


@dataclass(frozen=True)
class Sketch:
    """A MinHash signature plus what is needed to compare it honestly."""

    hashvalues: np.ndarray
    shingles: int
    num_perm: int = NUM_PERM
    seed: int = SEED
    shingle_words: int = SHINGLE_WORDS
    scheme: str = SCHEME

    @property
    def empty(self) -> bool:
        return self.shingles == 0

    def minhash(self) -> MinHash:
        from datasketch import MinHash

        return MinHash(
            num_perm=self.num_perm, seed=self.seed, hashvalues=self.hashvalues, scheme=self.scheme
        )

    def compatible(self, other: Sketch) -> bool:
        return (self.num_perm, self.seed, self.shingle_words, self.scheme) == (
            other.num_perm,
            other.seed,
            other.shingle_words,
            other.scheme,
        )

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "version": 1,
            "algorithm": ALGORITHM,
            "scheme": self.scheme,
            "num_perm": self.num_perm,
            "seed": self.seed,
            "shingle_words": self.shingle_words,
            "shingles": self.shingles,
            "hashvalues": [int(v) for v in self.hashvalues],
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), separators=(",", ":")) + "\n"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.dumps().encode()).hexdigest()


def normalised_words(lines: Iterable[str]) -> Iterator[str]:
    """Words as the text index sees them, but with nothing dropped: shingles need every word."""
    for line in lines:
        yield from WORD.findall(unicodedata.normalize("NFKC", line).casefold())


def shingles(lines: Iterable[str], size: int = SHINGLE_WORDS) -> Iterator[bytes]:
    """Every run of `size` consecutive words, across line breaks; a shorter text is one shingle."""
    window: list[str] = []
    emitted = False
    for word in normalised_words(lines):
        window.append(word)
        if len(window) > size:
            window.pop(0)
        if len(window) == size:
            emitted = True
            yield " ".join(window).encode("utf-8")
    if not emitted and window:
        yield " ".join(window).encode("utf-8")


def _new_minhash() -> MinHash:
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)


def signature_of_lines(lines: Iterable[str]) -> tuple[np.ndarray, int]:
    """(hashvalues, number of shingles read) for one stream of text lines."""
    minhash = _new_minhash()
    batch: list[bytes] = []
    count = 0
    for shingle in shingles(lines):
        batch.append(shingle)
        if len(batch) >= BATCH:
            minhash.update_batch(batch)
            count += len(batch)
            batch.clear()
    if batch:
        minhash.update_batch(batch)
        count += len(batch)
    return minhash.hashvalues.copy(), count


def signature_of_file(path: str) -> tuple[np.ndarray, int]:
    """Sketch one local file, read as UTF-8 text (undecodable bytes replaced), streamed."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        return signature_of_lines(handle)


def merge(parts: Iterable[tuple[np.ndarray, int]]) -> tuple[np.ndarray, int]:
    """The signature of a union is the elementwise minimum of its parts' signatures."""
    merged = _new_minhash().hashvalues.copy()
    read = 0
    for hashvalues, count in parts:
        merged = np.minimum(merged, hashvalues)
        read += count
    return merged, read


def sketch_paths(paths: list[Path], jobs: int = 1) -> Sketch:
    """Sketch files (folders are walked), over `jobs` processes when jobs > 1."""
    files = sorted(str(p) for p in _expand(paths))
    if jobs > 1 and len(files) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            hashvalues, read = merge(
                pool.map(signature_of_file, files, chunksize=max(1, len(files) // (jobs * 8)))
            )
    else:
        hashvalues, read = merge(signature_of_file(f) for f in files)
    return from_signature(hashvalues, read)


def _signature_of_text(text: str) -> tuple[np.ndarray, int]:
    return signature_of_lines([text])


def sketch_documents(texts: list[str], jobs: int = 1) -> Sketch:
    """Sketch documents already read (the union of their shingles), over `jobs` processes."""
    if jobs > 1 and len(texts) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            chunks = max(1, len(texts) // (jobs * 8))
            hashvalues, read = merge(pool.map(_signature_of_text, texts, chunksize=chunks))
    else:
        hashvalues, read = merge(_signature_of_text(t) for t in texts)
    return from_signature(hashvalues, read)


def sketch_text(text: str) -> Sketch:
    """Sketch a string (used for pasted samples and tests)."""
    hashvalues, read = signature_of_lines([text])
    return from_signature(hashvalues, read)


def from_signature(hashvalues: np.ndarray, read: int) -> Sketch:
    """A Sketch whose set size is MinHash's own estimate (repeated shingles are one)."""
    if read == 0:
        return Sketch(hashvalues=hashvalues, shingles=0)
    from datasketch import MinHash

    estimate = MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=hashvalues, scheme=SCHEME).count()
    return Sketch(hashvalues=hashvalues, shingles=max(1, min(read, int(round(estimate)))))


def _expand(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from (p for p in sorted(path.rglob("*")) if p.is_file())
        else:
            yield path


def loads(text: str, source: str = "sketch") -> Sketch:
    """Read a sketch written by `Sketch.dumps`; SketchError names what is wrong."""
    if len(text) > MAX_SKETCH_BYTES:
        raise SketchError(
            f"{source}: larger than {MAX_SKETCH_BYTES // 1024} KiB; a sketch is a few KiB"
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SketchError(
            f"{source}:{error.lineno}:{error.colno}: not JSON ({error.msg}); write it with "
            "`commons fingerprint`"
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or data.get("algorithm") != ALGORITHM
    ):
        raise SketchError(
            f"{source}: not a {FORMAT} file ({ALGORITHM}); write it with `commons fingerprint`"
        )
    try:
        values = np.array(data["hashvalues"], dtype=np.uint64)
        sketch = Sketch(
            hashvalues=values,
            shingles=int(data["shingles"]),
            num_perm=int(data["num_perm"]),
            seed=int(data["seed"]),
            shingle_words=int(data["shingle_words"]),
            scheme=str(data["scheme"]),
        )
    except (KeyError, TypeError, ValueError, OverflowError) as error:
        raise SketchError(
            f"{source}: malformed sketch ({error}); write it again with `commons fingerprint`"
        ) from None
    if len(values) != sketch.num_perm or sketch.shingles < 0:
        raise SketchError(f"{source}: {len(values)} hash values but num_perm is {sketch.num_perm}")
    return sketch


def compare(mine: Sketch, theirs: Sketch) -> dict | None:
    """Estimated Jaccard similarity and containment (share of `mine` inside `theirs`); None if not
    comparable."""
    if not mine.compatible(theirs) or mine.empty or theirs.empty:
        return None
    jaccard = float(mine.minhash().jaccard(theirs.minhash()))
    shared = jaccard * (mine.shingles + theirs.shingles) / (1.0 + jaccard)
    containment = min(1.0, shared / mine.shingles)
    return {
        "jaccard": round(jaccard, 4),
        "containment": round(containment, 4),
        "resolution": round(1.0 / mine.num_perm, 4),
        "your_shingles": mine.shingles,
        "their_shingles": theirs.shingles,
    }
