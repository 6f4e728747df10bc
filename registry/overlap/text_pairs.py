"""Catalog entries whose descriptions are alike: candidate pairs from rare shared terms, scored
by the cosine of their term sets estimated from MinHash signatures (see catalog_pairs.py)."""

from __future__ import annotations

import numpy as np
from scipy import sparse

TOP_K = 10  # pairs kept per entry; twice as many candidates are proposed
# A term in more than DF_CAP entries proposes no candidates: the candidate step costs
# the sum of each term's entries squared, and with text like a real catalog's
# (Zipf-distributed words) a cap of 200 cost 1.9 s at 10,000 entries against
# 0.25 s at 50, for 98% of the same pairs kept.
DF_CAP = 50
CHUNK = 2048
# Candidate index buckets: 2^20 term-hash buckets (a collision only adds or hides a candidate).
TERM_BITS = 20


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique, by sorting, which is faster here than its hashing)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def rank_in_run(values: np.ndarray) -> np.ndarray:
    """For sorted values: each one's position among the equal values before it (0, 1, 2, ... per
    run)."""
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    return np.arange(len(values)) - np.repeat(starts, np.diff(np.r_[starts, len(values)]))


def _empty() -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)


def buckets(hashes: np.ndarray) -> np.ndarray:
    """Each term hash's candidate bucket: its low TERM_BITS bits (int32: a build holds one for
    every term of every entry, 15 million at 100,000 entries)."""
    return (hashes & np.uint64((1 << TERM_BITS) - 1)).astype(np.int32)


def is_rare(df: np.ndarray) -> np.ndarray:
    """Whether a bucket with these counts proposes candidates: in 2..DF_CAP entries' terms."""
    return (df <= DF_CAP) & (df >= 2)


def bucket_terms(features: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, buckets, df): each term's entry row and bucket, and every bucket's count of terms."""
    n = len(features)
    sizes = np.fromiter((len(f) for f in features), dtype=np.int64, count=n)
    rows = np.repeat(np.arange(n, dtype=np.int32), sizes)
    # A chunk of entries at a time: the hashes of all (uint64) are never concatenated at once.
    columns = np.concatenate(
        [np.zeros(0, dtype=np.int32)]
        + [buckets(np.concatenate(features[start : start + CHUNK])) for start in range(0, n, CHUNK)]
    )
    return rows, columns, np.bincount(columns, minlength=1 << TERM_BITS)


def candidate_pairs(features: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(rows, rows): for each entry, the 2·TOP_K entries sharing most terms used by at most DF_CAP
    entries.

    Terms are bucketed by the low TERM_BITS bits of their hash (a rare collision
    only merges two terms here; scores come from the signatures).
    """
    n = len(features)
    if n < 2:
        return _empty()
    rows, columns, df = bucket_terms(features)
    rare = is_rare(df)[columns]
    return best_candidates(rows[rare], columns[rare], n)


def best_candidates(
    rows: np.ndarray, columns: np.ndarray, n: int, among: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """candidate_pairs from the rare terms' (rows, buckets), for the rows `among` (sorted; all
    when None).

    A row's candidates depend only on the rows sharing one of its rare buckets, so for a few
    rows only their buckets' terms are kept: the result for those rows is the same.
    """
    if among is not None:
        wanted = np.isin(columns, columns[np.isin(rows, among)])
        rows, columns = rows[wanted], columns[wanted]
    if n < 2 or not len(rows):
        return _empty()
    # Number the rare terms 0..m-1: the matrix is as wide as the terms that can make a pair.
    terms, number = np.unique(columns, return_inverse=True)
    matrix = sparse.csr_matrix(
        (np.ones(len(number), dtype=np.float32), (rows, number)), shape=(n, len(terms))
    )
    transposed = matrix.T.tocsr()
    found_a, found_b = [], []
    blocks = (
        [np.arange(start, min(start + CHUNK, n)) for start in range(0, n, CHUNK)]
        if among is None
        else [among[start : start + CHUNK] for start in range(0, len(among), CHUNK)]
    )
    for block_rows in blocks:
        part = matrix[block_rows[0] : block_rows[-1] + 1] if among is None else matrix[block_rows]
        block = (part @ transposed).tocoo()
        a, b, shared = (
            block_rows[block.row.astype(np.int64)],
            block.col.astype(np.int64),
            block.data.astype(np.int64),
        )
        keep = a != b
        a, b, shared = a[keep], b[keep], shared[keep]
        if not len(a):
            continue
        # Per row: most shared rare terms first, then the lower row number, as one sorted integer
        # key.
        most = int(shared.max())
        key = np.sort((a * (most + 1) + (most - shared)) * n + b)
        a, b = key // n // (most + 1), key % n
        best = rank_in_run(a) < 2 * TOP_K
        found_a.append(a[best])
        found_b.append(b[best])
    if not found_a:
        return _empty()
    return np.concatenate(found_a), np.concatenate(found_b)


def text_pairs(
    features: list[np.ndarray],
    signatures: np.ndarray,
    proposed: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted pair keys (a·n + b, both directions) → estimated term-set cosine, for the candidate
    pairs (`proposed`, as candidate_pairs gives them, when the caller has them)."""
    n = len(features)
    a, b = candidate_pairs(features) if proposed is None else proposed
    # Each unordered pair once (the score is symmetric), then both directions.
    keys = unique_sorted(np.minimum(a, b) * n + np.maximum(a, b))
    a, b = keys // n, keys % n
    sizes = np.fromiter((len(f) for f in features), dtype=np.float64, count=n)
    jaccard = np.empty(len(keys))
    for start in range(0, len(keys), 65536):
        part = slice(start, start + 65536)
        jaccard[part] = np.count_nonzero(signatures[a[part]] == signatures[b[part]], axis=1)
    jaccard /= signatures.shape[1]
    # |A ∩ B| = J·(|A| + |B|) / (1 + J) for sets with Jaccard similarity J.
    with np.errstate(divide="ignore", invalid="ignore"):
        cosine = np.clip(
            np.nan_to_num(
                jaccard * (sizes[a] + sizes[b]) / (1.0 + jaccard) / np.sqrt(sizes[a] * sizes[b])
            ),
            0.0,
            1.0,
        )
    # Both directions in key order: the a < b keys are sorted already, so only the
    # reversed ones need sorting, and a stable sort merges the two runs in one pass.
    reverse = np.argsort(b * n + a)
    both = np.concatenate([keys, (b * n + a)[reverse]])
    order = np.argsort(both, kind="stable")
    return both[order], np.concatenate([cosine, cosine[reverse]])[order]
