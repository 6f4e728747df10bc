"""The catalog pairs after a few entries changed: only the rows that can change, computed exactly.

A full computation (catalog_pairs.pair_rows) proposes each entry's text candidates from the rare
term buckets it shares (text_pairs.candidate_pairs), scores every proposed, host and lineage
pair, and keeps each entry's TOP_K. When a few entries change (`stale`: changed, added or
gone), the build keeps every entry's proposals (their ids' keys, `id_keys`) and finds what
can move:

- an entry's proposals depend on its shared counts with every other entry over the rare
  buckets (document frequency 2..DF_CAP). They change only for a changed entry, for an entry
  sharing a rare bucket with a changed one before or after the change, and for every entry of
  a bucket whose rarity flips (its count crosses 2 or DF_CAP, which only a changed entry's
  buckets can do). Those are recomputed (`_recompute`), from the same code as a full build;
- an entry's rows depend only on its own pairs. A pair appears, goes or changes its score only
  when an end changed, when a recomputed entry proposes or proposed it, or when its host or
  lineage evidence changed (host groups crossing HOST_CAP or SIBLING_GROUP_CAP included:
  those pairs are compared whole, before and after, being few). The ends of such pairs are
  the entries whose rows are computed again (`_reach`), from every pair they have.

The build then compares the stored rows of those entries only (pair_table.write_rows_of).
The tests hold the result to the full computation on random changes of real entries.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

import numpy as np

from registry.overlap.catalog_pairs import PairInputs, lineage_pairs, pair_rows
from registry.overlap.host_pairs import host_pairs
from registry.overlap.pair_features import PairFeatures
from registry.overlap.text_pairs import (
    best_candidates,
    bucket_terms,
    buckets,
    candidate_pairs,
    is_rare,
)

# When more than this share of the entries, and more than SMALL, would be recomputed, the full
# computation costs about as much (at the real catalog one changed entry reaches 2-3% of them).
# Under SMALL entries either takes milliseconds; the incremental one is then always used.
MAX_SHARE = 0.5
SMALL = 2000


class Before(NamedTuple):
    """What the pairs were computed from before the change, where the change touches it."""

    features: dict[str, PairFeatures]  # the stale entries that existed: their features
    sources: list[tuple[str, str]]  # their (entry id, host) rows
    links: list[tuple[str, str, str]]  # their (entry id, relation, related id) rows
    proposals: dict[str, bytes]  # every entry's proposals (id_keys of the proposed entries)


class PairResult(NamedTuple):
    """New `overlaps` rows, and the proposals to keep for the next build."""

    rows: list[tuple]  # sorted by (entry id, other id)
    proposals: dict[str, bytes]  # entry id → its proposals, for the entries recomputed
    entries: list[str] | None  # the entries whose stored rows `rows` replace; None: every entry


def id_keys(ids: list[str]) -> np.ndarray:
    """A 64-bit key per entry id (blake2b), how proposals name entries in the cache."""
    return np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(i.encode(), digest_size=8).digest(), "little")
            for i in ids
        ),
        dtype=np.uint64,
        count=len(ids),
    )


def full(inputs: PairInputs) -> PairResult:
    """Every row and every entry's proposals (a cold build, or too many changes)."""
    proposed = candidate_pairs(inputs.hashes)
    rows = pair_rows(inputs, proposed)
    return PairResult(rows, _blobs(inputs.ids, id_keys(inputs.ids), *proposed), None)


def _blobs(
    ids: list[str], keys: np.ndarray, a: np.ndarray, b: np.ndarray, among=None
) -> dict[str, bytes]:
    """Proposer id → its proposed entries' keys as bytes, for the rows `among` (all when None);
    `a` sorted."""
    rows = range(len(ids)) if among is None else among.tolist()
    starts = np.searchsorted(a, rows)
    ends = np.searchsorted(a, rows, side="right")
    proposed = keys[b]
    return {
        ids[row]: proposed[start:end].tobytes()
        for row, start, end in zip(rows, starts.tolist(), ends.tolist(), strict=True)
    }


