"""Redundancy between catalog entries, computed at build time into `overlaps`.

Three kinds of evidence, as in the seller's check:
- lineage: a corpus and the sources it includes or derives from;
- shared sources: entries whose content comes from the same sites;
- description similarity: the cosine of the two entries' term sets
  (|A ∩ B| / √(|A|·|B|) over words, word pairs and concept tokens), with
  |A ∩ B| estimated from the Jaccard similarity of their MinHash signatures.

Each entry's term set and signature depend on that entry alone and are cached
by the hash of its text (pair_features.py), and a pair's score depends on the
two entries only: no catalog-wide weights such as IDF, so a changed entry
changes no other entry's features. Which pairs are compared and kept (rare
terms, TOP_K) depends on the whole catalog, but that is recomputed from the
features on every build, so a warm build writes the same table as a cold one.
The evidence's `text_cosine` is that estimated term-set cosine.

It stays bounded at any catalog size: candidate pairs come only from terms
shared by at most DF_CAP entries (a term shared by thousands says nothing about
any pair), hosts shared by more than HOST_CAP entries are skipped the same way,
rows are compared in chunks, and at most TOP_K pairs per entry are kept.
"""

from __future__ import annotations

import gc
import json
import sqlite3
from pathlib import Path

import numpy as np
import sqlite_utils
from scipy import sparse

from registry.overlap.hosts import SIBLING_GROUP_CAP, match, normalise, parents, registrable
from registry.overlap.pair_features import NUM_PERM, FeatureCache
from registry.overlap.pair_table import write_rows

TOP_K = 10
MIN_SCORE = 0.3
DF_CAP = 200
HOST_CAP = 50
CHUNK = 2048
TERM_BITS = 20  # candidate index buckets: 2^20 term-hash buckets (a collision only adds or hides a candidate)
# Term-set cosine → text strength: unrelated descriptions share a few generic
# terms (cosine under TEXT_FLOOR), close paraphrases reach TEXT_FULL.
TEXT_FLOOR, TEXT_FULL = 0.10, 0.60
TEXT_WEIGHT, HOST_WEIGHT = 0.85, 0.9
LINEAGE = {"includes": 1.0, "included-in": 1.0, "derived-from": 0.9, "source-of": 0.9}
RELATIONS = ("includes", "included-in", "derived-from", "source-of")
LABELS = RELATIONS + ("shares-sources", "similar-description")


def text_strength(cosine: np.ndarray) -> np.ndarray:
    return np.clip((cosine - TEXT_FLOOR) / (TEXT_FULL - TEXT_FLOOR), 0.0, 1.0)


def _unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique, by sorting, which is faster here than its hashing)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _empty() -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)


