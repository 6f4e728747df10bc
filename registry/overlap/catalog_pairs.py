"""Redundancy between catalog entries, computed at build time into `overlaps`.

Three kinds of evidence, as in the seller's check:
- lineage: a corpus and the sources it includes or derives from;
- shared sources: entries whose content comes from the same sites;
- description similarity: TF-IDF cosine.

It stays bounded at any catalog size: candidate pairs come only from terms
rarer than DF_CAP entries (a term shared by thousands of entries says nothing
about any pair), hosts shared by more than HOST_CAP entries are skipped the
same way, rows are compared in chunks, and at most TOP_K pairs per entry are kept.
"""

from __future__ import annotations

import json

import numpy as np
import sqlite_utils
from scipy import sparse

from registry.overlap.hosts import SIBLING_GROUP_CAP, match, parents
from registry.overlap.index import load_index
from registry.overlap.score import text_strength

TOP_K = 10
MIN_SCORE = 0.3
DF_CAP = 200
HOST_CAP = 50
CHUNK = 512
LINEAGE = {"includes": 1.0, "included-in": 1.0, "derived-from": 0.9, "source-of": 0.9}


def _text_pairs(index) -> dict[tuple[int, int], float]:
    """(row, row) → cosine for the TOP_K most similar entries of each entry."""
    matrix = index.text.matrix
    n = matrix.shape[0]
    if n < 2:
        return {}
    df = np.diff(matrix.tocsc().indptr)
    rare = sparse.diags((df <= DF_CAP).astype(np.float32))
    candidates_matrix = (matrix @ rare).tocsr()
    pairs: dict[tuple[int, int], float] = {}
    for start in range(0, n, CHUNK):
        block = (candidates_matrix[start : start + CHUNK] @ candidates_matrix.T).tocsr()
        rows, cols = [], []
        for offset in range(block.shape[0]):
            row = start + offset
            found, values = block.indices[block.indptr[offset] : block.indptr[offset + 1]], block.data[block.indptr[offset] : block.indptr[offset + 1]]
            keep = found != row
            found, values = found[keep], values[keep]
            best = found[np.argsort(-values, kind="stable")[: TOP_K * 2]]
            rows.extend([row] * len(best))
            cols.extend(best.tolist())
        if not rows:
            continue
        # Exact cosines of every candidate pair in the block at once: row-wise dot products.
        exact = np.asarray(matrix[rows].multiply(matrix[cols]).sum(axis=1)).ravel()
        for row, col, cosine in zip(rows, cols, exact.tolist()):
            pairs[(row, col)] = cosine
    return pairs


def _host_pairs(index) -> dict[tuple[str, str], tuple[float, list[str]]]:
    """Entries on the same host, a parent host, or a sibling host in a small domain; groups over HOST_CAP skipped."""
    hosts = index.hosts
    pairs: dict[tuple[str, str], tuple[float, list[str]]] = {}

    def add(group_a: list[str], host_a: str, group_b: list[str], host_b: str) -> None:
        found = match(host_a, host_b)
        if found is None or len(group_a) > HOST_CAP or len(group_b) > HOST_CAP:
            return
        for a in group_a:
            for b in group_b:
                if a != b and found[0] > pairs.get((a, b), (0.0, []))[0]:
                    pairs[(a, b)] = (found[0], [found[1]])
                    pairs[(b, a)] = (found[0], [found[1]])

    for host, entry_ids in sorted(hosts.by_host.items()):
        add(entry_ids, host, entry_ids, host)
        for parent in parents(host):
            if parent in hosts.by_host:
                add(entry_ids, host, hosts.by_host[parent], parent)
    for group in hosts.by_registrable.values():
        if len(group) > SIBLING_GROUP_CAP:
            continue
        ordered = sorted(group)
        for i, host_a in enumerate(ordered):
            for host_b in ordered[i + 1 :]:
                add(hosts.by_host[host_a], host_a, hosts.by_host[host_b], host_b)
    return pairs


def _lineage_pairs(index) -> dict[tuple[str, str], str]:
    pairs = {}
    for contained, containers in index.containers.items():
        for container, relation in containers:
            if relation == "includes":
                pairs[(container, contained)], pairs[(contained, container)] = "includes", "included-in"
            else:
                pairs[(container, contained)], pairs[(contained, container)] = "derived-from", "source-of"
    return pairs


def overlap_rows(index) -> list[dict]:
    """Every kept pair as an `overlaps` row, highest score first per entry."""
    ids = [e.id for e in index.entries]
    text = {(ids[a], ids[b]): cosine for (a, b), cosine in _text_pairs(index).items()}
    hosts = _host_pairs(index)
    lineage = _lineage_pairs(index)
    by_entry: dict[str, list[dict]] = {}
    for a, b in sorted(set(text) | set(hosts) | set(lineage)):
        if a not in index.position or b not in index.position:
            continue
        cosine = text.get((a, b), text.get((b, a), 0.0))
        host_score, host_reasons = hosts.get((a, b), (0.0, []))
        relation = lineage.get((a, b))
        components = [1.0 - 0.85 * text_strength(cosine), 1.0 - 0.9 * host_score, 1.0 - LINEAGE.get(relation, 0.0)]
        score = 1.0 - float(np.prod(components))
        if score < MIN_SCORE:
            continue
        label = relation or ("shares-sources" if host_score >= 0.85 * text_strength(cosine) and host_score else "similar-description")
        evidence = {"text_cosine": round(float(cosine), 3), "sources": host_reasons, "lineage": relation}
        by_entry.setdefault(a, []).append({"entry_id": a, "other_id": b, "score": round(score, 3), "relation": label, "evidence": json.dumps(evidence, sort_keys=True)})
    rows = []
    for entry_id in sorted(by_entry):
        rows.extend(sorted(by_entry[entry_id], key=lambda r: (-r["score"], r["other_id"]))[:TOP_K])
    return rows


def compute_overlaps(db: sqlite_utils.Database) -> int:
    """Replace the `overlaps` table's rows from the entries in `db`; returns the number of pairs."""
    rows = overlap_rows(load_index(db.conn))
    with db.conn:
        db.execute("delete from overlaps")
        db["overlaps"].insert_all(rows)
    return len(rows)
