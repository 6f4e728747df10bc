"""Redundancy between catalog entries, computed at build time into `overlaps`.

Three kinds of evidence, as in the seller's check:
- lineage: a corpus and the sources it includes or derives from;
- shared sources: entries whose content comes from the same sites;
- description similarity: the cosine of the two entries' term sets
  (|A ∩ B| / √(|A|·|B|) over words, word pairs and concept tokens), with
  |A ∩ B| estimated from the Jaccard similarity of their MinHash signatures.

Each entry's term set and signature depend on that entry alone
(pair_features.entry_features: the build computes them per entry file, or they
are cached here by the hash of the text), and a pair's score depends on the
two entries only: no catalog-wide weights such as IDF, so a changed entry
changes no other entry's features. Which pairs are compared and kept (rare
terms, TOP_K) depends on the whole catalog: a cold build computes it from every
entry's features, a warm build recomputes only the entries a change can reach
(pair_delta.py, exact), and the table is then brought to exactly those rows
by writing only what differs (pair_table.py), so a warm build's table holds
the same rows as a cold one's. The evidence's `text_cosine` is that estimated
term-set cosine.

It stays bounded at any catalog size: candidate pairs come only from terms
shared by at most DF_CAP entries (a term shared by thousands says nothing about
any pair), hosts shared by more than HOST_CAP entries (host_pairs.py) are skipped the same way,
rows are compared in chunks, and at most TOP_K pairs per entry are kept.
"""

from __future__ import annotations

import gc
import json
import sqlite3
from pathlib import Path
from typing import NamedTuple

import numpy as np
import sqlite_utils

from registry.build.keyed_texts import drop_unused
from registry.overlap.host_pairs import host_pairs
from registry.overlap.pair_features import NUM_PERM, FeatureCache
from registry.overlap.pair_table import write_rows
from registry.overlap.text_pairs import TOP_K, rank_in_run, text_pairs, unique_sorted

MIN_SCORE = 0.3
# Term-set cosine → text strength: unrelated descriptions share a few generic
# terms (cosine under TEXT_FLOOR), close paraphrases reach TEXT_FULL.
TEXT_FLOOR, TEXT_FULL = 0.10, 0.60
TEXT_WEIGHT, HOST_WEIGHT = 0.85, 0.9
LINEAGE = {"includes": 1.0, "included-in": 1.0, "derived-from": 0.9, "source-of": 0.9}
RELATIONS = ("includes", "included-in", "derived-from", "source-of")
LABELS = RELATIONS + ("shares-sources", "similar-description")


def text_strength(cosine: np.ndarray) -> np.ndarray:
    return np.clip((cosine - TEXT_FLOOR) / (TEXT_FULL - TEXT_FLOOR), 0.0, 1.0)


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


def _tables(connection: sqlite3.Connection) -> set[str]:
    return {
        row[0]
        for row in connection.execute(
            "select name from sqlite_master where type in ('table', 'view')"
        )
    }


def _text_features(
    connection: sqlite3.Connection,
    cache: FeatureCache | None,
    features: dict | None,
    ids: list[str] | None = None,
) -> tuple[list[str], list[np.ndarray], np.ndarray]:
    """Catalog ids in id order, with each entry's term hashes and its signature (one row each).

    From `features` (entry id → PairFeatures) when given, else computed from the
    catalog columns through `cache`. `ids`, with `features`, are the catalog's
    ids when the caller knows them before the catalog table is written.
    """
    if features is None:
        catalog = connection.execute(
            "select id, name, summary, description, domains from catalog order by id"
        ).fetchall()
        hashes, signatures = (cache or FeatureCache(None)).features(
            [(row[1] or row[0], *row[2:]) for row in catalog]
        )
        return [row[0] for row in catalog], hashes, signatures
    if ids is None:
        ids = [row[0] for row in connection.execute("select id from catalog order by id")]
    missing = [entry_id for entry_id in ids if entry_id not in features]
    if missing:
        raise ValueError(
            f"no pair features for {len(missing)} catalog entries (first: {missing[0]}); pass "
            "features for every entry"
        )
    return _stacked(ids, features)


def _stacked(ids: list[str], features: dict) -> tuple[list[str], list[np.ndarray], np.ndarray]:
    given = [features[entry_id] for entry_id in ids]
    signatures = (
        np.stack([f.signature for f in given])
        if given
        else np.zeros((0, NUM_PERM), dtype=np.uint16)
    )
    return ids, [f.hashes for f in given], signatures


