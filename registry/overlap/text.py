"""Text similarity: TF-IDF vectors over words and word pairs, compared by cosine.

A sparse matrix-vector product answers one query against 100,000 descriptions
in a few milliseconds (DESIGN.md budget), which FTS5 bm25 cannot. Words are
lowercased, stop words dropped and plural/verb endings trimmed, so a seller's
"court opinions" meets an entry's "court opinion".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import filterfalse, pairwise

import numpy as np

from registry.overlap.concepts import concepts, rewrite

WORD = re.compile(r"[^\W_]+", re.UNICODE)
HYPHENATED = re.compile(r"[^\W_]+(?:-[^\W_]+)+", re.UNICODE)

STOP_WORDS = frozenset(
    """a about above after again all also am an and any are as at be been before being below between
    both but by can could did do does doing down during each either etc few for from further had has
    have having he her here hers him his how i if in into is it its itself just may me might more
    most my no nor not of off on once only or other our ours out over own per same she should so
    some such than that the their theirs them then there these they this those through to too under
    until up upon us very via was we were what when where which while who whom why will with within
    without would you your yours one two many much set sets use used using including includes
    include based available data dataset datasets collection collections""".split()
) | frozenset(
    # Words about the buyer's intended use or the seller's processing, not about the content.
    """train training trained pretrain pretraining model models llm llms ai ml machine learning
    ready clean cleaned deduplicated dedup filtered quality high good large huge big million
    millions billion billions thousand thousands hundred hundreds year years""".split()
)
# Terms of use, not content: two datasets under the same licence are not the same data.
STOP_WORDS |= frozenset(
    """commercial noncommercial non license licence licensed licenses licences licensing rights
    reserved""".split()
)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light suffix trim: enough to join plural and singular, not a full stemmer."""
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix, replacement in (
        ("ies", "y"),
        ("sses", "ss"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("xes", "x"),
    ):
        if word.endswith(suffix):
            return word[: -len(suffix)] + replacement
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# A word with its hyphenated continuations ("how-to-guide"): one linear pass finds every word
# and every HYPHENATED match, which is such a run with at least one hyphen.
WORD_RUN = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
_MEMO_LIMIT = 500_000
_normalised: dict[str, str] = {}  # token → its stemmed word, "" when words() drops it


def _tokens(text: str) -> list[str]:
    """WORD's matches in order, each HYPHENATED match (hyphens removed) just before its first
    word: what merging the two scans by position gives, in one pass."""
    if "-" not in text:
        return WORD.findall(text)
    tokens = []
    for run in WORD_RUN.findall(text):
        if "-" in run:
            tokens.append(run.replace("-", ""))
            tokens.extend(run.split("-"))
        else:
            tokens.append(run)
    return tokens


def _normalise(token: str) -> str:
    if token in STOP_WORDS or len(token) <= 1 or token.isdigit():
        return ""
    return stem(token)


def words(text: str) -> list[str]:
    """Normalised content words of `text`, in order; "how-to" also gives "howto"; bare numbers say
    nothing."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = rewrite(text)
    return list(filter(None, memoised(_tokens(text), _normalised, _normalise)))


def memoised(keys: list, memo: dict, compute: Callable, limit: int = _MEMO_LIMIT) -> list:
    """compute(key) for each key, remembered in `memo` (emptied once it holds `limit`): words
    repeat across a catalog, so most keys are found there."""
    get = memo.get
    found = [get(key) for key in keys]
    if None in found:
        if len(memo) > limit:
            memo.clear()
        found = [
            memo.setdefault(key, compute(key)) if value is None else value
            for key, value in zip(keys, found, strict=True)
        ]
    return found


def terms(text: str) -> Counter:
    """Words, adjacent word pairs and concept tokens (registry/overlap/concepts.py), counted."""
    return terms_of(words(text))


def terms_of(found: list[str]) -> Counter:
    """terms() of a text whose words(text) are `found`."""
    return terms_and_pairs(found)[0]


def terms_and_pairs(found: list[str]) -> tuple[Counter, list[str]]:
    """terms_of(found), and the word pairs it counted, in order: a caller that weighs the terms
    reads the pairs from here instead of joining them again. The counted terms are the distinct
    words, then the distinct pairs, then the concept tokens, each in order of first appearance."""
    pairs = list(map(" ".join, pairwise(found)))
    counts = Counter(found)
    counts.update(pairs)
    counts.update(concepts(found, pairs))
    return counts, pairs


class Columns:
    """A column-major (CSC) matrix in three arrays, read one column at a time (numpy arrays, or a
    saved index's BlobArray, which reads only the slices asked for).

    A query touches only the columns of its own terms; answering it with numpy alone keeps
    scipy (a fifth of a second to import) out of `commons overlap`'s start-up."""

    def __init__(self, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, shape):
        self.data, self.indices, self.indptr = data, indices, indptr
        self.shape = (int(shape[0]), int(shape[1]))

    def dot(self, cols: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Σ weight × column, over the given columns, as a dense vector of the rows."""
        out = np.zeros(self.shape[0], dtype=np.float32)
        for col, weight in zip(cols.tolist(), weights.tolist(), strict=True):
            start, end = self._span(col)
            out[self.indices[start:end]] += np.float32(weight) * self.data[start:end]
        return out

    def _span(self, col: int) -> tuple[int, int]:
        start, end = self.indptr[col : col + 2].tolist()
        return start, end

    def row_values(self, row: int, cols: np.ndarray) -> list[float]:
        """The value of `row` in each of the given columns (0.0 where it has none)."""
        values = []
        for col in cols.tolist():
            start, end = self._span(col)
            found = np.flatnonzero(self.indices[start:end] == row)
            values.append(float(self.data[start + found[0]]) if len(found) else 0.0)
        return values


@dataclass
class CountedTerms:
    """Documents' counted terms, as TfidfIndex is assembled from them: each distinct term's column
    and every occurrence's (number_terms), every occurrence's count, each document's bounds in
    them (indptr), and every occurrence's term_weight when computed earlier. The assembly lets
    go of the counts and weights once used: at 100,000 entries each is 27 MB."""

    vocabulary: dict[str, int] | None  # None: the caller keeps the terms (the build saves them)
    columns: np.ndarray
    counts: np.ndarray | None
    indptr: list[int]
    weights: np.ndarray | None = None


def number_terms(chunks: Iterable[list[str]]) -> tuple[dict[str, int], np.ndarray]:
    """Each distinct term's column (terms numbered in order of first appearance) and the column of
    every occurrence (int32), from the occurrences a chunk at a time: the build's caller never
    holds every occurrence's string at once (12 million of them at 100,000 entries)."""
    vocabulary: dict[str, int] = {}
    parts = [np.zeros(0, dtype=np.int32)]
    for chunk in chunks:
        new = list(filterfalse(vocabulary.__contains__, dict.fromkeys(chunk)))
        start = len(vocabulary)
        vocabulary.update(zip(new, range(start, start + len(new)), strict=True))
        parts.append(
            np.fromiter(map(vocabulary.__getitem__, chunk), dtype=np.int32, count=len(chunk))
        )
    return vocabulary, np.concatenate(parts)


def _scale_rows(matrix, scale: np.ndarray, rows_a_block: int = 16_384) -> None:
    """Multiply each row of the CSR `matrix` by its `scale` in place, a block of rows at a time
    (the products, in the wider of the two types, are as large as the matrix's values)."""
    indptr = matrix.indptr
    for start in range(0, len(scale), rows_a_block):
        end = min(start + rows_a_block, len(scale))
        values = slice(indptr[start], indptr[end])
        matrix.data[values] = matrix.data[values] * np.repeat(
            scale[start:end], np.diff(indptr[start : end + 1])
        )


class TfidfIndex:
    """Rows are documents, L2-normalised sublinear TF-IDF; `query` gives cosine per row.

    Only the column-major matrix, the IDF and a way to find a term's column are
    kept: a query touches only the columns of its own terms. `from_parts` makes
    one from a saved index (saved_index.py), whose terms are looked up lazily.
    Computing one needs scipy and wordfreq; querying a saved one needs neither.
    """

    def __init__(self, documents: list[str]):
        all_terms: list[str] = []
        counts: list[int] = []
        indptr = [0]
        for document in documents:
            counted = terms(document)
            all_terms.extend(counted.keys())
            counts.extend(counted.values())
            indptr.append(len(all_terms))
        counted = CountedTerms(*number_terms([all_terms]), np.array(counts), indptr)
        self._assemble(counted)

    @classmethod
    def from_counts(cls, counted: CountedTerms) -> TfidfIndex:
        """The index of documents whose terms were counted earlier (the build keeps each entry's),
        with each term's `term_weight` (`counted.weights`). Equal to the index of the documents."""
        index = cls.__new__(cls)
        index._assemble(counted)
        return index

    def _assemble(self, counted: CountedTerms) -> None:
        """The matrix and IDF from the documents' counted terms (consumed: each array is let go
        of once used); the terms' general weights computed here when `counted` has none."""
        from scipy import sparse

        from registry.overlap.informative import term_weight

        vocabulary, columns, indptr = counted.vocabulary, counted.columns, counted.indptr
        # Every term occurs: numbered in order of first appearance, the columns are 0..size-1.
        size = int(columns.max()) + 1 if len(columns) else 0
        counts, counted.counts = np.asarray(counted.counts, dtype=np.float32), None
        weights, counted.weights = counted.weights, None
        n = len(indptr) - 1
        self.vocabulary: dict[str, int] | None = vocabulary  # insertion order is column order
        document_frequency = np.bincount(columns, minlength=size)
        if weights is None:
            general = np.fromiter(
                map(term_weight, vocabulary), dtype=np.float32, count=len(vocabulary)
            )
        else:  # a term's first occurrence is where the running largest column first reaches it
            reached = np.maximum.accumulate(columns)
            first = np.ones(len(columns), dtype=bool)
            first[1:] = reached[1:] > reached[:-1]
            del reached
            general = np.asarray(weights, dtype=np.float32)[first]
            del weights, first
        self.idf = ((np.log((1 + n) / (1 + document_frequency)) + 1.0) * general).astype(np.float32)
        matrix = sparse.csr_matrix(
            ((1.0 + np.log(counts)) * self.idf[columns], columns, np.array(indptr, dtype=np.int64)),
            shape=(n, size),
            dtype=np.float32,
        )
        del counts
        norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1
        norms[norms == 0] = 1.0
        # Each row scaled in place, as `sparse.diags(1.0 / norms) @ matrix` does it (each value's
        # product in the wider type, kept as float32, exact zeros dropped), without a second matrix.
        _scale_rows(matrix, 1.0 / norms)
        matrix.eliminate_zeros()
        csc = matrix.tocsc()
        del matrix
        csc.sort_indices()
        self.columns = Columns(csc.data, csc.indices, csc.indptr, csc.shape)
        self.size = n
        self._lookup: Callable[[list[str]], dict[str, int]] | None = None

    @classmethod
    def from_parts(
        cls,
        columns: Columns,
        idf: np.ndarray,
        lookup: Callable[[list[str]], dict[str, int]],
    ) -> TfidfIndex:
        """An index computed earlier: its matrix, IDF, and `lookup` (terms → their columns)."""
        index = cls.__new__(cls)
        index.columns, index.idf, index.size = columns, idf, columns.shape[0]
        index.vocabulary, index._lookup = None, lookup
        return index

    def columns_of(self, found: list[str]) -> dict[str, int]:
        """The column of each term of `found` the documents use; the others are left out."""
        if self.vocabulary is None:
            return self._lookup(found)
        return {t: self.vocabulary[t] for t in found if t in self.vocabulary}

    def _weighted(self, text: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        counts = terms(text)
        known = self.columns_of(list(counts))
        if not known:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), []
        names = [t for t in counts if t in known]
        cols = np.array([known[t] for t in names], dtype=np.int64)
        weights = np.array(
            [(1.0 + np.log(counts[t])) * self.idf[known[t]] for t in names], dtype=np.float32
        )
        return cols, weights / np.linalg.norm(weights), names

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The query as (column indices, weights), L2-normalised; unknown terms are dropped."""
        cols, weights, _ = self._weighted(text)
        return cols, weights

    def query(self, text: str) -> np.ndarray:
        """Cosine similarity of `text` with every document, as a dense array."""
        cols, weights = self.vector(text)
        if len(cols) == 0:
            return np.zeros(self.size, dtype=np.float32)
        return self.columns.dot(cols, weights)

    def shared_terms(self, text: str, row: int, limit: int = 6) -> list[str]:
        """The query terms that contribute most to its match with document `row`."""
        cols, weights, names = self._weighted(text)
        if len(cols) == 0:
            return []
        present = self.columns.row_values(row, cols)
        contributions = sorted(
            (
                (float(weights[k]) * present[k], names[k])
                for k in range(len(names))
                if present[k] != 0.0
            ),
            reverse=True,
        )
        shown: list[str] = []
        for _, term in contributions:
            if term.startswith("§"):
                if term[1:] in shown:
                    continue
                term = f"{term[1:]} (related words)"
            shown.append(term)
        return shown[:limit]
