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


def candidate_pairs(features: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(rows, rows): for each entry, the 2·TOP_K entries sharing most terms used by at most DF_CAP
    entries.

    Terms are bucketed by the low TERM_BITS bits of their hash (a rare collision
    only merges two terms here; scores come from the signatures).
    """
    n = len(features)
    sizes = np.fromiter((len(f) for f in features), dtype=np.int64, count=n)
    if n < 2 or not sizes.sum():
        return _empty()
    rows = np.repeat(np.arange(n, dtype=np.int64), sizes)
    columns = (np.concatenate(features) & np.uint64((1 << TERM_BITS) - 1)).astype(np.int64)
    df = np.bincount(columns, minlength=1 << TERM_BITS)[columns]
    rare = (df <= DF_CAP) & (df >= 2)
    if not rare.any():
        return _empty()
    # Number the rare terms 0..m-1: the matrix is as wide as the terms that can make a pair.
    terms, number = np.unique(columns[rare], return_inverse=True)
    matrix = sparse.csr_matrix(
        (np.ones(len(number), dtype=np.float32), (rows[rare], number)), shape=(n, len(terms))
    )
    transposed = matrix.T.tocsr()
    found_a, found_b = [], []
    for start in range(0, n, CHUNK):
        block = (matrix[start : start + CHUNK] @ transposed).tocoo()
        a, b, shared = (
            block.row.astype(np.int64),
            block.col.astype(np.int64),
            block.data.astype(np.int64),
        )
        keep = a + start != b
        a, b, shared = a[keep], b[keep], shared[keep]
        if not len(a):
            continue
        # Per row: most shared rare terms first, then the lower row number, as one sorted integer
        # key.
        most = int(shared.max())
        key = np.sort((a * (most + 1) + (most - shared)) * n + b)
        a, b = key // n // (most + 1), key % n
        best = rank_in_run(a) < 2 * TOP_K
        found_a.append(a[best] + start)
        found_b.append(b[best])
    if not found_a:
        return _empty()
    return np.concatenate(found_a), np.concatenate(found_b)


def text_pairs(features: list[np.ndarray], signatures: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted pair keys (a·n + b, both directions) → estimated term-set cosine, for the candidate
    pairs."""
    n = len(features)
    a, b = candidate_pairs(features)
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