class PairInputs(NamedTuple):
    """What the pairs are computed from, read from the database in one go."""

    ids: list[str]
    hashes: list[np.ndarray]
    signatures: np.ndarray
    sources: list[tuple[str, str]]
    links: list[tuple[str, str, str]]


def pair_inputs(
    connection: sqlite3.Connection,
    cache: FeatureCache | None = None,
    features: dict | None = None,
    ids: list[str] | None = None,
) -> PairInputs:
    """Read the catalog ids (with their pair features), source hosts and lineage.

    `features` (entry id → pair_features.PairFeatures for every catalog entry)
    replaces computing them from the catalog through `cache`; `ids` (sorted),
    given with them, replaces reading the ids from the catalog table.
    """
    tables = _tables(connection)
    ids, hashes, signatures = _text_features(connection, cache, features, ids)
    sources = (
        connection.execute(
            "select entry_id, host from source_domains order by entry_id, host"
        ).fetchall()
        if "source_domains" in tables
        else []
    )
    links = (
        connection.execute(
            "select entry_id, relation, related_id from lineage order by 1, 2, 3"
        ).fetchall()
        if "lineage" in tables
        else []
    )
    return PairInputs(ids, hashes, signatures, sources, links)


def gathered_inputs(
    features: dict, sources: list[tuple[str, str]], links: list[tuple[str, str, str]]
) -> PairInputs:
    """The inputs pair_inputs reads from a database, from rows the caller already holds.

    `features`: entry id → PairFeatures for every entry; `sources`: (entry id,
    host) rows; `links`: (entry id, relation, related id) rows. Sorted as the
    queries of pair_inputs sort them (Python orders strings by code point, as
    SQLite's BINARY collation orders their UTF-8 bytes).
    """
    ids, hashes, signatures = _stacked(sorted(features), features)
    return PairInputs(ids, hashes, signatures, sorted(sources), sorted(links))


def overlap_rows(
    connection: sqlite3.Connection, cache: FeatureCache | None = None, features: dict | None = None
) -> list[tuple]:
    """Every kept pair as an `overlaps` row tuple, sorted by (entry id, other id)."""
    return pair_rows(pair_inputs(connection, cache, features))