class _Catalog:
    """Entry positions in `ids`, found by id or by id key."""

    def __init__(self, ids: list[str]):
        self.ids = ids
        self.position = {entry_id: i for i, entry_id in enumerate(ids)}
        self.keys = id_keys(ids)
        self.order = np.argsort(self.keys)
        self.sorted_keys = self.keys[self.order]
        if len(ids) > 1 and not np.all(self.sorted_keys[1:] != self.sorted_keys[:-1]):
            raise ValueError("two entry ids share a 64-bit key")
        self.by_key = dict(zip(self.keys.tolist(), range(len(ids)), strict=True))

    def ids_of(self, blob: bytes) -> tuple[set[str], bool]:
        """The ids of the keyed entries present, and whether every key named one (a few keys)."""
        rows = [self.by_key.get(key) for key in np.frombuffer(blob, dtype=np.uint64).tolist()]
        return {self.ids[row] for row in rows if row is not None}, None not in rows

    def rows_of(self, blob: bytes) -> tuple[np.ndarray, np.ndarray]:
        """For each key in `blob`: the position of its entry, and whether there is one."""
        keys = np.frombuffer(blob, dtype=np.uint64)
        if not len(self.ids):
            return np.zeros(len(keys), dtype=np.int64), np.zeros(len(keys), dtype=bool)
        at = np.minimum(np.searchsorted(self.sorted_keys, keys), len(self.ids) - 1)
        return self.order[at].astype(np.int64), self.sorted_keys[at] == keys


def incremental(inputs: PairInputs, stale: set[str], before: Before) -> PairResult | None:
    """The rows of the entries whose rows can change after `stale` changed; None when so many
    entries are reached that the full computation is cheaper."""
    catalog = _Catalog(inputs.ids)
    n = len(inputs.ids)
    recompute, rare_rows, rare_columns = _recompute(inputs, stale, before, catalog)
    if len(recompute) > max(MAX_SHARE * n, SMALL):
        return None
    a, b = best_candidates(rare_rows, rare_columns, n, recompute)
    fresh = _blobs(inputs.ids, catalog.keys, a, b, recompute)
    reach = _reach(inputs, stale, before, catalog, recompute, fresh)
    affected = np.array(sorted(catalog.position[e] for e in reach if e in catalog.position))
    if len(affected) > max(MAX_SHARE * n, SMALL):
        return None
    proposed = _proposed_touching(inputs.ids, before, fresh, catalog, affected, stale)
    rows = pair_rows(inputs, proposed, affected.astype(np.int64))
    return PairResult(rows, fresh, sorted(reach))