def candidate_pairs(features: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(rows, rows): for each entry, the 2·TOP_K entries sharing most terms used by at most DF_CAP entries.

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
    matrix = sparse.csr_matrix((np.ones(len(number), dtype=np.float32), (rows[rare], number)), shape=(n, len(terms)))
    transposed = matrix.T.tocsr()
    found_a, found_b = [], []
    for start in range(0, n, CHUNK):
        block = (matrix[start : start + CHUNK] @ transposed).tocoo()
        a, b, shared = block.row.astype(np.int64) + start, block.col.astype(np.int64), block.data
        keep = a != b
        a, b, shared = a[keep], b[keep], shared[keep]
        # Per row: most shared rare terms first, then the lower row number.
        order = np.lexsort((b, -shared, a))
        a, b = a[order], b[order]
        best = np.arange(len(a)) - np.searchsorted(a, a, side="left") < 2 * TOP_K
        found_a.append(a[best])
        found_b.append(b[best])
    return np.concatenate(found_a), np.concatenate(found_b)


def text_pairs(features: list[np.ndarray], signatures: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted pair keys (a·n + b, both directions) → estimated term-set cosine, for the candidate pairs."""
    n = len(features)
    a, b = candidate_pairs(features)
    # Each unordered pair once (the score is symmetric), then both directions.
    keys = _unique(np.minimum(a, b) * n + np.maximum(a, b))
    a, b = keys // n, keys % n
    sizes = np.fromiter((len(f) for f in features), dtype=np.float64, count=n)
    jaccard = np.empty(len(keys))
    for start in range(0, len(keys), 65536):
        part = slice(start, start + 65536)
        jaccard[part] = (signatures[a[part]] == signatures[b[part]]).mean(axis=1)
    # |A ∩ B| = J·(|A| + |B|) / (1 + J) for sets with Jaccard similarity J.
    with np.errstate(divide="ignore", invalid="ignore"):
        cosine = np.clip(np.nan_to_num(jaccard * (sizes[a] + sizes[b]) / (1.0 + jaccard) / np.sqrt(sizes[a] * sizes[b])), 0.0, 1.0)
    both = np.concatenate([keys, b * n + a])
    order = np.argsort(both, kind="stable")
    return both[order], np.concatenate([cosine, cosine])[order]


def host_pairs(sources: list[tuple[int, str]], n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Entries on the same host, a parent host, or a sibling host in a small domain; groups over HOST_CAP skipped.

    Returns sorted pair keys (a·n + b, both directions), the strongest match of
    each pair, the index of its reason in the returned list of reasons.
    """
    by_host: dict[str, list[int]] = {}
    for row, host in sources:
        group = by_host.setdefault(normalise(host), [])
        if not group or group[-1] != row:
            group.append(row)
    by_registrable: dict[str, list[str]] = {}
    for host in sorted(by_host):
        by_registrable.setdefault(registrable(host), []).append(host)
    keys, strengths, reasons, reason_ids = [], [], [], []

    def add(host_a: str, host_b: str) -> None:
        group_a, group_b = by_host[host_a], by_host[host_b]
        found = match(host_a, host_b)
        if found is None or len(group_a) > HOST_CAP or len(group_b) > HOST_CAP:
            return
        a, b = np.repeat(group_a, len(group_b)), np.tile(group_b, len(group_a))
        a, b = a[a != b], b[a != b]
        keys.extend([a * n + b, b * n + a])
        strengths.append(np.full(2 * len(a), found[0]))
        reason_ids.append(np.full(2 * len(a), len(reasons)))
        reasons.append(found[1])

    for host in sorted(by_host):
        add(host, host)
        for parent in parents(host):
            if parent in by_host:
                add(host, parent)
    for _, group in sorted(by_registrable.items()):
        if len(group) > SIBLING_GROUP_CAP:
            continue
        for i, host_a in enumerate(group):
            for host_b in group[i + 1 :]:
                add(host_a, host_b)
    keys = np.concatenate(keys).astype(np.int64) if keys else np.zeros(0, dtype=np.int64)
    if keys.size == 0:
        # No host is shared (every host has one entry): no pairs.
        return keys, np.zeros(0), np.zeros(0, dtype=np.int64), reasons
    strengths, reason_ids = np.concatenate(strengths), np.concatenate(reason_ids)
    # The strongest match of each pair; among equals, the first found.
    order = np.lexsort((np.arange(len(keys)), -strengths, keys))
    keys, strengths, reason_ids = keys[order], strengths[order], reason_ids[order]
    first = np.r_[True, keys[1:] != keys[:-1]]
    return keys[first], strengths[first], reason_ids[first], reasons


def lineage_pairs(links: list[tuple[int, str, int]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted pair keys → index in RELATIONS, as seen from the first entry, from `lineage` rows."""
    pairs: dict[int, int] = {}
    for entry, relation, related in links:
        if relation == "included_in":  # entry is inside related
            pairs[related * n + entry], pairs[entry * n + related] = 0, 1
        elif relation == "derived_from":  # entry was built from related
            pairs[entry * n + related], pairs[related * n + entry] = 2, 3
    keys = np.array(sorted(pairs), dtype=np.int64)
    return keys, np.array([pairs[k] for k in keys.tolist()], dtype=np.int64)


def _lookup(keys: np.ndarray, component_keys: np.ndarray, values: np.ndarray, missing) -> np.ndarray:
    """values[i] where component_keys[i] == key, else `missing`, for every key."""
    if not len(component_keys):
        return np.full(len(keys), missing, dtype=values.dtype)
    at = np.minimum(np.searchsorted(component_keys, keys), len(component_keys) - 1)
    return np.where(component_keys[at] == keys, values[at], missing)


def _contains(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    return sorted_keys[np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)] == keys


def _tables(connection: sqlite3.Connection) -> set[str]:
    return {row[0] for row in connection.execute("select name from sqlite_master where type in ('table', 'view')")}


def _text_features(connection: sqlite3.Connection, cache: FeatureCache | None, features: dict | None) -> tuple[list[str], list[np.ndarray], np.ndarray]:
    """Catalog ids in id order, with each entry's term hashes and its signature (one row each).

    From `features` (entry id → PairFeatures) when given, else computed from the
    catalog columns through `cache`.
    """
    if features is None:
        catalog = connection.execute("select id, name, summary, description, domains from catalog order by id").fetchall()
        hashes, signatures = (cache or FeatureCache(None)).features([(row[1] or row[0], *row[2:]) for row in catalog])
        return [row[0] for row in catalog], hashes, signatures
    ids = [row[0] for row in connection.execute("select id from catalog order by id")]
    missing = [entry_id for entry_id in ids if entry_id not in features]
    if missing:
        raise ValueError(f"no pair features for {len(missing)} catalog entries (first: {missing[0]}); pass features for every entry")
    given = [features[entry_id] for entry_id in ids]
    signatures = np.stack([f.signature for f in given]) if given else np.zeros((0, NUM_PERM), dtype=np.uint16)
    return ids, [f.hashes for f in given], signatures


def overlap_rows(connection: sqlite3.Connection, cache: FeatureCache | None = None, features: dict | None = None) -> list[tuple]:
    """Every kept pair as an `overlaps` row tuple, highest score first per entry.

    `features` (entry id → pair_features.PairFeatures for every catalog entry)
    replaces computing them from the catalog through `cache`.
    """
    tables = _tables(connection)
    ids, features, signatures = _text_features(connection, cache, features)
    n = len(ids)
    position = {entry_id: i for i, entry_id in enumerate(ids)}
    text_keys, cosines = text_pairs(features, signatures)
    sources = connection.execute("select entry_id, host from source_domains order by entry_id, host").fetchall() if "source_domains" in tables else []
    host_keys, host_strengths, host_reasons, reasons = host_pairs([(position[e], h) for e, h in sources if e in position], n)
    links = connection.execute("select entry_id, relation, related_id from lineage order by 1, 2, 3").fetchall() if "lineage" in tables else []
    lineage_keys, relations = lineage_pairs([(position[e], r, position[o]) for e, r, o in links if e in position and o in position], n)

    # A text score under TEXT_FLOOR adds nothing: such pairs are kept only to show their cosine
    # when the pair is there for its sources or lineage.
    shown = (cosines > TEXT_FLOOR) | _contains(host_keys, text_keys) | _contains(lineage_keys, text_keys)
    text_keys, cosines = text_keys[shown], cosines[shown]
    keys = _unique(np.concatenate([text_keys, host_keys, lineage_keys]))
    cosine = _lookup(keys, text_keys, cosines, 0.0)
    host = _lookup(keys, host_keys, host_strengths, 0.0)
    reason = _lookup(keys, host_keys, host_reasons, -1)
    relation = _lookup(keys, lineage_keys, relations, -1)
    strength = text_strength(cosine)
    lineage_weight = np.array([LINEAGE[r] for r in RELATIONS] + [0.0])[relation]
    score = 1.0 - (1.0 - TEXT_WEIGHT * strength) * (1.0 - HOST_WEIGHT * host) * (1.0 - lineage_weight)
    keep = score >= MIN_SCORE
    keys, cosine, host, reason, relation, strength, score = (x[keep] for x in (keys, cosine, host, reason, relation, strength, score))
    label = np.where(relation >= 0, relation, np.where((host > 0) & (host >= TEXT_WEIGHT * strength), 4, 5))
    # TOP_K per entry: highest score first, then other id (rows are in id order).
    a, b, score = keys // n, keys % n, np.round(score, 3)
    order = np.lexsort((b, -score, a))
    rank = np.arange(len(order)) - np.searchsorted(a[order], a[order], side="left")
    order = order[rank < TOP_K]

    reasons_json = [json.dumps([r]) for r in reasons] + ["[]"]
    relations_json = [f'"{r}"' for r in RELATIONS] + ["null"]
    evidence_cache: dict[tuple, str] = {}
    rows = []
    for i, j, s, l, c, r, rel in zip(a[order].tolist(), b[order].tolist(), score[order].tolist(), label[order].tolist(),
                                     np.round(cosine[order], 3).tolist(), reason[order].tolist(), relation[order].tolist()):
        evidence = evidence_cache.get((c, r, rel))
        if evidence is None:
            # The same JSON as json.dumps(..., sort_keys=True), written once per distinct value.
            evidence = evidence_cache[(c, r, rel)] = f'{{"lineage": {relations_json[rel]}, "sources": {reasons_json[r]}, "text_cosine": {c!r}}}'
        rows.append((ids[i], ids[j], s, LABELS[l], evidence))
    return rows


def compute_overlaps(db: sqlite_utils.Database, cache_dir: Path | None = None, features: dict | None = None) -> int:
    """Make the `overlaps` table hold exactly the kept pairs of the entries in `db`; returns the number of pairs.

    `features` (entry id → pair_features.PairFeatures) are used when given;
    otherwise they are computed, and `cache_dir` keeps them between builds.
    Only rows that differ from the table's current ones are written.
    """
    # The build holds every entry's rows in memory; a full garbage collection
    # triggered by the pairs' many small objects would walk all of them, for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        rows = overlap_rows(db.conn, None if features is not None else FeatureCache(cache_dir), features)
        write_rows(db.conn, rows)
    finally:
        if collecting:
            gc.enable()
    return len(rows)