def pair_rows(
    inputs: PairInputs,
    proposed: tuple[np.ndarray, np.ndarray] | None = None,
    only: np.ndarray | None = None,
) -> list[tuple]:
    """The kept pairs of `inputs` as `overlaps` row tuples, sorted by (entry id, other id).

    `proposed`: the text candidates (text_pairs.candidate_pairs) when the caller has them;
    `only`: the rows (positions in `inputs.ids`) whose pairs are wanted, all when None (an
    entry's rows depend only on its own pairs, so `proposed` need hold only pairs of these).
    Reads no database, so the build runs it beside other work (NumPy and
    SciPy release the GIL in their large operations).
    """
    ids, n = inputs.ids, len(inputs.ids)
    text_keys, cosines = text_pairs(inputs.hashes, inputs.signatures, proposed)
    (host_keys, host_strengths, host_reasons, reasons), (lineage_keys, relations) = (
        _source_and_lineage_pairs(inputs)
    )
    # A text score under TEXT_FLOOR adds nothing: such pairs are kept only to show their cosine
    # when the pair is there for its sources or lineage.
    keys = unique_sorted(np.concatenate([text_keys[cosines > TEXT_FLOOR], host_keys, lineage_keys]))
    cosine = _scatter(keys, _positions(keys, text_keys), cosines, 0.0)
    at_host = _positions(keys, host_keys)
    host = _scatter(keys, at_host, host_strengths, 0.0)
    reason = _scatter(keys, at_host, host_reasons, -1)
    relation = _scatter(keys, _positions(keys, lineage_keys), relations, -1)
    strength = text_strength(cosine)
    lineage_weight = np.array([LINEAGE[r] for r in RELATIONS] + [0.0])[relation]
    score = 1.0 - (1.0 - TEXT_WEIGHT * strength) * (1.0 - HOST_WEIGHT * host) * (
        1.0 - lineage_weight
    )
    keep = (score >= MIN_SCORE) & (True if only is None else np.isin(keys // n, only))
    keys, cosine, host, reason, relation, strength, score = (
        x[keep] for x in (keys, cosine, host, reason, relation, strength, score)
    )
    label = np.where(
        relation >= 0, relation, np.where((host > 0) & (host >= TEXT_WEIGHT * strength), 4, 5)
    )
    # Scores and cosines are shown to 3 decimals (np.round(x, 3) is rint(x·1000) / 1000).
    a, b, milli = keys // n, keys % n, np.rint(score * 1000).astype(np.int64)
    # TOP_K per entry: highest score first, then other id (rows are in id order), as one integer
    # sort key.
    order = np.argsort((a * 1001 + (1000 - milli)) * n + b)
    # Rows in key order (entry id, other id), as the table's primary key keeps them.
    order = np.sort(order[rank_in_run(a[order]) < TOP_K])
    return _rows(
        ids,
        reasons,
        a[order],
        b[order],
        milli[order],
        label[order],
        np.rint(cosine[order] * 1000).astype(np.int64),
        reason[order],
        relation[order],
    )


def _source_and_lineage_pairs(inputs: PairInputs) -> tuple[tuple, tuple]:
    """host_pairs and lineage_pairs of `inputs`, by position in `inputs.ids`."""
    n = len(inputs.ids)
    position = {entry_id: i for i, entry_id in enumerate(inputs.ids)}
    hosts = host_pairs([(position[e], h) for e, h in inputs.sources if e in position], n)
    lineage = lineage_pairs(
        [
            (position[e], r, position[o])
            for e, r, o in inputs.links
            if e in position and o in position
        ],
        n,
    )
    return hosts, lineage


def _positions(keys: np.ndarray, component_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each component key: its index in the sorted `keys`, and whether it is there."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64), np.zeros(len(component_keys), dtype=bool)
    at = np.minimum(np.searchsorted(keys, component_keys), len(keys) - 1)
    return at, keys[at] == component_keys


def _scatter(
    keys: np.ndarray, positions: tuple[np.ndarray, np.ndarray], values: np.ndarray, missing
) -> np.ndarray:
    """values[i] at the index of component key i in `keys`; `missing` where no component key is."""
    at, found = positions
    out = np.full(len(keys), missing, dtype=values.dtype)
    out[at[found]] = values[found]
    return out


def _rows(
    ids: list[str], reasons: list[str], a, b, milli, label, cosine_milli, reason, relation
) -> list[tuple]:
    """`overlaps` row tuples; each distinct evidence JSON is written once and shared."""
    reasons_json = [json.dumps([r]) for r in reasons] + ["[]"]
    relations_json = [f'"{r}"' for r in RELATIONS] + ["null"]
    # One integer per distinct (cosine, reason, relation): -1 (none) becomes 0.
    evidence_key = (
        (cosine_milli * (len(reasons) + 1) + reason + 1) * (len(RELATIONS) + 1) + relation + 1
    )
    distinct, inverse = np.unique(evidence_key, return_inverse=True)
    evidence = []
    for key in distinct.tolist():
        rest, rel = divmod(key, len(RELATIONS) + 1)
        c, r = divmod(rest, len(reasons) + 1)
        # The same JSON as json.dumps(..., sort_keys=True).
        evidence.append(
            f'{{"lineage": {relations_json[rel - 1]}, "sources": {reasons_json[r - 1]}, '
            f'"text_cosine": {c / 1000!r}}}'
        )
    names = np.array(ids, dtype=object)
    return list(
        zip(
            names[a].tolist(),
            names[b].tolist(),
            (milli / 1000).tolist(),
            np.array(LABELS, dtype=object)[label].tolist(),
            np.array(evidence, dtype=object)[inverse].tolist(),
            strict=True,
        )
    )


def compute_overlaps(
    db: sqlite_utils.Database, cache_dir: Path | None = None, features: dict | None = None
) -> int:
    """Make the `overlaps` table hold exactly the kept pairs of the entries in `db`; returns the
    number of pairs.

    `features` (entry id → pair_features.PairFeatures) are used when given;
    otherwise they are computed, and `cache_dir` keeps them between builds.
    Only rows that differ from the table's current ones are written.
    """
    # The build holds every entry's rows in memory; a full garbage collection
    # triggered by the pairs' many small objects would walk all of them, for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        rows = overlap_rows(
            db.conn, None if features is not None else FeatureCache(cache_dir), features
        )
        write_rows(db.conn, rows)
        drop_unused(db.conn, tables=["overlaps"])
    finally:
        if collecting:
            gc.enable()
    return len(rows)