def _recompute(
    inputs: PairInputs, stale: set[str], before: Before, catalog: _Catalog
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows whose proposals can change, sorted; the rare terms' rows and buckets now)."""
    rows, columns, df_now = bucket_terms(inputs.hashes)
    changed = np.array(
        sorted(catalog.position[e] for e in stale if e in catalog.position), dtype=np.int64
    )
    theirs = np.isin(rows, changed)
    old = buckets(
        np.concatenate([np.zeros(0, np.uint64)] + [f.hashes for f in before.features.values()])
    )
    size = len(df_now)
    df_before = (
        df_now - np.bincount(columns[theirs], minlength=size) + np.bincount(old, minlength=size)
    )
    rare_before, rare_now = is_rare(df_before), is_rare(df_now)
    touched = np.unique(
        np.concatenate(
            [
                old[rare_before[old]],
                columns[theirs][rare_now[columns[theirs]]],
                np.flatnonzero(rare_before != rare_now),
            ]
        )
    )
    recompute = np.union1d(changed, rows[np.isin(columns, touched)])
    rare = rare_now[columns]
    return recompute, rows[rare], columns[rare]


def _reach(
    inputs: PairInputs,
    stale: set[str],
    before: Before,
    catalog: _Catalog,
    recompute: np.ndarray,
    fresh: dict[str, bytes],
) -> set[str]:
    """Ids of the entries whose rows can change: the stale ones and every entry they propose or
    proposed; a recomputed entry whose proposals changed, or propose a stale one, and the
    entries it proposes or proposed but not both; the ends of host and lineage pairs that
    changed."""
    ids = inputs.ids
    reach = set(stale)
    for entry_id in stale | {ids[row] for row in recompute.tolist()}:
        was, all_found = catalog.ids_of(before.proposals.get(entry_id, b""))
        now, _ = catalog.ids_of(fresh.get(entry_id, b""))
        if entry_id in stale:  # its cosine with each changed
            reach |= was | now
        # A key no entry has now named an entry gone (stale).
        elif was != now or (was | now) & stale or not all_found:
            reach |= {entry_id} | (was ^ now)
    old_ids = sorted((set(ids) - stale) | set(before.features))
    old_sources = [row for row in inputs.sources if row[0] not in stale] + before.sources
    old_links = [row for row in inputs.links if row[0] not in stale] + before.links
    reach |= _changed_ends(
        _host_evidence(old_ids, old_sources), _host_evidence(ids, inputs.sources)
    )
    reach |= _changed_ends(_lineage(old_ids, old_links), _lineage(ids, inputs.links))
    return reach


def _host_evidence(ids: list[str], sources: list[tuple[str, str]]) -> dict:
    """(id, id) → (strength, reason) of every host pair among `ids`."""
    n, position = len(ids), {e: i for i, e in enumerate(ids)}
    keys, strengths, reason_ids, reasons = host_pairs(
        [(position[e], h) for e, h in sorted(sources) if e in position], n
    )
    return {
        (ids[k // n], ids[k % n]): (s, reasons[r])
        for k, s, r in zip(keys.tolist(), strengths.tolist(), reason_ids.tolist(), strict=True)
    }


def _lineage(ids: list[str], links: list[tuple[str, str, str]]) -> dict:
    """(id, id) → relation index of every lineage pair among `ids`."""
    n, position = len(ids), {e: i for i, e in enumerate(ids)}
    keys, relations = lineage_pairs(
        [
            (position[e], r, position[o])
            for e, r, o in sorted(links)
            if e in position and o in position
        ],
        n,
    )
    return {
        (ids[k // n], ids[k % n]): r for k, r in zip(keys.tolist(), relations.tolist(), strict=True)
    }


def _changed_ends(old: dict, new: dict) -> set[str]:
    """The entries at either end of a pair that is in one of `old` and `new` only, or differs."""
    changed = old.keys() ^ new.keys()
    changed |= {key for key in old.keys() & new.keys() if old[key] != new[key]}
    return {entry_id for key in changed for entry_id in key}


def _proposed_touching(
    ids: list[str],
    before: Before,
    fresh: dict[str, bytes],
    catalog: _Catalog,
    affected: np.ndarray,
    stale: set[str],
) -> tuple[np.ndarray, np.ndarray]:
    """Every proposal now (a proposes b) with an end in `affected`."""
    blobs = []
    for entry_id in ids:
        blob = fresh.get(entry_id)
        if blob is None:
            if entry_id in stale:
                raise ValueError(f"{entry_id}: changed, but its proposals were not recomputed")
            blob = before.proposals.get(entry_id, b"")
        blobs.append(blob)
    counts = np.fromiter(map(len, blobs), dtype=np.int64, count=len(blobs)) // 8
    a = np.repeat(np.arange(len(ids), dtype=np.int64), counts)
    b, found = catalog.rows_of(b"".join(blobs))
    if not found.all():
        first = ids[int(a[~found][0])]
        raise ValueError(f"{first}: proposes an entry no longer in the catalog")
    touching = np.isin(a, affected) | np.isin(b, affected)
    return a[touching], b[touching]
